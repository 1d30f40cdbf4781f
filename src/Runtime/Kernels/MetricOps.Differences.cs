using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>
/// The difference a − b of a score-dependent comparison (<c>a &gt; b</c>, <c>step(a − b)</c>, an interpolation
/// coordinate), defined for infinite scores (docs/language.md, "Infinite scores"): an infinite score is ordered like any
/// other, and two equal infinities are a tie, a difference of 0, so relax(0) = ½ for σ. IEEE arithmetic would give
/// ∞ − ∞ = NaN instead, and a NaN in one pairwise term poisons the whole sum, its value and (through the masks
/// that drop the diagonal, whose backward multiplies 0 by NaN) its gradient.
/// </summary>
/// <remarks>
/// Each operand is clamped before the subtraction, never the difference: a pairwise difference of N × N elements
/// then costs operations on its two operands of N elements, not a pass over N × N. A NaN operand stays NaN: it is not
/// an order, and hiding it would hide a diverged network (ValidateValues refuses it). The bound's backward gives an
/// infinite operand gradient 0 (it cannot move) and passes every finite one's unchanged.
/// </remarks>
public static partial class MetricOps
{
    /// <summary>
    /// relax((a − b) / τ) of two tensor operands, the smooth form of a &gt; b (and of step(a − b)): the operands are
    /// scaled by 1/τ before they are subtracted, so that the pairwise tensor is written once, by the subtraction, and
    /// relaxed in place, without the pass of a scaled difference (and its backward) that <see cref="RelaxDifference"/>
    /// needs. Infinite and overflowing operands are first clamped to ±½·max/max(1, 1/τ), which the scaling keeps
    /// finite and whose differences cannot overflow (<see cref="ScaledOperand"/>).
    /// </summary>
    public static Tensor RelaxPairwise(Tensor a, Tensor b, double temperature, Relaxation relaxation)
    {
        var inverse = InverseTemperatureValue(temperature, a.dtype);
        return RelaxScaled(ScaledOperand(a, inverse).sub(ScaledOperand(b, inverse)), relaxation);
    }

    /// <summary>
    /// a − b with each operand first clamped to the finite range of its dtype, [−max, max]: equal infinities then
    /// differ by exactly 0, an infinity and a finite number by a huge number of the right sign (±∞ once it overflows,
    /// which every relaxation saturates), and no operand can make the difference NaN. For the coordinates of an
    /// interpolated metric, which are scaled and relaxed later by the UniLoss runtime.
    /// </summary>
    public static Tensor Difference(Tensor a, Tensor b) => Finite(a, finfo(a.dtype).max).sub(Finite(b, finfo(b.dtype).max));

    /// <summary>Exact step(a − b): 1 if a &gt; b, ½ if a = b (∞ = ∞ included), 0 if a &lt; b, from comparisons, so
    /// that two equal infinities are a tie rather than step(NaN).</summary>
    public static Tensor StepDifference(Tensor a, Tensor b)
    {
        using var half = 0.5.ToScalar();
        using var above = a.gt(b);
        using var atLeast = a.ge(b);
        return above.to_type(a.dtype).add_(atLeast, KeptScalars.One).mul_(half);
    }

    /// <summary>
    /// x/τ with x first clamped to ±bound, bound = ½·max/max(1, 1/τ): bound/τ ≤ ½·max, so the scaled operand is finite
    /// and the difference of two of them at most max. Two equal infinities become the same number (a tie); a finite
    /// score beyond the bound, |x| &gt; ½·max·τ (10³⁶ in float32 at τ = 0.01), compares as infinite, where σ is
    /// saturated anyway. The bound keeps the operand itself for its backward, which the caller already holds.
    /// </summary>
    private static Tensor ScaledOperand(Tensor x, double inverse)
    {
        var bound = 0.5 * finfo(x.dtype).max / Math.Max(1.0, inverse);
        using var scale = inverse.ToScalar();
        // In place on the bounded copy: clamp's backward reads its input, not its output.
        return is_floating_point(x) ? Finite(x, bound).mul_(scale) : x.mul(scale);
    }

    /// <summary>
    /// A floating operand clamped to [−bound, bound], as a fresh tensor; an integer operand cannot be infinite and is
    /// returned as it is. (Not <c>Tensor.hardtanh</c>, whose backward is lighter: in TorchSharp 0.107 it returns its
    /// input, unclamped.)
    /// </summary>
    private static Tensor Finite(Tensor x, double bound)
    {
        if (!is_floating_point(x)) return x;
        using var low = (-bound).ToScalar();
        using var high = bound.ToScalar();
        return x.clamp(low, high);
    }

    /// <summary>1/τ capped at the dtype's largest finite number, as <c>InverseTemperature</c>.</summary>
    private static double InverseTemperatureValue(double temperature, ScalarType dtype) => Math.Min(1.0 / temperature, finfo(dtype).max);
}
