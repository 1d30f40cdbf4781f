using MetricLoss.Runtime;
using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Baselines;

/// <summary>
/// The contrastive loss of R. Hadsell, S. Chopra and Y. LeCun, "Dimensionality Reduction by Learning an
/// Invariant Mapping", CVPR 2006 (eq. 4), on every pair of a batch of L2-normalised embeddings.
/// </summary>
/// <remarks>
/// <para>
/// With ê the L2-normalised embeddings and D(a, b) = ‖ê_a − ê_b‖₂ the Euclidean distance on the unit sphere
/// (D² = 2 − 2·cos, so D ∈ [0, 2]):
/// </para>
/// <code>
/// L = mean over positive pairs (a ≠ b, same label)  of ½·D(a, b)²
///   + mean over negative pairs (different labels)     of ½·max(0, m − D(a, b))²
/// </code>
/// <para>
/// Positives are pulled together; negatives are pushed apart until they are at least the margin m apart
/// (default <b>m = 1</b>, i.e. a cosine similarity of at most ½; the same negative margin as
/// pytorch-metric-learning's <c>ContrastiveLoss</c>, which also uses the Euclidean distance of normalised
/// embeddings by default). The pair terms are those of the paper (squared, with the ½ factors). Unlike the
/// paper, which averages over all pairs, the positive and negative terms are averaged <b>separately</b>, so the
/// many more negatives of a class-balanced batch do not drown the positives (pytorch-metric-learning also
/// reduces the two sets separately, over the pairs with a non-zero loss). Both orders (a, b) and (b, a) of a
/// pair are counted, which does not change the means.
/// </para>
/// <para>
/// The embeddings are normalised inside the loss (<c>normalize(x, p: 2, dim: 1)</c>, idempotent on already
/// normalised rows). D = sqrt(max(D², ε)) for the negative term, so two coincident embeddings of different
/// classes give a finite (zero) gradient instead of NaN. A batch without positive pairs (all classes
/// distinct) has a positive term of 0; a batch without negative pairs (one class) a negative term of 0; the
/// result is then finite, attached to the graph, with a zero gradient from the missing term.
/// </para>
/// <para>
/// Computed in the embeddings' dtype (float16 / bfloat16 in float32, then cast back) on their device. The
/// labels are moved to that device. Cost O(N²·d) time and O(N²) memory.
/// </para>
/// </remarks>
public static class Contrastive
{
    private const string Name = "Contrastive";

    /// <summary>Options of <see cref="Contrastive"/>.</summary>
    public sealed record Options
    {
        /// <summary>The defaults.</summary>
        public static Options Default { get; } = new();

        /// <summary>m: negatives closer than this Euclidean distance (on the unit sphere, so in (0, 2]) are pushed; default 1.</summary>
        public double Margin { get; init; } = 1.0;

        /// <summary>ε under the square root of the negative term's distance; default 1e-8 (never below the dtype's smallest normal number).</summary>
        public double Epsilon { get; init; } = 1e-8;

        internal void Validate()
        {
            PairwiseBatch.RequireOption(Name, nameof(Margin), Margin, 0, strict: true);
            PairwiseBatch.RequireOption(Name, nameof(Epsilon), Epsilon, 0, strict: true);
        }
    }

    /// <summary>The contrastive loss of a batch: a 0-dim tensor in the embeddings' dtype, on their device.</summary>
    /// <param name="embeddings">[N, d], floating; normalised inside.</param>
    /// <param name="labels">[N] class ids, any integer dtype.</param>
    /// <param name="options">Margin and ε; null for the defaults.</param>
    /// <exception cref="ArgumentException">An input has the wrong rank, dtype or length, or an option is out of range.</exception>
    public static Tensor Loss(Tensor embeddings, Tensor labels, Options? options = null)
    {
        options ??= Options.Default;
        options.Validate();
        PairwiseBatch.Validate(Name, embeddings, labels);

        using var scope = torch.NewDisposeScope();
        var outputType = embeddings.dtype;
        var dtype = PairwiseBatch.ComputeType(outputType);
        var (similarity, positive, negative) = PairwiseBatch.Build(embeddings, labels, dtype);

        using var two = 2.0.ToScalar();
        using var half = 0.5.ToScalar();
        using var zero = 0.0.ToScalar();
        using var margin = options.Margin.ToScalar();
        using var eps = Math.Max(options.Epsilon, finfo(dtype).tiny).ToScalar();

        // D² = ‖ê_a‖² + ‖ê_b‖² − 2⟨ê_a, ê_b⟩ = 2 − 2·cos; clamped at 0 against rounding.
        var squared = similarity.mul(two).neg().add(two, KeptScalars.One).clamp_min(zero);
        var pull = squared.mul(half);
        var distance = squared.clamp_min(eps).sqrt();
        var push = distance.neg().add(margin, KeptScalars.One).relu().pow(KeptScalars.Two).mul(half);

        var loss = PairwiseBatch.MaskedMean(pull, positive).add(PairwiseBatch.MaskedMean(push, negative), KeptScalars.One);
        return (loss.dtype == outputType ? loss : loss.to_type(outputType)).MoveToOuterDisposeScope();
    }
}
