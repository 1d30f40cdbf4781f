using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// The formulas of docs/language.md's semantics table, one method per row, on plain doubles. The
/// evaluator decides which row applies (and whether a comparison is relaxed); this class only says
/// what each row computes, so it can be read side by side with the table.
/// </summary>
internal static class Semantics
{
    private static readonly double Ln2 = Math.Log(2.0);

    /// <summary>Exact comparison: 1 if true else 0; <c>&gt;</c>/<c>&lt;</c> strict, <c>&gt;=</c>/<c>&lt;=</c> not.</summary>
    public static double Compare(ComparisonOperator op, double left, double right) => op switch
    {
        ComparisonOperator.Greater => left > right ? 1 : 0,
        ComparisonOperator.GreaterOrEqual => left >= right ? 1 : 0,
        ComparisonOperator.Less => left < right ? 1 : 0,
        ComparisonOperator.LessOrEqual => left <= right ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown comparison"),
    };

    /// <summary>
    /// Smooth comparison: relax((a − b) / τ) for <c>&gt;</c> and <c>&gt;=</c>, relax((b − a) / τ) for <c>&lt;</c>
    /// and <c>&lt;=</c>. Strict and non-strict relax alike: the relaxation gives ½ at a tie either way.
    /// </summary>
    public static double RelaxedCompare(ComparisonOperator op, double left, double right, double temperature, Relaxation relaxation)
    {
        var margin = op is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual ? Difference(left, right) : Difference(right, left);
        return Relax(relaxation, margin / temperature);
    }

    /// <summary>
    /// The difference a − b of a comparison or of <c>step(a − b)</c> (docs/language.md, "Infinite scores"): equal
    /// values, two equal infinities included, are a tie, 0 (IEEE gives ∞ − ∞ = NaN); a NaN operand stays NaN.
    /// </summary>
    public static double Difference(double a, double b) => a == b ? 0 : a - b;

    /// <summary>Exact step: 1 if x &gt; 0, ½ if x = 0, 0 if x &lt; 0 (a NaN stays NaN rather than hiding as 0).</summary>
    public static double Step(double x) => double.IsNaN(x) ? x : x > 0 ? 1 : x == 0 ? 0.5 : 0;

    /// <summary>Smooth step: relax(x / τ).</summary>
    public static double RelaxedStep(double x, double temperature, Relaxation relaxation) => Relax(relaxation, x / temperature);

    /// <summary>
    /// σ(x); clamp(½ + x/4, 0, 1) for <see cref="Relaxation.Linear"/>; ½ + t/4 − t³/108 with t = clamp(x, −3, 3) for
    /// <see cref="Relaxation.Smoothstep"/> (the Hermite cubic 3s² − 2s³ of s = (t + 3)/6, 0 and 1 beyond the band).
    /// </summary>
    public static double Relax(Relaxation relaxation, double x) => relaxation switch
    {
        // Two branches so that e^(−x) never overflows: σ(x) = e^x / (1 + e^x) for x < 0.
        Relaxation.Sigmoid => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x)),
        Relaxation.Linear => double.IsNaN(x) ? x : Math.Min(Math.Max(0.5 + x / 4, 0), 1),
        Relaxation.Smoothstep => double.IsNaN(x) ? x : SmoothstepOfClamped(Math.Min(Math.Max(x, -3), 3)),
        _ => throw new ArgumentOutOfRangeException(nameof(relaxation), relaxation, "unknown relaxation"),
    };

    private static double SmoothstepOfClamped(double t) => 0.5 + t / 4 - t * t * t / 108;

    /// <summary><c>a &amp; b</c> = a·b (exact on 0/1, the product of probabilities when relaxed).</summary>
    public static double And(double a, double b) => a * b;

    /// <summary><c>a | b</c> = a + b − a·b.</summary>
    public static double Or(double a, double b) => a + b - a * b;

    /// <summary><c>!a</c> = 1 − a.</summary>
    public static double Not(double a) => 1 - a;

    /// <summary>
    /// Exact <c>a / b</c>: 0 where b = 0, as scikit-learn's <c>zero_division=0</c>; also the smooth program's division
    /// by a denominator that does not depend on a score (it passes no gradient, so it needs no guard).
    /// </summary>
    public static double ExactDivide(double a, double b) => b == 0 ? 0 : a / b;

    /// <summary>
    /// Smooth <c>a / b</c> = a / max(b, ε) for a denominator that depends on a score, literally as the table says: a
    /// denominator below ε (zero, tiny, or negative) is replaced by ε, so the quotient and its gradient stay finite.
    /// </summary>
    public static double SmoothDivide(double a, double b, double epsilon) => a / Math.Max(b, epsilon);

    /// <summary>The smooth program's clamp of a sqrt/log/log2 argument to ≥ ε.</summary>
    public static double Guard(double x, double epsilon) => Math.Max(x, epsilon);

    /// <summary>log₂ x (netstandard2.0 has no Math.Log2).</summary>
    public static double Log2(double x) => Math.Log(x) / Ln2;

    /// <summary><c>clamp(x, lo, hi)</c> = min(max(x, lo), hi), as <c>torch.clamp</c> (hi wins if lo &gt; hi).</summary>
    public static double Clamp(double x, double lo, double hi) => Math.Min(Math.Max(x, lo), hi);

    /// <summary>
    /// <c>where(c, a, b)</c>: the specification does not define it on a fractional condition; as built
    /// (docs/language.md, "Rules decided in the implementation") both programs select a where c ≠ 0 and b where c = 0 (<c>torch.where(c != 0, a, b)</c>), so the exact program
    /// selects on its 0/1 condition and the smooth one selects too, never blends.
    /// </summary>
    public static double Where(double condition, double whenTrue, double whenFalse) => condition != 0 ? whenTrue : whenFalse;

    /// <summary>
    /// A reduction over the values of its body. sum of nothing is 0, any of nothing 0 (1 − empty product),
    /// all of nothing 1 (empty product); mean, max and min of nothing are undefined and must not reach here.
    /// </summary>
    public static double Reduce(Reducer reducer, IReadOnlyList<double> values)
    {
        if (values.Count == 0 && reducer is Reducer.Mean or Reducer.Max or Reducer.Min)
        {
            throw new InvalidOperationException($"{reducer} of an empty range is undefined");
        }
        return reducer switch
        {
            Reducer.Sum => values.Sum(),
            Reducer.Mean => values.Sum() / values.Count,
            Reducer.Max => values.Max(),
            Reducer.Min => values.Min(),
            Reducer.Any => 1 - values.Aggregate(1.0, (product, x) => product * (1 - x)),
            Reducer.All => values.Aggregate(1.0, (product, x) => product * x),
            _ => throw new ArgumentOutOfRangeException(nameof(reducer), reducer, "unknown reducer"),
        };
    }

    /// <summary>
    /// <c>ideal_dcg</c>: the gains sorted in decreasing order, the r-th (from 1) weighted by 1 / log₂(1 + r),
    /// summed over r ≤ k (so over min(k, count) ranks).
    /// </summary>
    public static double IdealDcg(IEnumerable<double> gains, double k)
    {
        var sorted = gains.OrderByDescending(g => g).ToList();
        var total = 0.0;
        for (var r = 1; r <= sorted.Count && r <= k; r++)
        {
            total += sorted[r - 1] / Log2(1 + r);
        }
        return total;
    }
}
