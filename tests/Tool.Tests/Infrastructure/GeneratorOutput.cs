using System.Diagnostics.CodeAnalysis;
using MetricLoss.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace MetricLoss.Tool.Tests.Infrastructure;

/// <summary>
/// The generator's output for one .metric text, produced here without the tool's code, so that `show` is
/// compared with what the generator writes rather than with itself.
/// </summary>
internal static class GeneratorOutput
{
    private const string Attribute =
        "namespace MetricLoss { public sealed class MetricAttribute : System.Attribute { public MetricAttribute(string definition) { } } }";

    /// <summary>Generated sources by hint name.</summary>
    public static IReadOnlyDictionary<string, string> Sources(string path, string text, string rootNamespace)
    {
        var compilation = CSharpCompilation.Create("Reference",
            [CSharpSyntaxTree.ParseText(Attribute)],
            [MetadataReference.CreateFromFile(typeof(object).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var driver = CSharpGeneratorDriver.Create([new MetricGenerator().AsSourceGenerator()], [new Text(path, text)],
            optionsProvider: new Options(rootNamespace));
        var result = driver.RunGenerators(compilation).GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        return result.GeneratedSources.ToDictionary(s => s.HintName, s => s.SourceText.ToString());
    }

    private sealed class Text(string path, string text) : AdditionalText
    {
        public override string Path => path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }

    private sealed class Options(string rootNamespace) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Global(rootNamespace);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Global(null);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Global(null);

        private sealed class Global(string? rootNamespace) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
            {
                value = key == "build_property.RootNamespace" ? rootNamespace : null;
                return value is not null;
            }
        }
    }
}
