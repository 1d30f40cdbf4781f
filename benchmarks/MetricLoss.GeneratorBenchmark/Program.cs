using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using MetricLoss.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// Generates every .metric file of the repository's catalogue, integration tests and normative examples from scratch,
// each folder as the project it belongs to (a new driver each round, so nothing is cached), as a clean build does, and prints the median time of the rounds,
// the managed bytes allocated per round, the generated text's size and the process's peak resident memory.
//   dotnet run -c Release --project benchmarks/MetricLoss.GeneratorBenchmark -- [--rounds 15] [--root DIR]
var rounds = Option("--rounds", 15);
var root = Path.GetFullPath(OptionText("--root") ?? FindRoot());
var projects = new[] { "src/Runtime/Catalog", "tests/Integration.Tests/Metrics", "tests/Dsl.Tests/Examples" }
    .Select(dir => Directory.GetFiles(Path.Combine(root, dir), "*.metric")
        .OrderBy(f => f, StringComparer.Ordinal)
        .Select(f => (AdditionalText)new MetricText(f, File.ReadAllText(f)))
        .ToImmutableArray())
    .ToList();

var parse = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
// The generator emits nothing without MetricLoss.MetricAttribute (a project without the runtime): declare it.
var attribute = CSharpSyntaxTree.ParseText(
    "namespace MetricLoss { [System.AttributeUsage(System.AttributeTargets.Class)] public sealed class MetricAttribute : System.Attribute { public MetricAttribute(string definition) { } } }",
    parse);
var compilation = CSharpCompilation.Create("GeneratorBenchmark", new[] { attribute },
    new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
    new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

(long Characters, int Sources, int Errors) Generate()
{
    var (characters, sources, errors) = (0L, 0, 0);
    foreach (var files in projects)
    {
        var driver = CSharpGeneratorDriver.Create(new[] { new MetricGenerator().AsSourceGenerator() }, files, parse, new Namespace());
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        if (result.Exception is not null) throw result.Exception;
        characters += result.GeneratedSources.Sum(s => (long)s.SourceText.Length);
        sources += result.GeneratedSources.Length;
        errors += result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
    }
    return (characters, sources, errors);
}

var output = Generate();
for (var warmup = 0; warmup < 3; warmup++) Generate();
var times = new List<double>();
var allocated = new List<long>();
for (var round = 0; round < rounds; round++)
{
    var before = GC.GetAllocatedBytesForCurrentThread();
    var watch = Stopwatch.StartNew();
    Generate();
    times.Add(watch.Elapsed.TotalMilliseconds);
    allocated.Add(GC.GetAllocatedBytesForCurrentThread() - before);
}
times.Sort();
allocated.Sort();
var culture = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(culture, $"files {projects.Sum(p => p.Length)}, metrics generated {output.Sources}, errors {output.Errors}, generated {output.Characters:N0} characters"));
Console.WriteLine(string.Create(culture, $"rounds {rounds}: median {times[times.Count / 2]:F1} ms (min {times[0]:F1}, max {times[^1]:F1}), allocated {allocated[allocated.Count / 2] / 1e6:F1} MB a round, peak RSS {PeakResidentMegabytes():F0} MB"));
return 0;

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

string? OptionText(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Generator.sln"))) return dir.FullName;
    }
    throw new InvalidOperationException("Generator.sln not found above the benchmark; pass --root DIR");
}

// VmHWM: the most resident memory the process has had (Linux); 0 elsewhere.
static double PeakResidentMegabytes()
{
    const string status = "/proc/self/status";
    if (!File.Exists(status)) return 0;
    var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
    return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
}

/// <summary>A .metric file as an AdditionalFile.</summary>
internal sealed class MetricText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>The build property the generator reads for a file without a namespace line.</summary>
internal sealed class Namespace : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = new Options();

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;

    private sealed class Options : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value)
        {
            value = "Benchmark";
            return key == "build_property.RootNamespace";
        }
    }
}
