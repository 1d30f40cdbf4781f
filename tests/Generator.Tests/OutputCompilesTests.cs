using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests;

/// <summary>Every supported metric generates code that compiles against the real TorchSharp and runtime.</summary>
public class OutputCompilesTests
{
    public static TheoryData<string> CatalogFiles => new() { "ConfusionMatrix.metric", "AnyLoss.metric" };

    [Theory]
    [MemberData(nameof(CatalogFiles))]
    public void Catalogue_files_generate_code_that_compiles(string file)
    {
        // The runtime assembly already holds MetricLoss.Catalog, so compile the catalogue under another namespace.
        var text = TestFiles.Catalog(file).Replace("namespace MetricLoss.Catalog;", "namespace Copy.Catalog;");
        var run = GeneratorHarness.Run(text, "Catalog/" + file);
        Assert.Null(run.Exception);
        Assert.Empty(run.DiagnosticLines);
        Assert.NotEmpty(run.Sources);
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
    }

    [Fact]
    public void Every_normative_example_generates_code_that_compiles()
    {
        var run = GeneratorHarness.Run(TestFiles.Normative.Replace("namespace MetricLoss.Catalog;", "namespace Copy.Normative;"), "normative.metric");
        Assert.Null(run.Exception);
        Assert.Empty(run.DiagnosticLines);
        Assert.Equal(
            new[] { "AccuracyInterpolated", "AveragePrecision", "F1", "F1AnyLoss", "NdcgAtK", "RecallAtK", "RocAuc", "TopKAccuracy" }.Select(n => $"Copy.Normative.{n}.g.cs"),
            run.Sources.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
    }
}
