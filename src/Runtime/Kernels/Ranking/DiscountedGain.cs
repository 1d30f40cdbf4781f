using System;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// The language's built-in <c>ideal_dcg[i](gain, k)</c> (docs/language.md, end of "Normative examples"): the DCG of
/// the gains sorted in decreasing order, cut at k, as in scikit-learn's <c>ndcg_score</c> normaliser (linear
/// gains) and ApproxNDCG's maxDCG (Qin, Liu, Li, Information Retrieval 2010; docs/surrogates.md §5.4). An exact kernel
/// for direct use: generated programs compute <c>ideal_dcg</c> with <see cref="DenseOps.IdealDcg"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DiscountedGain
{
    /// <summary>
    /// <c>result[...] = Σ_{r = 1}^{min(k, N)} g_(r) / log2(1 + r)</c>, where <c>g_(1) ≥ g_(2) ≥ ...</c> are the row's
    /// gains in decreasing order. O(N log k) per row (a top-k selection, not a full sort).
    /// </summary>
    /// <param name="gain">Gains <c>[..., N]</c>, any real dtype, any device (constants: never differentiated).</param>
    /// <param name="k">The cut; k ≥ N takes every item, k = 0 gives 0.</param>
    /// <returns>float64 <c>[...]</c> on the gains' device.</returns>
    /// <exception cref="ArgumentException">A 0-dimensional, complex or disposed tensor, or k &lt; 0.</exception>
    public static Tensor IdealDcg(Tensor gain, long k)
    {
        const string kernel = "DiscountedGain.IdealDcg";
        RankingArguments.RequireValues(kernel, nameof(gain), gain);
        if (k < 0)
        {
            throw new ArgumentException($"{kernel}: 'k' must be at least 0; it is {k}.", nameof(k));
        }
        using var scope = NewDisposeScope();
        var device = gain.device;
        var cut = Math.Min(k, gain.shape[^1]);
        var g = gain.to_type(ScalarType.Float64);
        if (cut == 0)
        {
            return g.sum(-1).zero_().MoveToOuterDisposeScope();
        }
        var (top, _) = g.topk((int)cut, dim: -1, largest: true, sorted: true);
        // Discount of rank r = 1..cut: 1 / log2(1 + r).
        using var two = 2L.ToScalar();
        using var end = (cut + 2).ToScalar();
        var discount = arange(two, end, ScalarType.Float64, device).log2_().reciprocal_();
        return top.mul(discount).sum(-1).MoveToOuterDisposeScope();
    }
}
