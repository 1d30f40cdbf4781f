using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// A sum over several binders of a product whose factors each involve at most one of them factors into a
/// product of sums: Σ_{i,j} a[i]·b[j] = (Σ_i a[i])·(Σ_j b[j]). ROC AUC's <c>pairs</c> then costs O(N), not N².
/// The identity is exact, so both programs keep their values and gradients.
/// </summary>
internal sealed partial class ProgramEmitter
{
    private ProgramValue? TrySeparableSum(BoundReduction reduction)
    {
        if (_chunk is not null || reduction.Reducer != Reducer.Sum || reduction.Binders.Count < 2 || reduction.Binders.Any(b => b.Excluded is not null)) return null;
        var bound = reduction.Binders.Select(b => b.Variable).ToList();
        var factors = Factors(reduction.Body);
        if (factors.Any(f => f.Axes.Count(bound.Contains) > 1)) return null;

        ProgramValue? result = null;
        foreach (var variable in bound)
        {
            var own = factors.Where(f => f.Axes.Contains(variable)).ToList();
            var binder = reduction.Binders.First(b => b.Variable == variable);
            var term = own.Count == 0
                ? ProgramValue.Number($"(double)({SizeOf(variable)})")
                : EmitExpression(Sum(reduction with { Binders = EquatableArrayOf(binder) }, own.Aggregate((a, b) => Multiply(a, b))));
            result = result is null ? term : Product(result.Value, term);
        }
        foreach (var constant in factors.Where(f => !f.Axes.Any(bound.Contains)))
        {
            result = Product(result!.Value, EmitExpression(constant));
        }
        return result;
    }

    private static Dsl.Text.EquatableArray<BoundBinder> EquatableArrayOf(BoundBinder binder) => Dsl.Text.EquatableArray.Of(binder);

    private static ProgramValue Product(ProgramValue left, ProgramValue right)
    {
        var axes = Union(new[] { left.Axes, right.Axes });
        return Arithmetic(left, right, axes, "*", (a, b) => $"{a}.mul({b})", (t, n) => $"{CSharp.Ops}.Multiply({t}, {n})", (n, t) => $"{CSharp.Ops}.Multiply({t}, {n})");
    }
}
