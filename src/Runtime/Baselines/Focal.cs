using MetricLoss.Runtime;
using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Baselines;

/// <summary>
/// The focal loss of T.-Y. Lin, P. Goyal, R. Girshick, K. He and P. Dollár, "Focal Loss for Dense Object
/// Detection", ICCV 2017 (eq. 5, the α-balanced form), for binary classification from logits.
/// </summary>
/// <remarks>
/// <para>With p = σ(z) the predicted probability of the positive class and y ∈ {0, 1}:</para>
/// <code>
/// p_t = p if y = 1, 1 − p otherwise;   α_t = α if y = 1, 1 − α otherwise
/// FL  = −α_t · (1 − p_t)^γ · log(p_t),   L = mean of FL over the batch
/// </code>
/// <para>
/// Defaults <b>γ = 2, α = 0.25</b>, the paper's best setting (Table 1a–b). Note that α = 0.25 <i>down</i>-weights
/// the positive class: in the paper α and γ interact, and the modulating factor already removes most of the
/// easy negatives' weight. γ = 0 and α = 0.5 give half the binary cross-entropy. The paper normalises the sum by
/// the number of positive anchors of an image; for a classifier trained on mini-batches the mean over the batch
/// is the usual reduction (it only rescales the gradient by a batch-dependent constant).
/// </para>
/// <para>
/// Computed stably from the logit: with z_t = z if y = 1 and −z otherwise, log p_t = log σ(z_t) and
/// 1 − p_t = σ(−z_t), so no probability is ever rounded to 0 or 1 before its log is taken. Labels may be bool,
/// integer or floating 0/1; they are converted to the logits' dtype and device. Computed in the logits' dtype
/// (float16 / bfloat16 in float32, then cast back).
/// </para>
/// </remarks>
public static class Focal
{
    private const string Name = "Focal";

    /// <summary>Options of <see cref="Focal"/>.</summary>
    public sealed record Options
    {
        /// <summary>The defaults (γ = 2, α = 0.25).</summary>
        public static Options Default { get; } = new();

        /// <summary>γ ≥ 0, the focusing parameter; default 2.</summary>
        public double Gamma { get; init; } = 2.0;

        /// <summary>α ∈ [0, 1], the weight of the positive class (1 − α for the negatives); default 0.25.</summary>
        public double Alpha { get; init; } = 0.25;

        internal void Validate()
        {
            PairwiseBatch.RequireOption(Name, nameof(Gamma), Gamma, 0, strict: false);
            PairwiseBatch.RequireOption(Name, nameof(Alpha), Alpha, 0, strict: false);
            if (Alpha > 1) throw new ArgumentException($"{Name}: option '{nameof(Alpha)}' must be at most 1, but is {Alpha}.", nameof(Alpha));
        }
    }

    /// <summary>The mean focal loss of a batch: a 0-dim tensor in the logits' dtype, on their device.</summary>
    /// <param name="logits">[N] floating logits z (p = σ(z)).</param>
    /// <param name="labels">[N] 0/1 labels (bool, integer or floating).</param>
    /// <param name="options">γ and α; null for the defaults.</param>
    /// <exception cref="ArgumentException">An input has the wrong rank, dtype or length, or an option is out of range.</exception>
    public static Tensor Loss(Tensor logits, Tensor labels, Options? options = null)
    {
        options ??= Options.Default;
        options.Validate();
        BinaryBatch.Validate(Name, logits, labels);

        using var scope = torch.NewDisposeScope();
        var outputType = logits.dtype;
        var dtype = PairwiseBatch.ComputeType(outputType);
        var z = logits.to_type(dtype);
        var y = BinaryBatch.Targets(labels, z, dtype);
        using var gamma = options.Gamma.ToScalar();
        using var alpha = options.Alpha.ToScalar();
        using var oneMinusAlpha = (1 - options.Alpha).ToScalar();

        // sign = 2y − 1, so z_t = sign·z; α_t = (1 − α) + (2α − 1)·y.
        var sign = y.mul(KeptScalars.Two).sub(KeptScalars.One);
        var zt = z.mul(sign);
        var logPt = nn.functional.logsigmoid(zt);
        var modulation = zt.neg().sigmoid().pow(gamma);
        var alphaT = y.mul(alpha).add(y.neg().add(KeptScalars.One, KeptScalars.One).mul(oneMinusAlpha), KeptScalars.One);
        var loss = alphaT.mul(modulation).mul(logPt).neg().mean();
        return (loss.dtype == outputType ? loss : loss.to_type(outputType)).MoveToOuterDisposeScope();
    }
}
