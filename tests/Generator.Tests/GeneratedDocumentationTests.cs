using MetricLoss.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Generated code documents everything it makes public: a consumer that builds with GenerateDocumentationFile (so
/// with the compiler's documentation diagnostics on) gets no CS1591 "missing XML comment", and no bad param name,
/// cref or XML (CS15xx, CS0419), from the generated files.
/// </summary>
public class GeneratedDocumentationTests
{
    [Fact]
    public void Catalogue_metrics_are_documented()
    {
        // The runtime assembly already holds MetricLoss.Catalog, so compile the catalogue under another namespace.
        var files = new[] { "ConfusionMatrix.metric", "AnyLoss.metric", "MultiClass.metric", "Ranking.metric", "Interpolated.metric", "SoftLabels.metric" }
            .Select(f => ("Catalog/" + f, TestFiles.Catalog(f).Replace("namespace MetricLoss.Catalog;", "namespace Copy.Catalog;")));
        var run = GeneratorHarness.RunDocumented(files);

        Assert.Equal(34, run.Sources.Count);
        AssertDocumented(run);
    }

    [Fact]
    public void Normative_examples_are_documented()
    {
        var text = TestFiles.Normative.Replace("namespace MetricLoss.Catalog;", "namespace Copy.Normative;");
        var run = GeneratorHarness.RunDocumented(new[] { ("normative.metric", text) });

        Assert.Equal(8, run.Sources.Count);
        AssertDocumented(run);
    }

    [Fact]
    public void A_metric_declared_by_attribute_is_documented_by_its_generated_part()
    {
        // The user's part of the class has no comment: the generated part's summary documents the type.
        const string source = """"
            using MetricLoss;

            namespace Sample.Metrics;

            [Metric("""
                metric Informedness(score: real[n], label: bool[n], tau: real = 1) {
                    pred[n] = score[n] > 0;
                    tp = sum[n](pred[n] & label[n]);
                    tn = sum[n](!pred[n] & !label[n]);
                    maximize tp / sum[n](label[n]) + tn / sum[n](!label[n]) - 1;
                }
                """)]
            public static partial class Informedness;
            """";
        var run = GeneratorHarness.RunDocumented(Array.Empty<(string, string)>(), source);

        Assert.Single(run.Sources);
        AssertDocumented(run);
    }

    [Fact]
    public void Criterion_modules_of_every_base_class_and_keyword_named_inputs_are_documented()
    {
        // One input: Criterion derives from nn.Module, not Loss; five: Module again. C# keywords as input and option
        // names are escaped (@in) in code, and <param name> must still find them. No namespace line and no root
        // namespace: the global namespace.
        const string text = """
            metric Single(score: real[n], tau: real = 1) {
                maximize mean[n](score[n] > 0);
            }

            metric Five(in: real[n], class: bool[n], out: bool[n], base: const real[n], object: int[n], double: real = 0, tau: real = 1) {
                maximize mean[n](class[n] & out[n] & (in[n] > base[n] + double)) + mean[n](object[n]);
            }
            """;
        var run = GeneratorHarness.Run(
            GeneratorHarness.CreateDriver(new[] { ("keywords.metric", text) }, rootNamespace: null, parseOptions: GeneratorHarness.Documented),
            GeneratorHarness.CreateCompilation(GeneratorHarness.Documented));

        Assert.Empty(run.DiagnosticLines);
        Assert.Equal(2, run.Sources.Count);
        Assert.Contains("@in", run.Sources["Five.g.cs"], StringComparison.Ordinal);
        AssertDocumented(run);
    }

    [Fact]
    public void The_check_reports_an_undocumented_public_member()
    {
        // Guards the tests above against passing vacuously (documentation diagnostics off, or filtered away).
        var compilation = GeneratorHarness.CreateCompilation(GeneratorHarness.Documented, "public class Undocumented { public void M(int x) { } }");

        Assert.Contains(DocumentationProblems(compilation), p => p.StartsWith("CS1591", StringComparison.Ordinal));
    }

    private static void AssertDocumented(GeneratorRun run)
    {
        Assert.Null(run.Exception);
        Assert.Empty(run.DiagnosticLines);
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
        Assert.Empty(DocumentationProblems(run.Output));
    }

    /// <summary>The documentation diagnostics of a compilation: CS15xx (missing or malformed comments, unknown param, unresolved cref) and CS0419 (ambiguous cref).</summary>
    private static IReadOnlyList<string> DocumentationProblems(Compilation compilation) =>
        compilation.GetDiagnostics()
            .Where(d => d.Id.StartsWith("CS15", StringComparison.Ordinal) || d.Id == "CS0419")
            .Select(d => $"{GeneratorRun.Format(d)} in {d.Location.SourceTree?.FilePath}")
            .ToList();
}
