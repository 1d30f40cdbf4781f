using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests;

/// <summary>Whole generated files, compared with reviewed snapshots (Snapshots/*.verified.cs).</summary>
public class SnapshotGenerationTests
{
    [Fact]
    public void F1_from_the_normative_examples()
    {
        var run = GeneratorHarness.Run(TestFiles.NormativeMetric("F1"));
        Assert.Empty(run.DiagnosticLines);
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
        Snapshot.Verify(run.Sources);
    }

    [Fact]
    public void Mean_average_precision_on_the_support_of_its_labels_in_chunks()
    {
        // The demand-driven and chunked lowering at once: each query's positives gathered as a support, the
        // pairwise σ over [q, j, p] computed once per chunk for both ranks, labels converted chunk by chunk.
        var run = GeneratorHarness.Run(TestFiles.CatalogMetric("Ranking.metric", "MeanAveragePrecision"));
        Assert.Empty(run.DiagnosticLines);
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
        Snapshot.Verify(run.Sources);
    }

    [Fact]
    public void Multilabel_macro_F1_over_two_axes()
    {
        // Values over [n, c] and reductions over one axis then the other exercise the axis alignment.
        const string text = """
            metric MacroF1(score: real[n, c], label: bool[n, c], tau: real = 1) {
                pred[n, c] = score[n, c] > 0;
                tp[c] = sum[n](pred[n, c] & label[n, c]);
                fp[c] = sum[n](pred[n, c] & !label[n, c]);
                fn[c] = sum[n](!pred[n, c] & label[n, c]);
                maximize mean[c](2 * tp[c] / (2 * tp[c] + fp[c] + fn[c]));
            }
            """;
        var run = GeneratorHarness.Run(text);
        Assert.Empty(run.DiagnosticLines);
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
        Snapshot.Verify(run.Sources);
    }

    [Fact]
    public void Metric_declared_by_attribute()
    {
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
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), source);
        Assert.Empty(run.DiagnosticLines);
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
        Snapshot.Verify(run.Sources);
    }
}
