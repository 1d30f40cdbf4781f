namespace MetricLoss.Dsl.Tests.Interpretation;

/// <summary>
/// The normative metrics computed directly, the way their usual definitions (and scikit-learn) state
/// them, and deliberately not the way the metric language writes them: by sorting, mid-ranks and
/// precision-recall curves instead of pairwise indicator sums. Agreement is evidence for both.
/// </summary>
internal static class ReferenceFormulas
{
    /// <summary>F1 from the confusion counts of pred = score &gt; threshold; 0 when 2tp + fp + fn = 0.</summary>
    public static double F1(double[] score, int[] label, double threshold)
    {
        int tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < score.Length; i++)
        {
            var pred = score[i] > threshold;
            if (pred && label[i] == 1) tp++;
            else if (pred) fp++;
            else if (label[i] == 1) fn++;
        }
        var denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0 : 2.0 * tp / denominator;
    }

    /// <summary>
    /// ROC AUC by the Mann–Whitney U statistic with mid-ranks (ties share the mean of their ranks):
    /// AUC = (R₊ − P(P+1)/2) / (P·N), R₊ the rank sum of the positives; 0 when a class is absent.
    /// </summary>
    public static double RocAucMannWhitney(double[] score, int[] label)
    {
        var order = Enumerable.Range(0, score.Length).OrderBy(i => score[i]).ToArray();
        var rank = new double[score.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && score[order[end + 1]] == score[order[start]]) end++;
            var midRank = (start + end) / 2.0 + 1; // 1-based ranks start+1 .. end+1
            for (var t = start; t <= end; t++) rank[order[t]] = midRank;
            start = end + 1;
        }
        double positives = label.Count(l => l == 1), negatives = label.Length - positives;
        if (positives == 0 || negatives == 0) return 0;
        var rankSum = Enumerable.Range(0, score.Length).Where(i => label[i] == 1).Sum(i => rank[i]);
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }

    /// <summary>
    /// Average precision as scikit-learn computes it: walk the distinct thresholds from the highest score
    /// down, AP = Σ (Rₜ − Rₜ₋₁)·Pₜ with Pₜ, Rₜ the precision and recall of "score ≥ t". 0 without positives.
    /// </summary>
    public static double AveragePrecisionCurve(double[] score, int[] label)
    {
        double positives = label.Count(l => l == 1);
        if (positives == 0) return 0;
        double ap = 0, previousRecall = 0;
        foreach (var t in score.Distinct().OrderByDescending(s => s))
        {
            var selected = Enumerable.Range(0, score.Length).Where(i => score[i] >= t).ToList();
            double tp = selected.Count(i => label[i] == 1);
            var precision = tp / selected.Count;
            var recall = tp / positives;
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
        }
        return ap;
    }

    /// <summary>Mean over queries of DCG@k / IDCG@k with linear gains, ranking by sorting scores (tie-free); 0 where IDCG = 0.</summary>
    public static double NdcgAtK(double[,] score, double[,] gain, int k)
    {
        int queries = score.GetLength(0), items = score.GetLength(1);
        var total = 0.0;
        for (var q = 0; q < queries; q++)
        {
            var byScore = Enumerable.Range(0, items).OrderByDescending(i => score[q, i]).ToArray();
            var byGain = Enumerable.Range(0, items).Select(i => gain[q, i]).OrderByDescending(g => g).ToArray();
            double dcg = 0, idcg = 0;
            for (var r = 0; r < Math.Min(k, items); r++)
            {
                dcg += gain[q, byScore[r]] / Math.Log2(r + 2);
                idcg += byGain[r] / Math.Log2(r + 2);
            }
            total += idcg == 0 ? 0 : dcg / idcg;
        }
        return total / queries;
    }

    /// <summary>Fraction of samples whose target is among the k largest logits (tie-free), by sorting.</summary>
    public static double TopKAccuracy(double[,] logit, int[] target, int k)
    {
        int samples = logit.GetLength(0), classes = logit.GetLength(1);
        var hits = 0;
        for (var n = 0; n < samples; n++)
        {
            var top = Enumerable.Range(0, classes).OrderByDescending(c => logit[n, c]).Take(k);
            if (top.Contains(target[n])) hits++;
        }
        return (double)hits / samples;
    }

    /// <summary>
    /// Recall@k averaged over queries and k, as retrieval papers define it (tie-free): of the valid items
    /// sorted by similarity, the positives among the first k, over min(k, #positives); 0 without positives.
    /// </summary>
    public static double RecallAtK(double[,] sim, bool[,] pos, bool[,] valid, int[] ks)
    {
        int queries = sim.GetLength(0), items = sim.GetLength(1);
        var total = 0.0;
        for (var q = 0; q < queries; q++)
        {
            var ranked = Enumerable.Range(0, items).Where(i => valid[q, i]).OrderByDescending(i => sim[q, i]).ToArray();
            var positives = Enumerable.Range(0, items).Count(i => pos[q, i]);
            foreach (var k in ks)
            {
                var found = ranked.Take(k).Count(i => pos[q, i]);
                total += positives == 0 ? 0 : (double)found / Math.Min(k, positives);
            }
        }
        return total / (queries * ks.Length);
    }
}
