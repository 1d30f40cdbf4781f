using System;
using MetricLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Interpolation;

/// <summary>
/// The comparison → binary smoothing of interpolation mode: b̃ = relax(Δ/τ) ∈ [0, 1]ᴰ (docs/language.md, "Interpolation
/// mode (UniLoss)": σ(Δ/τ); <see cref="Relaxation.Linear"/> and <see cref="Relaxation.Smoothstep"/> are also accepted). UniLoss (Liu, Wang, Deng, ECCV 2020)
/// uses 2σ(Δ) − 1 on ±1 binaries, the same map up to the affine change {−1, +1} → {0, 1} with τ = 1.
/// </summary>
public static class SoftBinaries
{
    /// <summary>relax(Δ/τ) with one temperature τ &gt; 0 (1/τ capped at the dtype's largest finite number).</summary>
    /// <param name="delta">Δ, the comparisons, any shape; differentiable.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="relaxation">σ (default, language.md), the linear ramp or the cubic smoothstep.</param>
    /// <returns>b̃ ∈ [0, 1], Δ's shape, dtype and device.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="delta"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="temperature"/> is not positive.</exception>
    public static Tensor Relax(Tensor delta, double temperature, Relaxation relaxation = Relaxation.Sigmoid)
    {
        if (delta is null) throw new ArgumentNullException(nameof(delta));
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "τ must be > 0");
        return MetricOps.Relax(delta, temperature, relaxation);
    }

    /// <summary>
    /// relax(Δ/τ) with per-coordinate temperatures τ (any shape broadcastable to Δ, e.g. [D] or 0-dim; positive
    /// values; not validated on values, which would need a host sync). τ is moved to Δ's device and dtype; 1/τ is
    /// capped at the dtype's largest finite number so that Δ = 0 with a tiny τ gives ½, not NaN.
    /// </summary>
    /// <param name="delta">Δ, the comparisons, any shape; differentiable.</param>
    /// <param name="temperature">τ, broadcastable to Δ, positive.</param>
    /// <param name="relaxation">σ (default, language.md), the linear ramp or the cubic smoothstep.</param>
    /// <returns>b̃ ∈ [0, 1], of the broadcast shape, in Δ's dtype on Δ's device.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="delta"/> or <paramref name="temperature"/> is null.</exception>
    public static Tensor Relax(Tensor delta, Tensor temperature, Relaxation relaxation = Relaxation.Sigmoid)
    {
        if (delta is null) throw new ArgumentNullException(nameof(delta));
        if (temperature is null) throw new ArgumentNullException(nameof(temperature));
        using var scope = torch.NewDisposeScope();
        using var largest = finfo(delta.dtype).max.ToScalar();
        var inverse = temperature.to(delta.dtype, delta.device).reciprocal().clamp_max(largest);
        return MetricOps.RelaxScaled(delta.mul(inverse), relaxation).MoveToOuterDisposeScope();
    }
}
