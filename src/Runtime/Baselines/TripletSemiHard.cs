using MetricLoss.Runtime;
using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Baselines;

/// <summary>
/// The triplet loss with online semi-hard negative mining of F. Schroff, D. Kalenichenko and J. Philbin,
/// "FaceNet: A Unified Embedding for Face Recognition and Clustering", CVPR 2015 (eq. 1 and §3.2).
/// </summary>
/// <remarks>
/// <para>
/// On L2-normalised embeddings with the squared Euclidean distance d(a, b) = ‖ê_a − ê_b‖² = 2 − 2·cos (as the
/// paper), every anchor-positive pair (a, p) of the batch (a ≠ p, same label) gets one negative n (different
/// label) and the hinge
/// </para>
/// <code>
/// ℓ(a, p) = max(0, d(a, p) − d(a, n) + α),   default margin α = 0.2 (the paper's)
/// L = mean of ℓ over all anchor-positive pairs whose anchor has at least one negative
/// </code>
/// <para>
/// <b>Mining (semi-hard).</b> n is the closest negative that is still farther from the anchor than the positive,
/// argmin { d(a, n) : d(a, n) &gt; d(a, p) }. When a negative lies in the band d(a, p) &lt; d(a, n) &lt;
/// d(a, p) + α this is a semi-hard negative of the paper; when the closest such negative lies beyond the band
/// the pair's loss is 0. The paper uses "all anchor-positive pairs in a mini-batch" with semi-hard negatives;
/// the mean over all of them (zero-loss pairs included) is the reduction of TensorFlow's
/// <c>triplet_semihard_loss</c>.
/// </para>
/// <para>
/// <b>Fallback.</b> When no negative is farther than the positive (every negative is at least as close: the
/// pair is "hard" for all of them), the <b>farthest</b> negative, argmax d(a, n), is used, i.e. the easiest one;
/// this is also what TensorFlow's <c>triplet_semihard_loss</c> does. The paper warns that the hardest negatives
/// "can in practice lead to bad local minima early on in training"; the farthest negative keeps a gradient on
/// such a pair without that risk.
/// </para>
/// <para>
/// The choice of n is made on detached distances (the indices carry no gradient); the gradient then flows
/// through d(a, p) and the chosen d(a, n). An anchor without negatives (a batch of one class) contributes no
/// pair; a batch without anchor-positive pairs gives 0 (attached to the graph, zero gradient). Computed in the
/// embeddings' dtype (float16 / bfloat16 in float32, then cast back) on their device; the labels are moved to
/// that device. Cost O(N²·d + N² log N) time (one sort per anchor, one binary search per pair), O(N²) memory.
/// </para>
/// </remarks>
public static class TripletSemiHard
{
    private const string Name = "TripletSemiHard";

    /// <summary>Options of <see cref="TripletSemiHard"/>.</summary>
    public sealed record Options
    {
        /// <summary>The defaults.</summary>
        public static Options Default { get; } = new();

        /// <summary>α, in squared Euclidean distance on the unit sphere (so in [0, 4]); default 0.2 (FaceNet).</summary>
        public double Margin { get; init; } = 0.2;

        internal void Validate() => PairwiseBatch.RequireOption(Name, nameof(Margin), Margin, 0, strict: false);
    }

    /// <summary>The semi-hard triplet loss of a batch: a 0-dim tensor in the embeddings' dtype, on their device.</summary>
    /// <param name="embeddings">[N, d], floating; normalised inside.</param>
    /// <param name="labels">[N] class ids, any integer dtype.</param>
    /// <param name="options">The margin; null for the default.</param>
    /// <exception cref="ArgumentException">An input has the wrong rank, dtype or length, or the margin is out of range.</exception>
    public static Tensor Loss(Tensor embeddings, Tensor labels, Options? options = null)
    {
        options ??= Options.Default;
        options.Validate();
        PairwiseBatch.Validate(Name, embeddings, labels);

        using var scope = torch.NewDisposeScope();
        var outputType = embeddings.dtype;
        var dtype = PairwiseBatch.ComputeType(outputType);
        var (similarity, positive, negative) = PairwiseBatch.Build(embeddings, labels, dtype);
        long n = embeddings.shape[0];

        using var two = 2.0.ToScalar();
        using var zero = 0.0.ToScalar();
        using var margin = options.Margin.ToScalar();
        using var infinity = double.PositiveInfinity.ToScalar();
        using var minusInfinity = double.NegativeInfinity.ToScalar();
        using var last = Math.Max(n - 1, 0).ToScalar();

        // d = ‖ê_a − ê_b‖² = 2 − 2·cos, clamped at 0 against rounding.
        var distance = similarity.mul(two).neg().add(two, KeptScalars.One).clamp_min(zero);

        Tensor chosen;
        Tensor hasNegative;
        using (no_grad())
        {
            var d = distance.detach();
            // Each anchor's negatives in increasing distance; other columns are +∞ and sort last.
            var (sorted, order) = d.masked_fill(negative.logical_not(), infinity).sort(dim: 1);
            var negatives = negative.sum(dim: 1, keepdim: true, type: ScalarType.Int64);
            hasNegative = negatives.gt(zero);
            // below[a, p] = #negatives n with d(a, n) ≤ d(a, p); the next one in the order is the closest
            // negative strictly farther than p. The rows of `sorted` are the anchors, `d[a, p]` the values.
            var below = searchsorted(sorted, d, right: true);
            var semiHard = order.gather(1, below.clamp_max(last));
            var found = below.lt(negatives);
            var farthest = d.masked_fill(negative.logical_not(), minusInfinity).argmax(dim: 1, keepdim: true);
            chosen = where(found, semiHard, farthest.expand(n, n));
        }

        var negativeDistance = distance.gather(1, chosen);
        var hinge = distance.sub(negativeDistance).add(margin, KeptScalars.One).relu();
        var pairs = positive.logical_and(hasNegative);
        var loss = PairwiseBatch.MaskedMean(hinge, pairs);
        return (loss.dtype == outputType ? loss : loss.to_type(outputType)).MoveToOuterDisposeScope();
    }
}
