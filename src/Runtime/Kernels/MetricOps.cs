using System;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>
/// The operations generated programs are made of, where a plain TorchSharp call is not enough: mixed
/// tensor/number operands (each number becomes a Scalar that is disposed at once, since TorchSharp's
/// implicit Scalars are never freed by a dispose scope), guarded division, and the language's logic.
/// Semantics: docs/language.md ("The two programs").
/// </summary>
/// <remarks>
/// Called by generated code; public only for that. Every method returns a new tensor in the caller's dispose scope
/// (or a number) and leaves its arguments unchanged, except <see cref="RelaxDifference"/>, which scales its argument
/// in place. Tensor operands broadcast as in TorchSharp.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static partial class MetricOps
{
    /// <summary>a + b for a tensor and a number.</summary>
    public static Tensor Add(Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.add(s, KeptScalars.One);
    }

    /// <summary>a − b for a tensor and a number.</summary>
    public static Tensor Subtract(Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.sub(s);
    }

    /// <summary>a − b for a number and a tensor (as −b + a, in b's dtype).</summary>
    public static Tensor Subtract(double a, Tensor b)
    {
        using var s = a.ToScalar();
        return b.neg().add_(s, KeptScalars.One);
    }

    /// <summary>a·b for a tensor and a number.</summary>
    public static Tensor Multiply(Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.mul(s);
    }

    /// <summary>a^b for a tensor base and a number exponent (the language's <c>^</c>).</summary>
    public static Tensor Power(Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.pow(s);
    }

    /// <summary>a^b for a number base and a tensor exponent, in b's dtype and shape.</summary>
    public static Tensor Power(double a, Tensor b)
    {
        using var s = a.ToScalar();
        return full_like(b, s).pow(b);
    }

    /// <summary>a^b elementwise.</summary>
    public static Tensor Power(Tensor a, Tensor b) => a.pow(b);

    /// <summary>Exact a / b with scikit-learn's <c>zero_division=0</c>: 0 where b = 0.</summary>
    public static Tensor DivideExact(Tensor a, Tensor b)
    {
        using var zeroValue = 0.0.ToScalar();
        using var oneValue = 1.0.ToScalar();
        using var zero = b.eq(zeroValue);
        using var safe = b.masked_fill(zero, oneValue);
        var quotient = a.div(safe);
        return quotient.masked_fill_(zero.expand_as(quotient), zeroValue);
    }

    /// <summary>Exact a / b with a number denominator: zeros shaped like a when b = 0.</summary>
    public static Tensor DivideExact(Tensor a, double b) => b == 0 ? zeros_like(a) : Multiply(a, 1.0 / b);

    /// <summary>Exact a / b with a number numerator: 0 where b = 0, shaped like b.</summary>
    public static Tensor DivideExact(double a, Tensor b)
    {
        using var numerator = Fill(b, a);
        return DivideExact(numerator, b);
    }

    /// <summary>Exact a / b of two numbers: 0 when b = 0.</summary>
    public static double DivideExact(double a, double b) => b == 0 ? 0 : a / b;

    /// <summary>Smooth a / max(b, ε): finite value and gradient when a soft count reaches 0.</summary>
    public static Tensor DivideSmooth(Tensor a, Tensor b, double epsilon)
    {
        using var e = epsilon.ToScalar();
        return a.div(b.clamp_min(e));
    }

    /// <summary>Smooth a / max(b, ε) with a number denominator.</summary>
    public static Tensor DivideSmooth(Tensor a, double b, double epsilon) => Multiply(a, 1.0 / Math.Max(b, epsilon));

    /// <summary>Smooth a / max(b, ε) with a number numerator, shaped like b.</summary>
    public static Tensor DivideSmooth(double a, Tensor b, double epsilon)
    {
        using var e = epsilon.ToScalar();
        using var s = a.ToScalar();
        return b.clamp_min(e).reciprocal().mul(s);
    }

    /// <summary>Smooth a / max(b, ε) of two numbers.</summary>
    public static double DivideSmooth(double a, double b, double epsilon) => a / Math.Max(b, epsilon);

    /// <summary>
    /// a / b in the smooth program where b does not depend on a score: as the exact program, 0 where b = 0, with a zero
    /// gradient to a there. b passes no gradient, so it needs no ε guard; a / ε would turn a term that vanishes with its
    /// class into ±1/ε times its rounding (docs/language.md, "Semantics").
    /// </summary>
    public static Tensor DivideByConstant(Tensor a, Tensor b) => DivideExact(a, b);

    /// <summary>a / b with a number denominator that does not depend on a score: 0 when b = 0, a's graph kept.</summary>
    public static Tensor DivideByConstant(Tensor a, double b)
    {
        if (b != 0) return Multiply(a, 1.0 / b);
        // Not zeros_like(a): the loss stays connected to the scores (a zero gradient rather than none).
        using var zero = 0.0.ToScalar();
        using var all = ones_like(a, dtype: ScalarType.Bool);
        return a.masked_fill(all, zero);
    }

    /// <summary>a / b with a number numerator and a denominator that does not depend on a score: 0 where b = 0.</summary>
    public static Tensor DivideByConstant(double a, Tensor b) => DivideExact(a, b);

    /// <summary>a / b of two numbers in the smooth program: 0 when b = 0.</summary>
    public static double DivideByConstant(double a, double b) => DivideExact(a, b);

    /// <summary>A hard comparison a &gt; b (a ≥ b when <paramref name="orEqual"/>) as 0/1 in a's dtype.</summary>
    public static Tensor Greater(Tensor a, Tensor b, bool orEqual) => (orEqual ? a.ge(b) : a.gt(b)).to_type(a.dtype);

    /// <summary>A hard comparison a &gt; b (a ≥ b when <paramref name="orEqual"/>) with a number b, as 0/1 in a's dtype.</summary>
    public static Tensor Greater(Tensor a, double b, bool orEqual)
    {
        using var s = b.ToScalar();
        return (orEqual ? a.ge(s) : a.gt(s)).to_type(a.dtype);
    }

    /// <summary>A hard comparison a &gt; b (a ≥ b when <paramref name="orEqual"/>) with a number a, as 0/1 in b's dtype.</summary>
    public static Tensor Greater(double a, Tensor b, bool orEqual)
    {
        using var s = a.ToScalar();
        return (orEqual ? b.le(s) : b.lt(s)).to_type(b.dtype);
    }

    /// <summary>
    /// relax(x / τ): the smooth form of x &gt; 0 (docs/language.md, "The two programs"; AnyLoss, Han, Moniz, Chawla,
    /// KDD 2024, is σ((p − ½)·L) with τ = 1/L). 1/τ is capped at the dtype's largest finite number, so a tiny τ
    /// gives ½ at x = 0 rather than NaN.
    /// </summary>
    public static Tensor Relax(Tensor x, double temperature, Relaxation relaxation)
    {
        using var inverse = InverseTemperature(temperature, x.dtype);
        return RelaxScaled(x.mul(inverse), relaxation);
    }

    /// <summary>
    /// relax(d / τ) of a difference the caller has just computed and reads nowhere else, scaled in place: a pairwise
    /// comparison then costs one tensor of its size, as in a hand-written (s_j − s_i)/τ. Autograd allows it: the
    /// backward of a subtraction keeps nothing. Never call it on a tensor that is read elsewhere.
    /// </summary>
    public static Tensor RelaxDifference(Tensor difference, double temperature, Relaxation relaxation)
    {
        using var inverse = InverseTemperature(temperature, difference.dtype);
        return RelaxScaled(difference.mul_(inverse), relaxation);
    }

    /// <summary>
    /// 1/τ capped at the dtype's largest finite number: for a tiny τ it would overflow to ∞, and a score tied with its
    /// threshold would then give 0·∞ = NaN where x/τ is 0.
    /// </summary>
    private static Scalar InverseTemperature(double temperature, ScalarType dtype) => Math.Min(1.0 / temperature, finfo(dtype).max).ToScalar();

    /// <summary>
    /// The relaxation of x/τ, given as a fresh tensor that is transformed in place where autograd allows (σ, the linear
    /// ramp, the cubic smoothstep: <see cref="Relaxation"/>). Also the soft binaries of interpolation mode.
    /// </summary>
    internal static Tensor RelaxScaled(Tensor scaled, Relaxation relaxation)
    {
        switch (relaxation)
        {
            case Relaxation.Sigmoid:
                // In place: the product's backward (a multiplication by a number) keeps nothing, and σ's keeps its output.
                return scaled.sigmoid_();
            case Relaxation.Linear:
            {
                using var quarter = 0.25.ToScalar();
                using var half = 0.5.ToScalar();
                using var zero = 0.0.ToScalar();
                using var one = 1.0.ToScalar();
                // Not clamp_: clamp's backward reads its input.
                return scaled.mul_(quarter).add_(half, KeptScalars.One).clamp(zero, one);
            }
            case Relaxation.Smoothstep:
                return Smoothstep(scaled);
            default:
                throw new ArgumentOutOfRangeException(nameof(relaxation), relaxation, "unknown relaxation");
        }
    }

    /// <summary>
    /// ½ + t/4 − t³/108 with t = clamp(x, −3, 3): the Hermite cubic 3s² − 2s³ of s = (t + 3)/6, so 0 below −3 and 1
    /// above 3 with a slope that falls continuously to 0 there (Relaxation.Smoothstep). Its backward keeps two tensors of
    /// x's size besides the result (x for the clamp, t for the cube), the linear ramp's one (its clamp's input), σ's none
    /// (it reads its own result).
    /// </summary>
    private static Tensor Smoothstep(Tensor scaled)
    {
        using var low = (-3.0).ToScalar();
        using var high = 3.0.ToScalar();
        using var three = 3.ToScalar();
        using var cubeFactor = (-1.0 / 108).ToScalar();
        using var quarter = 0.25.ToScalar();
        using var half = 0.5.ToScalar();
        var clamped = scaled.clamp(low, high);
        // In place on the cube: pow's backward reads its base (clamped), not its result.
        return clamped.pow(three).mul_(cubeFactor).add_(clamped, quarter).add_(half, KeptScalars.One);
    }

    /// <summary>relax(x / τ) of a number, as a tensor of <paramref name="like"/>'s shape, dtype and device.</summary>
    public static Tensor Relax(double x, Tensor like, double temperature, Relaxation relaxation)
    {
        using var value = Fill(like, x);
        return Relax(value, temperature, relaxation);
    }

    /// <summary>Exact step(x): 1 if x &gt; 0, ½ if x = 0, 0 if x &lt; 0.</summary>
    public static Tensor Step(Tensor x)
    {
        using var one = 1.0.ToScalar();
        using var half = 0.5.ToScalar();
        return x.sign().add_(one, KeptScalars.One).mul_(half);
    }

    /// <summary>Exact step(x) of a number: 1, ½ or 0 for x &gt; 0, = 0, &lt; 0.</summary>
    public static double Step(double x) => x > 0 ? 1 : x < 0 ? 0 : 0.5;

    /// <summary>a | b = a + b − a·b, the same formula for hard and relaxed values.</summary>
    public static Tensor Or(Tensor a, Tensor b) => a.add(b, KeptScalars.One).sub_(a.mul(b));

    /// <summary>a | b = a + b − a·b with a number b, written a·(1 − b) + b.</summary>
    public static Tensor Or(Tensor a, double b) => Add(Multiply(a, 1 - b), b);

    /// <summary>a | b = a + b − a·b of two numbers.</summary>
    public static double Or(double a, double b) => a + b - a * b;

    /// <summary>!a = 1 − a, for hard and relaxed values alike; the <c>Loss</c> of a maximised metric is Not(Smooth).</summary>
    public static Tensor Not(Tensor a) => Subtract(1.0, a);

    /// <summary>a ≠ 0 as a bool tensor (how an interpolated metric reads a 0/1 weight as a condition).</summary>
    public static Tensor NonZero(Tensor a)
    {
        using var zero = 0.ToScalar();
        return a.ne(zero);
    }

    /// <summary>any = 1 − Π(1 − x) over <paramref name="dims"/>.</summary>
    public static Tensor Any(Tensor x, long[] dims) => Not(Product(Not(x), dims));

    /// <summary>all = Π x over <paramref name="dims"/>.</summary>
    public static Tensor All(Tensor x, long[] dims) => Product(x, dims);

    private static Tensor Product(Tensor x, long[] dims)
    {
        var result = x;
        foreach (var dim in SortedDescending(dims))
        {
            result = result.prod(dim, keepdim: false);
        }
        return ReferenceEquals(result, x) ? x.alias() : result;
    }

    private static long[] SortedDescending(long[] dims)
    {
        var copy = (long[])dims.Clone();
        Array.Sort(copy);
        Array.Reverse(copy);
        return copy;
    }

    /// <summary>Smooth sqrt: √max(x, ε), finite gradient at 0.</summary>
    public static Tensor SqrtSmooth(Tensor x, double epsilon)
    {
        using var e = epsilon.ToScalar();
        return x.clamp_min(e).sqrt();
    }

    /// <summary>Smooth natural log: ln max(x, ε), finite where a soft count reaches 0.</summary>
    public static Tensor LogSmooth(Tensor x, double epsilon)
    {
        using var e = epsilon.ToScalar();
        return x.clamp_min(e).log();
    }

    /// <summary>Smooth base-2 log: log2 max(x, ε).</summary>
    public static Tensor Log2Smooth(Tensor x, double epsilon)
    {
        using var e = epsilon.ToScalar();
        return x.clamp_min(e).log2();
    }

    /// <summary>The elementwise minimum (the language's two-argument <c>min</c>).</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => minimum(a, b);

    /// <summary>The elementwise minimum with a number: a clamped to at most b.</summary>
    public static Tensor Minimum(Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.clamp_max(s);
    }

    /// <summary>The elementwise maximum (the language's two-argument <c>max</c>).</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => maximum(a, b);

    /// <summary>The elementwise maximum with a number: a clamped to at least b.</summary>
    public static Tensor Maximum(Tensor a, double b)
    {
        using var s = b.ToScalar();
        return a.clamp_min(s);
    }

    /// <summary>where(c, a, b) selects a where c ≠ 0 (a hard select in both programs).</summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        using var zero = 0.0.ToScalar();
        using var mask = condition.ne(zero);
        return where(mask, a, b);
    }

    /// <summary>A tensor of <paramref name="like"/>'s dtype and device holding <paramref name="value"/> (0-dim).</summary>
    public static Tensor Constant(Tensor like, double value)
    {
        using var s = value.ToScalar();
        return full(Array.Empty<long>(), s, like.dtype, like.device);
    }

    /// <summary>A number broadcast to the shape of <paramref name="like"/>.</summary>
    public static Tensor Fill(Tensor like, double value)
    {
        using var s = value.ToScalar();
        return full_like(like, s);
    }

    /// <summary>A tensor of the given shape filled with <paramref name="value"/>.</summary>
    public static Tensor Full(long[] shape, double value, ScalarType dtype, Device device)
    {
        using var s = value.ToScalar();
        return full(shape, s, dtype, device);
    }

    /// <summary>
    /// <paramref name="input"/> in <paramref name="dtype"/> as a tensor this call owns: never the caller's own
    /// object, so disposing the call's scope cannot dispose the caller's tensor.
    /// </summary>
    public static Tensor Prepare(Tensor input, ScalarType dtype)
    {
        var converted = input.to_type(dtype);
        return ReferenceEquals(converted, input) ? input.alias() : converted;
    }

    /// <summary>
    /// The dtype a surrogate computes in: float16 and bfloat16 are upcast to float32 (sums of sigmoids and
    /// divisions lose too much precision there; TorchSharp has no autocast), float32/float64 are kept.
    /// </summary>
    public static ScalarType ComputeType(ScalarType input) =>
        input is ScalarType.Float16 or ScalarType.BFloat16 ? ScalarType.Float32 : input;

    /// <summary>ε never below the smallest normal number of <paramref name="dtype"/>.</summary>
    public static double EpsilonFor(ScalarType dtype, double epsilon) => Math.Max(epsilon, finfo(dtype).tiny);
}
