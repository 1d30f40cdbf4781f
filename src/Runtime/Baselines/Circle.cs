using MetricLoss.Runtime;
using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Baselines;

/// <summary>
/// Circle loss of Y. Sun, C. Cheng, Y. Zhang, C. Zhang, L. Zheng, Z. Wang and Y. Wei, "Circle Loss: A Unified
/// Perspective of Pair Similarity Optimization", CVPR 2020 (eq. 6–8), with class-level labels: every item of
/// the batch is an anchor, its same-class items are its positives and all others its negatives.
/// </summary>
/// <remarks>
/// <para>
/// With s the cosine similarity of the L2-normalised embeddings, for each anchor a with positives s_p (p ≠ a,
/// same label) and negatives s_n (different label):
/// </para>
/// <code>
/// α_p = max(0, O_p − s_p),  α_n = max(0, s_n − O_n)        (detached: re-weighting factors, no gradient)
/// O_p = 1 + m,  O_n = −m,  Δ_p = 1 − m,  Δ_n = m
/// L(a) = log(1 + Σ_n exp(γ·α_n·(s_n − Δ_n)) · Σ_p exp(−γ·α_p·(s_p − Δ_p)))
///      = softplus(logsumexp_n(γ·α_n·(s_n − Δ_n)) + logsumexp_p(−γ·α_p·(s_p − Δ_p)))
/// L = mean of L(a) over the anchors with at least one positive and one negative
/// </code>
/// <para>
/// The softplus / logsumexp form is the stable way to evaluate the paper's log(1 + Σ Σ) for γ in the hundreds.
/// Defaults <b>m = 0.25, γ = 256</b>: the values the paper gives for face recognition and person
/// re-identification. For fine-grained image retrieval the paper uses m = 0.4, γ = 80, which is what
/// pytorch-metric-learning's <c>CircleLoss</c> defaults to (its docstring lists all three settings); pass
/// those through <see cref="Options"/> to reproduce it. The α factors are detached as in
/// pytorch-metric-learning (the paper treats them as constants in its gradient analysis).
/// </para>
/// <para>
/// Masked entries enter the log-sum-exps as a large finite negative number (a quarter of the dtype's lowest
/// value), never −∞, so an anchor without positives or negatives yields a finite value (then excluded from the
/// mean) and no NaN gradient. A batch where no anchor has both (all one class, or all classes distinct) gives 0,
/// attached to the graph with a zero gradient. Computed in the embeddings' dtype (float16 / bfloat16 in float32,
/// then cast back) on their device; the labels are moved to that device. Cost O(N²·d) time, O(N²) memory.
/// </para>
/// </remarks>
public static class Circle
{
    private const string Name = "Circle";

    /// <summary>Options of <see cref="Circle"/>.</summary>
    public sealed record Options
    {
        /// <summary>The defaults (m = 0.25, γ = 256).</summary>
        public static Options Default { get; } = new();

        /// <summary>m, the relaxation margin; default 0.25.</summary>
        public double Margin { get; init; } = 0.25;

        /// <summary>γ, the scale factor; default 256.</summary>
        public double Gamma { get; init; } = 256;

        internal void Validate()
        {
            PairwiseBatch.RequireOption(Name, nameof(Margin), Margin, 0, strict: false);
            PairwiseBatch.RequireOption(Name, nameof(Gamma), Gamma, 0, strict: true);
        }
    }

    /// <summary>Circle loss of a batch: a 0-dim tensor in the embeddings' dtype, on their device.</summary>
    /// <param name="embeddings">[N, d], floating; normalised inside.</param>
    /// <param name="labels">[N] class ids, any integer dtype.</param>
    /// <param name="options">m and γ; null for the defaults.</param>
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

        double m = options.Margin;
        using var zero = 0.0.ToScalar();
        using var optimumPositive = (1 + m).ToScalar();   // O_p
        using var optimumNegative = (-m).ToScalar();      // O_n
        using var deltaPositive = (1 - m).ToScalar();     // Δ_p
        using var deltaNegative = m.ToScalar();           // Δ_n
        using var gamma = options.Gamma.ToScalar();
        using var minusGamma = (-options.Gamma).ToScalar();
        using var masked = (finfo(dtype).min / 4).ToScalar();

        var s = similarity;
        var sDetached = s.detach();
        var alphaPositive = sDetached.neg().add(optimumPositive, KeptScalars.One).clamp_min(zero);
        var alphaNegative = sDetached.sub(optimumNegative).clamp_min(zero);

        var logitPositive = s.sub(deltaPositive).mul(alphaPositive).mul(minusGamma)
            .masked_fill(positive.logical_not(), masked);
        var logitNegative = s.sub(deltaNegative).mul(alphaNegative).mul(gamma)
            .masked_fill(negative.logical_not(), masked);

        var perAnchor = nn.functional.softplus(logitNegative.logsumexp(1).add(logitPositive.logsumexp(1), KeptScalars.One));
        var counted = positive.any(1).logical_and(negative.any(1));
        var loss = PairwiseBatch.MaskedMean(perAnchor, counted);
        return (loss.dtype == outputType ? loss : loss.to_type(outputType)).MoveToOuterDisposeScope();
    }
}
