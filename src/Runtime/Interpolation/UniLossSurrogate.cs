using System;
using MetricLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Interpolation;

/// <summary>
/// The smooth value of an <c>interpolate</c> metric (docs/language.md, "Interpolation mode (UniLoss)"; UniLoss: Liu,
/// Wang, Deng, "A Unified Framework of Surrogate Loss by Refactoring and Interpolation", ECCV 2020): relax the
/// comparisons, draw anchors, evaluate the exact rest of the metric at the anchors, interpolate.
/// </summary>
/// <remarks>
/// <para>Steps, in one dispose scope (docs/torchsharp-rules.md rule 1):</para>
/// <list type="number">
/// <item>compute dtype = Δ's dtype, float16/bfloat16 upcast to float32;</item>
/// <item>b̃ = relax(Δ/τ) (<see cref="SoftBinaries"/>), differentiable in Δ;</item>
/// <item>anchors [K, D] around h = [Δ &gt; 0] (<see cref="AnchorSampler"/>), drawn from <c>generator</c>;</item>
/// <item>vₖ = exactTail(anchors) under <c>torch.no_grad()</c>, detached: the anchor values are constants;</item>
/// <item><see cref="IdwInterpolation.Interpolate"/>(b̃, anchors, v, valid, ε), cast back to Δ's dtype.</item>
/// </list>
/// <para>No host sync in this path (docs/torchsharp-rules.md rule 9): validation reads shapes only, and the anchor draw is
/// branch-free on data. Whether the exact tail syncs is up to the delegate. The anchors are re-drawn at every call,
/// as in UniLoss, so a fixed seed per call gives the same anchors; a generator kept across calls gives fresh ones.</para>
/// <para>The result is the smooth <i>metric</i> (the value to maximise); a loss is e.g. 1 − value or −value.</para>
/// </remarks>
public static class UniLossSurrogate
{
    /// <summary>Smooth metric with one temperature τ for every comparison.</summary>
    /// <param name="delta">Δ, [D]: every score-dependent comparison of the metric, flattened over its axes and
    /// concatenated, written so that Δ &gt; 0 (true) is desirable. Differentiable.</param>
    /// <param name="valid">[D], bool or 0/1 numbers: false/0 drops a coordinate (a masked-out pair). Constant.</param>
    /// <param name="temperature">τ &gt; 0 of b̃ = relax(Δ/τ).</param>
    /// <param name="good">Anchors: ground truth with one valid coordinate flipped (≥ 0; default 16).</param>
    /// <param name="nearby">Anchors: hard state one step towards the ground truth (≥ 0; default 16).</param>
    /// <param name="random">Anchors: uniform on valid coordinates (≥ 0; default 16).</param>
    /// <param name="generator">Seeded generator on Δ's device (docs/torchsharp-rules.md rule 22).</param>
    /// <param name="exactTail">The exact rest of the metric for a batch of binary configurations: takes anchors
    /// [K, D] of 0/1 in the compute dtype on Δ's device (column j is coordinate j of Δ; invalid columns hold 1) and
    /// returns the K metric values [K]. Called once, under no_grad; tensors it creates die with this call's scope.</param>
    /// <param name="epsilon">ε ≥ 0 of wₖ = 1/(dₖ + ε).</param>
    /// <param name="relaxation">σ (default, docs/language.md) or the linear ramp.</param>
    /// <returns>0-dim tensor of Δ's dtype on Δ's device.</returns>
    /// <exception cref="ArgumentNullException">A tensor, the generator or the exact tail is null.</exception>
    /// <exception cref="ArgumentException">Δ is not a vector, valid is not [D], or the generator is on another device
    /// type than Δ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">τ is not positive, an anchor count is negative, or ε is negative or
    /// not finite.</exception>
    /// <exception cref="InvalidOperationException">The exact tail returned null or not one value per anchor.</exception>
    public static Tensor Evaluate(Tensor delta, Tensor valid, double temperature, int good, int nearby, int random,
        torch.Generator generator, Func<Tensor, Tensor> exactTail, double epsilon = UniLossDefaults.Epsilon,
        Relaxation relaxation = Relaxation.Sigmoid)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "τ must be > 0");
        return Run(delta, valid, null, temperature, good, nearby, random, generator, exactTail, epsilon, relaxation);
    }

    /// <summary>Smooth metric with per-coordinate temperatures τ ([D] or 0-dim, positive).</summary>
    /// <param name="delta">Δ, [D]: every score-dependent comparison of the metric, flattened over its axes and
    /// concatenated, written so that Δ &gt; 0 (true) is desirable. Differentiable.</param>
    /// <param name="valid">[D], bool or 0/1 numbers: false/0 drops a coordinate (a masked-out pair). Constant.</param>
    /// <param name="temperature">τ, [D] or 0-dim, positive (values are not checked: that would synchronise with the
    /// device).</param>
    /// <param name="good">Anchors: ground truth with one valid coordinate flipped (≥ 0; default 16).</param>
    /// <param name="nearby">Anchors: hard state one step towards the ground truth (≥ 0; default 16).</param>
    /// <param name="random">Anchors: uniform on valid coordinates (≥ 0; default 16).</param>
    /// <param name="generator">Seeded generator on Δ's device (docs/torchsharp-rules.md rule 22).</param>
    /// <param name="exactTail">The exact rest of the metric for a batch of binary configurations, as in the other
    /// overload: anchors [K, D] in, the K metric values [K] out.</param>
    /// <param name="epsilon">ε ≥ 0 of wₖ = 1/(dₖ + ε).</param>
    /// <param name="relaxation">σ (default, language.md) or the linear ramp.</param>
    /// <returns>0-dim tensor of Δ's dtype on Δ's device.</returns>
    /// <exception cref="ArgumentNullException">A tensor, the generator or the exact tail is null.</exception>
    /// <exception cref="ArgumentException">τ is neither 0-dim nor [D], Δ is not a vector, valid is not [D], or the
    /// generator is on another device type than Δ.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An anchor count is negative, or ε is negative or not finite.</exception>
    /// <exception cref="InvalidOperationException">The exact tail returned null or not one value per anchor.</exception>
    public static Tensor Evaluate(Tensor delta, Tensor valid, Tensor temperature, int good, int nearby, int random,
        torch.Generator generator, Func<Tensor, Tensor> exactTail, double epsilon = UniLossDefaults.Epsilon,
        Relaxation relaxation = Relaxation.Sigmoid)
    {
        if (temperature is null) throw new ArgumentNullException(nameof(temperature));
        if (delta is not null && temperature.dim() != 0 && (temperature.dim() != 1 || temperature.shape[0] != delta.shape[0]))
            throw new ArgumentException($"temperature must be 0-dim or [{delta.shape[0]}], got [{string.Join(", ", temperature.shape)}]", nameof(temperature));
        return Run(delta!, valid, temperature, 0, good, nearby, random, generator, exactTail, epsilon, relaxation);
    }

    private static Tensor Run(Tensor delta, Tensor valid, Tensor? temperatures, double temperature, int good, int nearby,
        int random, torch.Generator generator, Func<Tensor, Tensor> exactTail, double epsilon, Relaxation relaxation)
    {
        if (delta is null) throw new ArgumentNullException(nameof(delta));
        if (valid is null) throw new ArgumentNullException(nameof(valid));
        if (generator is null) throw new ArgumentNullException(nameof(generator));
        if (exactTail is null) throw new ArgumentNullException(nameof(exactTail));
        if (delta.dim() != 1) throw new ArgumentException($"delta must be a vector [D], got shape [{string.Join(", ", delta.shape)}]", nameof(delta));
        if (valid.dim() != 1 || valid.shape[0] != delta.shape[0])
            throw new ArgumentException($"valid must be [{delta.shape[0]}], got [{string.Join(", ", valid.shape)}]", nameof(valid));
        var k = AnchorSampler.Count(good, nearby, random);

        using var scope = torch.NewDisposeScope();
        var dtype = MetricOps.ComputeType(delta.dtype);
        var device = delta.device;
        var comparisons = MetricOps.Prepare(delta, dtype);
        var isValid = valid.to(device);
        var soft = temperatures is null
            ? SoftBinaries.Relax(comparisons, temperature, relaxation)
            : SoftBinaries.Relax(comparisons, temperatures, relaxation);

        var anchors = AnchorSampler.SampleFromComparisons(comparisons, isValid, good, nearby, random, generator);
        Tensor values;
        using (torch.no_grad())
        {
            values = exactTail(anchors);
            if (values is null) throw new InvalidOperationException("the exact tail returned null");
            if (values.dim() != 1 || values.shape[0] != k)
                throw new InvalidOperationException($"the exact tail must return one value per anchor, [{k}], got [{string.Join(", ", values.shape)}]");
            values = values.detach().to(dtype, device);
        }

        var result = IdwInterpolation.Interpolate(soft, anchors, values, isValid, epsilon);
        return (result.dtype == delta.dtype ? result : result.to_type(delta.dtype)).MoveToOuterDisposeScope();
    }
}
