using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Random and mutated metric text never crashes the generator: every run yields either code that
/// compiles, or error diagnostics (and then no code for the broken metric). The names of a definition are
/// fuzzed on their own (<c>GeneratorFuzzTests.Names.cs</c>): C# keywords and the emitter's own identifiers in every place.
/// </summary>
public partial class GeneratorFuzzTests
{
    internal static readonly string[] Seeds =
    {
        TestFiles.NormativeMetric("F1"),
        TestFiles.NormativeMetric("F1AnyLoss"),
        TestFiles.NormativeMetric("RocAuc"),
        TestFiles.NormativeMetric("TopKAccuracy"),
        TestFiles.Catalog("ConfusionMatrix.metric").Replace("MetricLoss.Catalog", "Fuzz.Catalog"),
    };

    internal static readonly string[] Tokens =
    {
        "metric", "M", "(", ")", "{", "}", "[", "]", ",", ";", ":", "=", "real", "bool", "int", "index", "<", ">", "const",
        "score", "label", "n", "c", "tau", "sum", "mean", "max", "min", "any", "all", "step", "sqrt", "log", "where",
        "maximize", "minimize", "interpolate", "&", "|", "!", "!=", ">=", "<=", "+", "-", "*", "/", "^", "@", "0", "1", "0.5", "1e3",
        "namespace", ".", "//", "\n",
    };

    internal static string Mutate(string text, int kind, int position, int length, string token)
    {
        var at = position % (text.Length + 1);
        var count = Math.Min(length, text.Length - at);
        return kind switch
        {
            0 => text.Remove(at, count),                               // delete a run of characters
            1 => text.Insert(at, " " + token + " "),                   // insert a token
            2 => text.Insert(at, text.Substring(at, count)),           // duplicate a run
            _ => text.Remove(at, count).Insert(Math.Min(at, text.Length - count), token), // replace a run
        };
    }

    private static void AssertCompilesOrReports(string text)
    {
        var run = GeneratorHarness.Run(text, "fuzz.metric");
        Assert.Null(run.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "MTR0900" or "CS8785");
        var errors = run.GeneratorDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        var compileErrors = run.CompilationErrors.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true).ToList();
        Assert.True(compileErrors.Count == 0, $"generated code does not compile for:\n{text}\n{string.Join("\n", compileErrors.Select(GeneratorRun.Format))}");
        Assert.True(run.Sources.Count > 0 || errors.Count > 0 || !text.Contains("metric", StringComparison.Ordinal) || run.GeneratorDiagnostics.Count > 0,
            $"no code and no diagnostic for:\n{text}");
    }

    // A fixed seed: every run checks the same texts, and a failure prints the text that failed.
    [Fact]
    public void Mutated_metrics_compile_or_report()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 150; i++)
        {
            var text = Seeds[random.Next(Seeds.Length)];
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                text = Mutate(text, random.Next(4), random.Next(100_000), random.Next(1, 12), Tokens[random.Next(Tokens.Length)]);
            }
            AssertCompilesOrReports(text);
        }
    }

    [Fact]
    public void Token_soup_compiles_or_reports()
    {
        var random = new Random(7);
        for (var i = 0; i < 150; i++)
        {
            var text = "metric M(" + string.Join(" ", Enumerable.Range(0, random.Next(0, 60)).Select(_ => Tokens[random.Next(Tokens.Length)]));
            AssertCompilesOrReports(text);
        }
    }
}
