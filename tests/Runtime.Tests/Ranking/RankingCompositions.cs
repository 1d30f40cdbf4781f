using MetricLoss.Runtime.Ranking;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// The metrics of docs/language.md's normative examples, composed from the ranking kernels the way a generated exact
/// program composes them (per row; the caller's dispose scope owns every tensor). Divisions are the language's
/// exact a / b: 0 where b = 0.
/// </summary>
internal static class RankingCompositions
{
    /// <summary>RocAuc: wins = sum[i, j](label[i] &amp; !label[j] &amp; step(score[i] - score[j])), pairs = P·N, wins / pairs.</summary>
    public static Tensor RocAuc(Tensor score, Tensor label)
    {
        var positive = label.to_type(ScalarType.Float64);
        var negative = MetricOps.Not(positive);
        var wins = PairwiseRank.MannWhitney(score, positive, negative);
        var pairs = positive.sum(-1).mul(negative.sum(-1));
        return MetricOps.DivideExact(wins, pairs);
    }

    /// <summary>
    /// AveragePrecision, literally: above[i] = 1 + sum[j != i](score[j] &gt;= score[i]), pos_above[i] = 1 +
    /// sum[j != i](label[j] &amp; (score[j] &gt;= score[i])), sum[i](label[i] * pos_above[i] / above[i]) / sum[i](label[i]).
    /// Two CountAbove calls (two sorts); <see cref="PrecisionAtPositives.AveragePrecision"/> shares one.
    /// </summary>
    public static Tensor AveragePrecision(Tensor score, Tensor label)
    {
        var l = label.to_type(ScalarType.Float64);
        var above = MetricOps.Add(RankCounts.CountAbove(score, null, strict: false, excludeSelf: true), 1.0);
        var posAbove = MetricOps.Add(RankCounts.CountAbove(score, label, strict: false, excludeSelf: true), 1.0);
        return MetricOps.DivideExact(l.mul(posAbove).div_(above).sum(-1), l.sum(-1));
    }

    /// <summary>
    /// NdcgAtK per query: rank[q, i] = 1 + sum[j != i](score[q, j] &gt; score[q, i]); dcg[q] = sum[i](gain[q, i] *
    /// (rank[q, i] &lt;= k) / log2(1 + rank[q, i])); dcg[q] / ideal_dcg[i](gain[q, i], k). The example's value is the mean over q.
    /// </summary>
    public static Tensor NdcgPerQuery(Tensor score, Tensor gain, long k)
    {
        var g = gain.to_type(ScalarType.Float64);
        var rank = MetricOps.Add(RankCounts.CountAbove(score, null, strict: true, excludeSelf: true), 1.0);
        var inTop = MetricOps.Greater(k, rank, orEqual: true); // rank <= k
        var dcg = g.mul(inTop).div_(MetricOps.Add(rank, 1.0).log2_()).sum(-1);
        return MetricOps.DivideExact(dcg, DiscountedGain.IdealDcg(gain, k));
    }

    /// <summary>TopKAccuracy: higher[n] = sum[c != target[n]](logit[n, c] &gt; logit[n, target[n]]); mean[n](higher[n] &lt; k).</summary>
    public static Tensor TopKAccuracy(Tensor logit, Tensor target, long k)
    {
        var higher = ThresholdCounts.CountAboveIndex(logit, target, null, strict: true);
        return MetricOps.Greater(k, higher, orEqual: false).mean();
    }

    /// <summary>
    /// scikit-learn 1.2's top_k_accuracy_score rule, as kernels: its stable ascending argsort reversed ranks a tied class
    /// with a larger index first, so the target is in the top k when #{c: s_c &gt; s_t} + #{c &gt; t: s_c = s_t} &lt; k.
    /// </summary>
    public static Tensor TopKAccuracySklearnRule(Tensor logit, Tensor target, long k)
    {
        var classes = logit.shape[^1];
        var higherIndex = arange(classes, ScalarType.Int64).unsqueeze(0).gt(target.unsqueeze(-1)); // c > t
        var threshold = logit.gather(-1, target.unsqueeze(-1)).squeeze(-1);
        var strictlyAbove = ThresholdCounts.CountAboveValue(logit, threshold, null, strict: true);
        var tiedAfter = ThresholdCounts.CountAboveValue(logit, threshold, higherIndex, strict: false)
            .sub(ThresholdCounts.CountAboveValue(logit, threshold, higherIndex, strict: true));
        return MetricOps.Greater(k, strictlyAbove.add(tiedAfter), orEqual: false).mean();
    }

    /// <summary>
    /// Multi-class F1 of the argmax prediction (tie-free logits): pred[n, c] = (sum[c' != c](logit[n, c'] &gt; logit[n, c]) == 0),
    /// then per-class tp, fp, fn. Macro over every class (<paramref name="presentOnly"/> false: an absent class scores 0),
    /// or over the classes with tp + fp + fn &gt; 0 (scikit-learn's default labels); micro from the summed counts.
    /// </summary>
    public static (double MacroAll, double MacroPresent, double Micro) F1(Tensor logit, Tensor target)
    {
        var classes = logit.shape[^1];
        var above = RankCounts.CountAbove(logit, null, strict: true, excludeSelf: true);
        var pred = above.eq(0.0.ToScalar()).to_type(ScalarType.Float64);
        var truth = nn.functional.one_hot(target, classes).to_type(ScalarType.Float64);
        // sum(dim: 0), not sum(0): a literal 0 converts to ScalarType (Byte) and picks the whole-tensor overload.
        var tp = pred.mul(truth).sum(dim: 0);
        var fp = pred.mul(MetricOps.Not(truth)).sum(dim: 0);
        var fn = MetricOps.Not(pred).mul(truth).sum(dim: 0);
        var denominator = MetricOps.Multiply(tp, 2).add(fp).add(fn);
        var perClass = MetricOps.DivideExact(MetricOps.Multiply(tp, 2), denominator);
        var present = denominator.gt(0.0.ToScalar()).to_type(ScalarType.Float64);
        var macroPresent = MetricOps.DivideExact(perClass.mul(present).sum(), present.sum());
        var micro = MetricOps.DivideExact(MetricOps.Multiply(tp.sum(), 2), denominator.sum());
        return (perClass.mean().item<double>(), macroPresent.item<double>(), micro.item<double>());
    }
}
