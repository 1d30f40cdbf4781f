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
public static partial class MetricOps
{
    /// <summary>
    /// a − b with each operand first clamped to the finite range of its dtype, [−max, max]: equal infinities then
    /// differ by exactly 0, an infinity and a finite number by a huge number of the right sign (relax gives 1 or 0,
    /// as for any decided comparison), and no operand can make the difference NaN. A NaN operand stays NaN: it is
    /// not an order, and hiding it would hide a diverged network (ValidateValues refuses it).
    /// </summary>
    /// <remarks>
    /// The clamp is applied to the operands, before broadcasting: a pairwise difference of N × N elements costs two
    /// clamps of N, not a pass over N × N, and the result is a fresh tensor that <see cref="RelaxDifference"/> may
    /// scale in place. Its backward passes the gradient of every finite element unchanged and gives an infinite one 0
    /// (clamp's derivative outside the range), where σ's derivative is 0 anyway. The one place where the order is
    /// lost is a finite score equal to ±max against an infinity of its sign, a tie here; nothing else moves.
    /// </remarks>
    public static Tensor Difference(Tensor a, Tensor b) => Finite(a).sub(Finite(b));

    /// <summary>Exact step(a − b): 1 if a &gt; b, ½ if a = b (∞ = ∞ included), 0 if a &lt; b, from comparisons, so
    /// that two equal infinities are a tie rather than step(NaN).</summary>
    public static Tensor StepDifference(Tensor a, Tensor b)
    {
        using var half = 0.5.ToScalar();
        using var above = a.gt(b);
        using var atLeast = a.ge(b);
        return above.to_type(a.dtype).add_(atLeast, KeptScalars.One).mul_(half);
    }

    /// <summary>An operand clamped to [−max, max] of its floating dtype; an integer operand cannot be infinite.</summary>
    private static Tensor Finite(Tensor x)
    {
        if (!is_floating_point(x)) return x;
        var largest = finfo(x.dtype).max;
        using var low = (-largest).ToScalar();
        using var high = largest.ToScalar();
        return x.clamp(low, high);
    }
}
