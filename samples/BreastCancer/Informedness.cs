using MetricLoss;

namespace BreastCancer;

// A metric that is not in the catalogue, declared here: the generator gives it the same API as the
// catalogue's (Exact, Smooth, Loss, Criterion, Options, Info).
//
// Informedness is Youden's J statistic, J = sensitivity + specificity − 1 = TPR + TNR − 1
// (W. J. Youden, "Index for rating diagnostic tests", Cancer 3(1):32–35, 1950): the criterion of
// diagnostic tests, in [−1, 1], 0 for a test that ignores its input whatever the class balance.
// pos and neg depend only on the labels, so the surrogate computes them exactly; only
// `score > threshold` is relaxed (σ((score − threshold) / tau)).
[Metric("""
    metric Informedness(score: real[n], label: bool[n], threshold: real = 0, tau: real = 1) {
        pred[n] = score[n] > threshold;
        pos = sum[n](label[n]);
        neg = sum[n](!label[n]);
        tp = sum[n](pred[n] & label[n]);
        tn = sum[n](!pred[n] & !label[n]);
        maximize tp / pos + tn / neg - 1;
    }
    """)]
public static partial class Informedness;
