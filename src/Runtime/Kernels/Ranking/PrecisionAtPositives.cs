using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Precision at each positive and average precision per row, with scikit-learn's treatment of ties, from one
/// sort per row. This is the AveragePrecision example of docs/language.md:
/// <code>
/// above[i]     = 1 + sum[j != i](score[j] &gt;= score[i]);
/// pos_above[i] = 1 + sum[j != i](label[j] &amp; (score[j] &gt;= score[i]));
/// maximize sum[i](label[i] * pos_above[i] / above[i]) / sum[i](label[i]);
/// </code>
/// At a positive i, <c>pos_above[i] / above[i]</c> is the precision of the threshold <c>score[i]</c>, all of
/// its ties included: that is scikit-learn's <c>average_precision_score</c>, Σ_t (R_t − R_{t−1})·P_t over the
/// distinct scores t, since each positive at score t adds 1/P to the recall at t.
/// For direct use (benchmarks/sklearn compares it with scikit-learn); generated exact programs count through
/// <see cref="TieGroups"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PrecisionAtPositives
{
    /// <summary>
    /// <c>result[..., i] = Σ_j p_j·[s_j ≥ s_i] / Σ_j v_j·[s_j ≥ s_i]</c> with <c>v = valid</c> (all ones when null)
    /// and <c>p = positive·v</c>; 0 where the denominator is 0 (only possible at an item that is not valid).
    /// At a valid positive this equals <c>pos_above[i] / above[i]</c> of the AveragePrecision example; at other
    /// items it is the precision of their threshold (ignored by average precision).
    /// </summary>
    /// <param name="scores">Scores <c>[..., N]</c>, any real dtype, any device; not NaN.</param>
    /// <param name="positive">Labels <c>[..., N]</c> (bool or 0/1 numbers).</param>
    /// <param name="valid">Which items are ranked at all <c>[..., N]</c> (e.g. not the query itself), or null for all.</param>
    /// <returns>float64 <c>[..., N]</c> on the scores' device.</returns>
    /// <exception cref="System.ArgumentException">A 0-dimensional, complex or disposed tensor, or a shape mismatch.</exception>
    public static Tensor Precision(Tensor scores, Tensor positive, Tensor? valid = null)
    {
        Validate("PrecisionAtPositives.Precision", scores, positive, valid);
        using var scope = NewDisposeScope();
        using var groups = new TieGroups(scores);
        var (precision, _) = groups.SortedPrecision(positive, valid);
        return groups.Unsort(precision).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Average precision per row: <c>Σ_i p_i·precision_i / Σ_i p_i</c> (<see cref="Precision"/>), 0 for a row
    /// without positives (scikit-learn 1.2 also returns 0 there, with a warning).
    /// </summary>
    /// <inheritdoc cref="Precision" path="/param"/>
    /// <returns>float64 <c>[...]</c> (the scores' shape without its last axis) on the scores' device.</returns>
    /// <exception cref="System.ArgumentException">A 0-dimensional, complex or disposed tensor, or a shape mismatch.</exception>
    public static Tensor AveragePrecision(Tensor scores, Tensor positive, Tensor? valid = null)
    {
        Validate("PrecisionAtPositives.AveragePrecision", scores, positive, valid);
        using var scope = NewDisposeScope();
        using var groups = new TieGroups(scores);
        var (precision, p) = groups.SortedPrecision(positive, valid);
        return MetricOps.DivideExact(precision.mul_(p).sum(-1), p.sum(-1)).MoveToOuterDisposeScope();
    }

    private static void Validate(string kernel, Tensor scores, Tensor positive, Tensor? valid)
    {
        RankingArguments.RequireValues(kernel, nameof(scores), scores);
        RankingArguments.RequireSameShape(kernel, nameof(positive), positive, nameof(scores), scores);
        if (valid is not null)
        {
            RankingArguments.RequireSameShape(kernel, nameof(valid), valid, nameof(scores), scores);
        }
    }
}
