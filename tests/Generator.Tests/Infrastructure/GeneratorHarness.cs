using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>What one generator run produced.</summary>
internal sealed record GeneratorRun(
    GeneratorDriver Driver,
    Compilation Output,
    IReadOnlyDictionary<string, string> Sources,
    IReadOnlyList<Diagnostic> GeneratorDiagnostics,
    Exception? Exception)
{
    /// <summary>Errors of the compilation that includes the generated code.</summary>
    public IReadOnlyList<Diagnostic> CompilationErrors =>
        Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    public GeneratorRunResult Result => Driver.GetRunResult().Results.Single();

    /// <summary>"MTR0100 (3,12): message" lines, one per generator diagnostic, in a stable order.</summary>
    public IReadOnlyList<string> DiagnosticLines =>
        GeneratorDiagnostics
            .OrderBy(d => d.Location.GetLineSpan().Path, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .Select(Format)
            .ToList();

    public static string Format(Diagnostic d)
    {
        var span = d.Location.GetLineSpan();
        var where = d.Location == Location.None ? "" : $" ({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})";
        return $"{d.Id}{where}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}

/// <summary>
/// Runs the MetricLoss generator in memory on C# sources and .metric texts, against the real reference
/// assemblies, TorchSharp and MetricLoss.Runtime, with step tracking on for the caching tests.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        Basic.Reference.Assemblies.Net100.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location))
            .Append(MetadataReference.CreateFromFile(typeof(MetricLoss.MetricOptions).Assembly.Location))
            .ToImmutableArray());

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CSharpCompilation.Create(
            "MetricLossTests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(IEnumerable<(string Path, string Text)> metricFiles, string? rootNamespace = "Tests.Root") =>
        CreateDriver(metricFiles.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)), rootNamespace);

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> metricFiles, string? rootNamespace = "Tests.Root") =>
        CSharpGeneratorDriver.Create(
            new[] { new MetricGenerator().AsSourceGenerator() },
            metricFiles,
            CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest),
            new TestOptionsProvider(rootNamespace),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>One run on fresh inputs.</summary>
    public static GeneratorRun Run(string metricText, string path = "Metrics/Test.metric", params string[] csharp) =>
        Run(new[] { (path, metricText) }, csharp);

    public static GeneratorRun Run(IEnumerable<(string Path, string Text)> metricFiles, params string[] csharp)
    {
        var driver = CreateDriver(metricFiles);
        return Run(driver, CreateCompilation(csharp));
    }

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        var sources = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        return new GeneratorRun(driver, output, sources, result.Diagnostics.Concat(diagnostics).Distinct().ToList(), result.Exception);
    }
}
