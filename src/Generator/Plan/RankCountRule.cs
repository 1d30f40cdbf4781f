using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// The exact rank rewrite (docs/architecture.md, "Lowering: the performance contract"): in the exact program,
/// <c>sum[j (!= i)](m[j] &amp; (x[j] &gt; x[i]))</c> and its <c>&gt;=</c>, <c>&lt;</c>, <c>step</c> forms are a
/// sort-based count per row (O(N log N), no N×N tensor), and <c>sum[i, j](a[i] &amp; b[j] &amp; step(x[i] − x[j]))</c> is
/// Σ_i a[i]·(such a count), the Mann–Whitney form of ROC AUC. Anything else is left to the other rules.
/// The same patterns in the smooth program's sort-based variant (<see cref="SortedRanksVariant"/>) are smooth rank sums
/// Σ_j m[j]·relax((x[j] − x[i])/τ), which a relaxation with a finite band computes from one sort and prefix sums
/// (issue 15): there the comparison must be relaxed with one τ for the whole sum (a number, not an axis of τ's) and the
/// masks must be constant (the kernel differentiates through x only).
/// </summary>
internal static class RankCountRule
{
    public static ReductionLowering? TryLower(BoundReduction reduction, LoweringScope scope)
    {
        if (scope.InChunk || scope.InAnchorTail || reduction.Reducer != Reducer.Sum) return null;
        if (scope.IsSmooth && !scope.SortedRanks) return null;
        var lowering = Match(reduction, scope);
        if (!scope.IsSmooth || lowering is null) return lowering;
        return lowering switch
        {
            RankCountLowering count => IsSmoothRank(count) ? count with { Relaxed = true, RowMask = RowMaskOf(count, reduction, scope) } : null,
            MannWhitneyLowering sum => IsSmoothRank(sum.Count) ? sum with { Count = sum.Count with { Relaxed = true } } : null,
            _ => null,
        };
    }

    /// <summary>
    /// The mask at whose items alone the rank is read (RankRestrictions), when the kernel can take it: a sum over
    /// j != i (0 at an item left out is then a value it can hold) and a mask over the count's rows and i.
    /// </summary>
    private static BoundExpression? RowMaskOf(RankCountLowering count, BoundReduction reduction, LoweringScope scope)
    {
        if (count.Excluded is null || RankRestrictions.For(scope.Metric, reduction) is not { } mask) return null;
        return mask.Axes.All(a => a == count.I || count.Rows.Contains(a)) ? mask : null;
    }

    /// <summary>A rank the sort-based kernel computes: relaxed with a scalar, score-free τ, under constant masks.</summary>
    private static bool IsSmoothRank(RankCountLowering count) =>
        count.Comparison.Temperature is { } temperature && temperature.Axes.Count == 0 && !temperature.DependsOnScore
        && count.Masks.All(m => !m.DependsOnScore);

    private static ReductionLowering? Match(BoundReduction reduction, LoweringScope scope)
    {
        var factors = scope.Factors(reduction.Body);
        var binders = reduction.Binders;
        if (binders.Count == 1)
        {
            var excluded = binders[0].Excluded;
            if (excluded is { IsGather: true }) return null;
            return Count(binders[0].Variable, excluded?.Variable, factors, reduction.Axes);
        }
        if (binders.Count == 2 && binders.All(b => b.Excluded is null))
        {
            // Σ_i Σ_j a[i]·b[j]·C(x[i], x[j]) = Σ_i a[i] · (Σ_j b[j]·C): the inner sum is a rank count.
            foreach (var (i, j) in new[] { (binders[0].Variable, binders[1].Variable), (binders[1].Variable, binders[0].Variable) })
            {
                var outer = factors.Where(f => !f.Axes.Contains(j) && f is not BoundComparison and not BoundStep).ToList();
                var inner = factors.Except(outer).ToList();
                var count = Count(j, null, inner, reduction.Axes.Concat(new[] { i }).ToList());
                if (count is not null) return new MannWhitneyLowering(i, outer, count);
            }
        }
        return null;
    }

    /// <summary>
    /// Σ_j (mask factors)·C(x[j], x[i]) over rows; null when the factors are not one comparison of an expression with
    /// itself at j and i plus masks that do not involve i, or when the result's axes are not the rows and i.
    /// </summary>
    private static RankCountLowering? Count(string j, string? excluded, IReadOnlyList<BoundExpression> factors, IReadOnlyList<string> resultAxes)
    {
        var comparisons = factors.Where(f => f is BoundComparison or BoundStep).ToList();
        if (comparisons.Count != 1) return null;
        var masks = factors.Except(comparisons).ToList();
        // i is the position the count is for: the output axis the comparison reads at the other side.
        var match = resultAxes
            .Where(a => a != j && (excluded is null || a == excluded) && comparisons[0].Axes.Contains(a))
            .Select(a => (Variable: a, Comparison: MatchComparison(comparisons[0], j, a)))
            .FirstOrDefault(m => m.Comparison is not null);
        if (match.Comparison is null) return null;
        var (i, comparison) = (match.Variable, match.Comparison);
        var rows = comparison.AtJ.Axes.Where(a => a != j).ToList();
        if (masks.Any(m => m.Axes.Contains(i) || m.Axes.Any(a => a != j && !rows.Contains(a)))) return null;
        if (!resultAxes.All(a => a == i || rows.Contains(a)) || rows.Any(r => !resultAxes.Contains(r))) return null;
        return new RankCountLowering(j, i, excluded, comparison, masks, rows);
    }

    /// <summary>
    /// Reads a comparison as "x[j] above x[i]": x[j] &gt; x[i] (strict), x[j] &gt;= x[i], x[i] &lt; x[j], step(x[j] − x[i]);
    /// the mirrored forms count −x instead (x[j] &lt; x[i] is −x[j] &gt; −x[i]).
    /// </summary>
    private static RankComparison? MatchComparison(BoundExpression comparison, string j, string i)
    {
        BoundExpression left, right;
        BoundExpression? temperature;
        bool strict, step;
        switch (comparison)
        {
            case BoundComparison c:
                (left, right) = c.Operator is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual ? (c.Left, c.Right) : (c.Right, c.Left);
                strict = c.Operator is ComparisonOperator.Greater or ComparisonOperator.Less;
                step = false;
                temperature = c.Temperature;
                break;
            case BoundStep { Argument: BoundBinary { Operator: BinaryOperator.Subtract } difference } s:
                (left, right) = (difference.Left, difference.Right);
                strict = false;
                step = true;
                temperature = s.Temperature;
                break;
            default:
                return null;
        }
        // "left above right": left must be the expression at one position and right the same at the other.
        if (IsAt(left, j, i) && IsAt(right, i, j) && SameExpression(left, j, right, i)) return new RankComparison(left, false, strict, step, temperature);
        if (IsAt(left, i, j) && IsAt(right, j, i) && SameExpression(right, j, left, i)) return new RankComparison(right, true, strict, step, temperature);
        return null;
    }

    private static bool IsAt(BoundExpression expression, string here, string notHere) =>
        expression.Axes.Contains(here) && !expression.Axes.Contains(notHere);

    private static bool SameExpression(BoundExpression atJ, string j, BoundExpression atI, string i) =>
        CanonicalKey.Of(atJ, j, "#") == CanonicalKey.Of(atI, i, "#");
}
