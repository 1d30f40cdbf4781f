using MetricLoss.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Generated code calls MetricLoss.Runtime. A project that runs the generator without it gets one MTR0250 at the
/// first metric and no generated file, instead of C# errors inside obj/.
/// </summary>
public class RuntimeReferenceTests
{
    private const string F1 = "namespace Demo;\nmetric F1(score: real[n], label: bool[n], tau: real = 1) {\n    maximize mean[n]((score[n] > 0) & label[n]);\n}\n";
    private const string Acc = "namespace Demo;\nmetric Acc(score: real[n], label: bool[n], tau: real = 1) {\n    maximize mean[n]((score[n] > 0) == label[n]);\n}\n";

    // The real reference assemblies and TorchSharp, but not MetricLoss.Runtime.
    private static CSharpCompilation WithoutRuntime(params string[] sources) =>
        CSharpCompilation.Create("NoRuntime",
            sources.Select(s => CSharpSyntaxTree.ParseText(s)),
            Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
                .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location)),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    [Fact]
    public void Without_the_runtime_one_error_is_reported_at_the_first_metric_and_nothing_is_generated()
    {
        var files = new[] { ("Metrics/F1.metric", F1), ("Metrics/Bal.metric", F1.Replace("F1", "Bal")) };
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(files), WithoutRuntime());

        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MTR0250", diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains("(2 defined, first `Demo.Bal`)", diagnostic.GetMessage());
        Assert.Contains("dotnet add package MetricLoss", diagnostic.GetMessage());
        Assert.Equal("Metrics/Bal.metric", diagnostic.Location.GetLineSpan().Path);
        Assert.Empty(run.Sources);
        Assert.Empty(run.CompilationErrors);
    }

    [Fact]
    public void Without_the_runtime_and_without_metrics_nothing_is_reported()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(Array.Empty<(string, string)>()), WithoutRuntime("class C { }"));

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Metric_errors_are_still_reported_without_the_runtime()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.CreateDriver(new[] { ("Metrics/Acc.metric", Acc) }), WithoutRuntime());

        // `==` is not in the language: the file's own error comes first, and with no valid metric there is nothing
        // to say about the runtime.
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "MTR0250");
        Assert.NotEmpty(run.GeneratorDiagnostics);
    }

    [Fact]
    public void With_the_runtime_referenced_the_same_files_generate()
    {
        var run = GeneratorHarness.Run(new[] { ("Metrics/F1.metric", F1) });

        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Single(run.Sources);
        Assert.Empty(run.CompilationErrors);
    }
}
