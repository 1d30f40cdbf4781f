using MetricLoss;

namespace Integration.Tests.Declared;

/// <summary>A metric declared in C#: the fraction of positives scored above every negative's mean score.</summary>
[Metric("""
    metric AboveNegativeMean(score: real[n], label: bool[n], tau: real = 0.1) {
        negative_mean = sum[n]((!label[n]) * score[n]) / sum[n](!label[n]);
        maximize sum[n](label[n] & (score[n] > negative_mean)) / sum[n](label[n]);
    }
    """)]
public static partial class AboveNegativeMean;
