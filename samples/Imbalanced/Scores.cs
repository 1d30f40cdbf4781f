using MetricLoss.Catalog;
using static TorchSharp.torch;

namespace Imbalanced;

/// <summary>The held-out metrics of one trained model.</summary>
/// <param name="F1Fixed">Test F1 of logit &gt; 0 (σ(z) &gt; 0.5), the threshold every loss but AUC-M, ROC AUC and AP trains for.</param>
/// <param name="F1Tuned">Test F1 at the threshold that maximises F1 on the validation split.</param>
/// <param name="Threshold">That threshold (a logit).</param>
public sealed record Scores(double F1Fixed, double F1Tuned, double Threshold, double RocAuc, double AveragePrecision)
{
    /// <summary>
    /// Every number comes from MetricLoss's generated exact evaluators: F1 through <c>F1.Evaluator</c> (batches of
    /// 256 rows merged, so it is the F1 of the whole split), ROC AUC and AP through <c>Exact</c> on the whole split
    /// (scikit-learn's roc_auc_score and average_precision_score).
    /// </summary>
    public static Scores Of(Tensor validationLogits, Tensor validationLabels, Tensor testLogits, Tensor testLabels)
    {
        double threshold = Thresholds.BestF1(Host(validationLogits), Host(validationLabels));
        return new Scores(
            F1At(testLogits, testLabels, 0),
            F1At(testLogits, testLabels, threshold),
            threshold,
            MetricLoss.Catalog.RocAuc.Exact(testLogits, testLabels),
            MetricLoss.Catalog.AveragePrecision.Exact(testLogits, testLabels));
    }

    private static double F1At(Tensor logits, Tensor labels, double threshold)
    {
        var evaluator = new F1.Evaluator(new F1.Options { Threshold = threshold });
        for (long start = 0; start < logits.shape[0]; start += 256)
        {
            using var scope = NewDisposeScope();
            long length = Math.Min(256, logits.shape[0] - start);
            evaluator.Update(logits.narrow(0, start, length), labels.narrow(0, start, length));
        }
        return evaluator.Compute();
    }

    private static double[] Host(Tensor t)
    {
        using var d = t.to_type(ScalarType.Float64);
        return d.data<double>().ToArray();
    }
}

/// <summary>Choosing the decision threshold on the validation split.</summary>
public static class Thresholds
{
    /// <summary>
    /// The threshold t of the rule "score &gt; t" with the highest F1 on the given scores (Koyejo et al., NeurIPS
    /// 2014: the F1-optimal classifier is a threshold on a calibrated score, so a tuned threshold is the fair
    /// comparison for every loss). Candidates are the midpoints between consecutive distinct scores (and one below
    /// the lowest), so the rule does not depend on how ties at a score fall on unseen data. A sweep over the
    /// sorted scores: O(n log n). Ties in F1 keep the highest threshold.
    /// </summary>
    public static double BestF1(double[] scores, double[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        double positives = labels.Sum();
        double bestF1 = -1, best = scores.Max() + 1; // predicts nothing: F1 0
        double tp = 0, predicted = 0;
        for (int r = 0; r < order.Length; r++)
        {
            tp += labels[order[r]];
            predicted++;
            bool groupEnds = r + 1 == order.Length || scores[order[r + 1]] < scores[order[r]];
            if (!groupEnds) continue;
            double f1 = positives + predicted > 0 ? 2 * tp / (positives + predicted) : 0;
            if (f1 > bestF1)
            {
                bestF1 = f1;
                best = r + 1 == order.Length ? scores[order[r]] - 1 : (scores[order[r]] + scores[order[r + 1]]) / 2;
            }
        }
        return best;
    }
}
