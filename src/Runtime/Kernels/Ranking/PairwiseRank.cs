using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Exact pairwise rank statistics per row, by sorting with tie groups (docs/architecture.md, "Lowering: the
/// performance contract": <c>sum[i, j](a[i] * b[j] * H(x[i] - x[j]))</c> → a Mann–Whitney count with tie groups).
/// For direct use (benchmarks/sklearn compares it with scikit-learn); generated exact programs count through
/// <see cref="TieGroups"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class PairwiseRank
{
    /// <summary>
    /// The Mann–Whitney U count <c>Σ_{i,j} positive[..., i]·negative[..., j]·step(scores[..., i] − scores[..., j])</c>
    /// per row, ties counting ½ (step of docs/language.md, "Semantics"; i = j is included, as in <c>sum[i, j]</c>):
    /// the <c>wins</c> of the RocAuc example. Its denominator <c>pairs = Σ positive · Σ negative</c> is a plain sum,
    /// so ROC AUC = MannWhitney / (P·N), the value of scikit-learn's <c>roc_auc_score</c> (which also counts ties ½).
    /// </summary>
    /// <remarks>
    /// One sort per row, then O(N): for each positive i, the negative weight strictly below <c>scores[i]</c> plus
    /// half the negative weight tied with it. Exact in float64 for 0/1 masks while U ≤ 2^53. No N×N tensor, no host sync.
    /// </remarks>
    /// <param name="scores">Scores <c>[..., N]</c>, any real dtype, any device; not NaN.</param>
    /// <param name="positive">Weights of the i side <c>[..., N]</c> (bool or numbers); moved to the scores' device.</param>
    /// <param name="negative">Weights of the j side <c>[..., N]</c> (bool or numbers); moved to the scores' device.</param>
    /// <returns>float64 <c>[...]</c> (the scores' shape without its last axis) on the scores' device.</returns>
    /// <exception cref="System.ArgumentException">A 0-dimensional, complex or disposed tensor, or a shape mismatch.</exception>
    public static Tensor MannWhitney(Tensor scores, Tensor positive, Tensor negative)
    {
        const string kernel = "PairwiseRank.MannWhitney";
        RankingArguments.RequireValues(kernel, nameof(scores), scores);
        RankingArguments.RequireSameShape(kernel, nameof(positive), positive, nameof(scores), scores);
        RankingArguments.RequireSameShape(kernel, nameof(negative), negative, nameof(scores), scores);
        using var groups = new TieGroups(scores);
        return groups.MannWhitney(positive, negative);
    }
}
