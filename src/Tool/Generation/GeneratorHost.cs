using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MetricLoss.Tool.Generation;

/// <summary>One generated file: the generator's hint name and its text.</summary>
internal sealed record GeneratedSource(string HintName, string Text);

/// <summary>What one run of the generator produced, in a stable order.</summary>
internal sealed record GenerationResult(IReadOnlyList<GeneratedSource> Sources, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Runs the real <see cref="MetricGenerator"/> the way a build does: through Roslyn's generator driver,
/// with the .metric files as AdditionalFiles and the root namespace as a build property, so that what
/// the tool prints is exactly what a build reports.
/// </summary>
internal static class GeneratorHost
{
    /// <summary>
    /// The generator's contract: a compilation without <c>MetricLoss.MetricAttribute</c> is a project that does
    /// not reference the runtime, where it reports an error and emits nothing. The tool has no project, so it
    /// declares a stand-in with the constructor of src/Runtime/MetricAttribute.cs.
    /// </summary>
    private const string RuntimeStandIn = """
        namespace MetricLoss
        {
            [System.AttributeUsage(System.AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
            public sealed class MetricAttribute : System.Attribute
            {
                public MetricAttribute(string definition) => Definition = definition;

                public string Definition { get; }
            }
        }
        """;

    public static GenerationResult Run(IReadOnlyList<MetricFile> files, string rootNamespace)
    {
        var parseOptions = CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "MetricLoss.Tool.Check",
            new[] { CSharpSyntaxTree.ParseText(RuntimeStandIn, parseOptions, path: "MetricAttribute.cs") },
            // The stand-in needs only System.Attribute; nothing is emitted, so the running runtime's core library does.
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

        var driver = CSharpGeneratorDriver.Create(
            new[] { new MetricGenerator().AsSourceGenerator() },
            files.Select(f => (AdditionalText)new MetricFileText(f.Path, f.Text)),
            parseOptions,
            new RootNamespaceOptions(rootNamespace));
        // The driver's own diagnostics (CS8785 when the generator throws) are what a build would print too.
        var run = driver.RunGeneratorsAndUpdateCompilation(compilation, out _, out var driverDiagnostics);
        var result = run.GetRunResult().Results.Single();

        var fileIndex = files.Select((f, i) => (f.Path, i)).ToDictionary(p => p.Path, p => p.i);
        int FileOf(Diagnostic d) => d.Location == Location.None ? -1 : fileIndex.GetValueOrDefault(d.Location.GetLineSpan().Path, int.MaxValue);
        var diagnostics = result.Diagnostics.Concat(driverDiagnostics).Distinct()
            .OrderBy(FileOf)
            .ThenBy(d => d.Location.GetLineSpan().StartLinePosition)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToList();
        var sources = result.GeneratedSources
            .Select(s => new GeneratedSource(s.HintName, s.SourceText.ToString()))
            .ToList();
        return new GenerationResult(sources, diagnostics);
    }
}
