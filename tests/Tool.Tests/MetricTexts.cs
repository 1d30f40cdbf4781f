namespace MetricLoss.Tool.Tests;

/// <summary>Metric definitions the tests write to .metric files.</summary>
internal static class MetricTexts
{
    public const string Good = """
        namespace Tests.Metrics;

        metric HitRate(score: real[n], label: bool[n], threshold: real = 0, tau: real = 1) {
            pred[n] = score[n] > threshold;
            maximize sum[n](pred[n] & label[n]) / sum[n](label[n]);
        }
        """;

    /// <summary>MTR0105 at line 2, column 43 (the `n` indexing `label`, which ranges over `m`).</summary>
    public const string AxisMismatch = """
        metric M(score: real[n], label: bool[m], tau: real = 1) {
            maximize mean[n](score[n] > 0 & label[n]);
        }
        """;

    public const string AxisMismatchMessage =
        "axis mismatch: dimension 0 of `label` ranges over `m`, but the index `n` ranges over `n`; index it with an axis of `m`";

    /// <summary>Two metrics without a namespace line (the namespace comes from --namespace).</summary>
    public const string TwoMetrics = """
        metric Hits(score: real[n], label: bool[n], tau: real = 1) {
            maximize sum[n](label[n] & (score[n] > 0));
        }

        metric Misses(score: real[n], label: bool[n], tau: real = 1) {
            minimize sum[n](label[n] & (score[n] <= 0));
        }
        """;
}
