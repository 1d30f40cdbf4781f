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

    private static readonly CSharpParseOptions Latest = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>
    /// What a project with <c>GenerateDocumentationFile</c> compiles with: documentation comments are checked, so
    /// the compiler reports CS1591 (missing comment), CS1572–CS1574 (bad param or cref) and the like.
    /// </summary>
    public static readonly CSharpParseOptions Documented = Latest.WithDocumentationMode(DocumentationMode.Diagnose);

    public static CSharpCompilation CreateCompilation(params string[] sources) => CreateCompilation(Latest, sources);

    public static CSharpCompilation CreateCompilation(CSharpParseOptions parseOptions, params string[] sources) =>
        CSharpCompilation.Create(
            "MetricLossTests",
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, parseOptions, path: $"Source{i}.cs")),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(IEnumerable<(string Path, string Text)> metricFiles, string? rootNamespace = "Tests.Root", CSharpParseOptions? parseOptions = null) =>
        CreateDriver(metricFiles.Select(f => (AdditionalText)new InMemoryAdditionalText(f.Path, f.Text)), rootNamespace, parseOptions);

    /// <summary>A driver whose generated files are parsed with <paramref name="parseOptions"/> (C# latest when null).</summary>
    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> metricFiles, string? rootNamespace = "Tests.Root", CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new MetricGenerator().AsSourceGenerator() },
            metricFiles,
            parseOptions ?? Latest,
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

    /// <summary>One run with documentation comments checked (<see cref="Documented"/>) in the C# sources and the output.</summary>
    public static GeneratorRun RunDocumented(IEnumerable<(string Path, string Text)> metricFiles, params string[] csharp) =>
        Run(CreateDriver(metricFiles, parseOptions: Documented), CreateCompilation(Documented, csharp));

    public static GeneratorRun Run(GeneratorDriver driver, Compilation compilation)
    {
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        var result = driver.GetRunResult().Results.Single();
        var sources = result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
        return new GeneratorRun(driver, output, sources, result.Diagnostics.Concat(diagnostics).Distinct().ToList(), result.Exception);
    }
}
