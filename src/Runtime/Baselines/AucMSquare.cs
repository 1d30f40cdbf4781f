using MetricLoss.Runtime;
using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetricLoss.Baselines;

/// <summary>
/// The AUC-M square loss of Z. Yuan, Y. Yan, M. Sonka and T. Yang, "Large-scale Robust Deep AUC Maximization: A
/// New Surrogate Loss and Empirical Studies on Medical Image Classification", ICCV 2021 (the AUC margin
/// objective, in its per-example form): a min-max problem in the scores and three scalars a, b, α.
/// </summary>
/// <remarks>
/// <para>
/// The paper's objective, with h(x) ∈ [0, 1] the score (here σ(logit)), margin m and the two class-conditional
/// expectations, is min over (w, a, b) and max over α ≥ 0 of
/// </para>
/// <code>
/// E[(h − a)² | y = 1] + E[(h − b)² | y = 0] + 2α·(m − E[h | y = 1] + E[h | y = 0]) − α²
/// </code>
/// <para>
/// For stochastic optimisation the paper writes it as the expectation, over examples, of (p = the positive rate
/// of the training set, a constant):
/// </para>
/// <code>
/// f = (1 − p)(h − a)²·[y = 1] + p(h − b)²·[y = 0]
///   + 2α·(p(1 − p)·m + p·h·[y = 0] − (1 − p)·h·[y = 1]) − p(1 − p)·α²
/// </code>
/// <para>
/// whose expectation is p(1 − p) times the objective above. <see cref="Loss"/> returns the mean of f over the
/// batch, so a batch without positives (or without negatives) is still a valid, unbiased term. a and b track the
/// class means of the scores; the max over α (whose optimum is α* = max(0, m − E[h | y = 1] + E[h | y = 0]))
/// turns the margin term into a squared hinge on the difference of the class means. The paper optimises it by
/// gradient descent in (w, a, b) and projected gradient <i>ascent</i> in α (its PESG algorithm):
/// <see cref="Variables"/> holds a, b and α and performs the ascent step. Default margin <b>m = 1</b>, the
/// paper's library default.
/// </para>
/// <para>
/// Computed in the scores' dtype (float16 / bfloat16 in float32, then cast back); a, b, α are 0-dim tensors
/// converted to that dtype and device, and receive gradients when they require them.
/// </para>
/// </remarks>
public static class AucMSquare
{
    private const string Name = "AucMSquare";

    /// <summary>Options of <see cref="AucMSquare"/>.</summary>
    public sealed record Options
    {
        /// <summary>The defaults (m = 1).</summary>
        public static Options Default { get; } = new();

        /// <summary>m &gt; 0, the margin between the mean positive and the mean negative score; default 1.</summary>
        public double Margin { get; init; } = 1.0;

        internal void Validate() => PairwiseBatch.RequireOption(Name, nameof(Margin), Margin, 0, strict: true);
    }

    /// <summary>The mean over the batch of the per-example objective f: a 0-dim tensor in the scores' dtype.</summary>
    /// <param name="scores">[N] scores h(x) in [0, 1] (for example σ(logit)).</param>
    /// <param name="labels">[N] 0/1 labels (bool, integer or floating).</param>
    /// <param name="a">0-dim: the positives' centre a (minimised).</param>
    /// <param name="b">0-dim: the negatives' centre b (minimised).</param>
    /// <param name="alpha">0-dim: the multiplier α ≥ 0 (maximised).</param>
    /// <param name="positiveRate">p ∈ (0, 1): the positive rate of the training set.</param>
    /// <param name="options">The margin; null for the default.</param>
    /// <exception cref="ArgumentException">An input has the wrong rank, dtype or length, or p or an option is out of range.</exception>
    public static Tensor Loss(Tensor scores, Tensor labels, Tensor a, Tensor b, Tensor alpha, double positiveRate, Options? options = null)
    {
        options ??= Options.Default;
        options.Validate();
        BinaryBatch.Validate(Name, scores, labels);
        if (!(positiveRate > 0 && positiveRate < 1))
            throw new ArgumentException($"{Name}: the positive rate must be in (0, 1), but is {positiveRate}.", nameof(positiveRate));

        using var scope = torch.NewDisposeScope();
        var outputType = scores.dtype;
        var dtype = PairwiseBatch.ComputeType(outputType);
        var h = scores.to_type(dtype);
        var positive = BinaryBatch.Targets(labels, h, dtype);
        var negative = positive.neg().add(KeptScalars.One, KeptScalars.One);
        var (av, bv, alphaV) = (a.to(dtype, h.device), b.to(dtype, h.device), alpha.to(dtype, h.device));
        double p = positiveRate;
        using var q = (1 - p).ToScalar();
        using var pS = p.ToScalar();
        using var pq = (p * (1 - p)).ToScalar();
        using var pqm = (p * (1 - p) * options.Margin).ToScalar();

        var squarePositive = h.sub(av).pow(KeptScalars.Two).mul(positive).mul(q);
        var squareNegative = h.sub(bv).pow(KeptScalars.Two).mul(negative).mul(pS);
        // p(1 − p)m + p·h·[y = 0] − (1 − p)·h·[y = 1], per example.
        var gap = h.mul(negative).mul(pS).sub(h.mul(positive).mul(q)).add(pqm, KeptScalars.One);
        var margin = gap.mul(alphaV).mul(KeptScalars.Two);
        var penalty = alphaV.pow(KeptScalars.Two).mul(pq);
        var f = squarePositive.add(squareNegative, KeptScalars.One).add(margin, KeptScalars.One).sub(penalty);
        var loss = f.mean();
        return (loss.dtype == outputType ? loss : loss.to_type(outputType)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// a, b and α of one training run: 0-dim float32 parameters, a = b = α = 0 at the start. Give
    /// <see cref="A"/> and <see cref="B"/> to the optimiser with the model's parameters (they are minimised), and
    /// call <see cref="AscendAlpha"/> after each backward pass (α is maximised: α ← max(0, α + η·∂L/∂α)).
    /// </summary>
    public sealed class Variables : IDisposable
    {
        /// <summary>The positives' centre a.</summary>
        public Parameter A { get; } = new(zeros(Array.Empty<long>(), ScalarType.Float32), requires_grad: true);

        /// <summary>The negatives' centre b.</summary>
        public Parameter B { get; } = new(zeros(Array.Empty<long>(), ScalarType.Float32), requires_grad: true);

        /// <summary>The multiplier α ≥ 0.</summary>
        public Parameter Alpha { get; } = new(zeros(Array.Empty<long>(), ScalarType.Float32), requires_grad: true);

        /// <summary>The projected gradient ascent step of α, then its gradient is cleared; nothing when α has no gradient yet.</summary>
        /// <param name="learningRate">η, the step size (the paper uses the model's learning rate).</param>
        public void AscendAlpha(double learningRate)
        {
            using var noGrad = no_grad();
            using var gradient = Alpha.grad;
            if (gradient is null) return;
            using var step = learningRate.ToScalar();
            using var zero = 0.0.ToScalar();
            Alpha.add_(gradient, step).clamp_min_(zero);
            gradient.zero_();
        }

        /// <inheritdoc />
        public void Dispose()
        {
            A.Dispose();
            B.Dispose();
            Alpha.Dispose();
        }
    }
}
