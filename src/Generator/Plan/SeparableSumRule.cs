using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// A sum over several binders of a product whose factors each involve at most one of them factors into a product of
/// sums: Σ_{i,j} a[i]·b[j] = (Σ_i a[i])·(Σ_j b[j]). ROC AUC's <c>pairs</c> then costs O(N), not N². The identity is
/// exact, so both programs keep their values and gradients.
/// </summary>
internal static class SeparableSumRule
{
    public static SeparableLowering? TryLower(BoundReduction reduction, LoweringScope scope)
    {
        if (scope.InChunk || reduction.Reducer != Reducer.Sum || reduction.Binders.Count < 2 || reduction.Binders.Any(b => b.Excluded is not null)) return null;
        var bound = reduction.Binders.Select(b => b.Variable).ToList();
        var factors = scope.Factors(reduction.Body);
        if (factors.Any(f => f.Axes.Count(bound.Contains) > 1)) return null;
        var sums = new List<(string, BoundReduction?)>();
        foreach (var variable in bound)
        {
            var own = factors.Where(f => f.Axes.Contains(variable)).ToList();
            var binder = reduction.Binders.First(b => b.Variable == variable);
            sums.Add((variable, own.Count == 0 ? null : Sum(reduction with { Binders = EquatableArray.Of(binder) }, own.Aggregate((a, b) => Multiply(a, b)))));
        }
        return new SeparableLowering(sums, factors.Where(f => !f.Axes.Any(bound.Contains)).ToList());
    }
}
