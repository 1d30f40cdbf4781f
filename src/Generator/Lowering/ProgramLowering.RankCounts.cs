using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Plan;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Prints the exact rank rewrite that Plan/RankCountRule decides: a sort per distinct ranked expression (TieGroups,
/// shared by every count over it), then a count per row (RankCounts: O(N log N), no N×N tensor).
/// </summary>
internal sealed partial class ProgramLowering
{
    private readonly Dictionary<string, string> _tieGroups = new();

    /// <summary>Σ_i a[i]·(the rank count over j): the Mann–Whitney form, the outer factors weighting each row's count.</summary>
    private ProgramValue LowerMannWhitney(MannWhitneyLowering lowering)
    {
        var weighted = lowering.Outer.Aggregate(LowerRankCount(lowering.Count), (value, factor) => Product(value, LowerExpression(factor)));
        var dim = IndexOf(weighted.Axes, lowering.I);
        return ProgramValue.Tensor(Op.Call(OpCode.Sum, weighted.Code, Op.Longs(new[] { Op.Int(dim) })), weighted.Axes.Where(a => a != lowering.I).ToList());
    }

    /// <summary>Σ_j (mask factors)·C(x[j], x[i]) over rows, as RankCounts over the last dimension.</summary>
    private ProgramValue LowerRankCount(RankCountLowering lowering)
    {
        if (lowering.Relaxed) return LowerSmoothRankSum(lowering);
        var (j, i, comparison, masks, rows) = (lowering.J, lowering.I, lowering.Comparison, lowering.Masks, lowering.Rows);
        var layout = rows.Concat(new[] { j }).ToList();
        // One sort per distinct ranked expression: AP's `above` and `pos_above` share theirs.
        var key = CanonicalKey.Of(comparison.AtJ, j, "#") + (comparison.Negate ? "-" : "+") + string.Join(",", rows);
        if (!_tieGroups.TryGetValue(key, out var groups))
        {
            groups = Local.Temporary("g", _sharedCount++);
            _statements.Add(new Let(groups, Op.Call(OpCode.TieGroups, Ranked(comparison, layout)), LetKind.Owned));
            _tieGroups[key] = groups;
        }
        var mask = RankMask(masks, layout, expanded: true);
        var selfExcluded = Op.Bool(lowering.Excluded is not null);
        var code = comparison.Step
            ? Op.Call(OpCode.StepCountAbove, Op.Name(groups), mask, selfExcluded)
            : Op.Call(OpCode.CountAbove, Op.Name(groups), mask, Op.Bool(comparison.Strict), selfExcluded);
        return ProgramValue.Tensor(code, rows.Concat(new[] { i }).ToList());
    }

    /// <summary>The ranked expression over the layout [rows..., j], negated where the comparison ranks it downwards.</summary>
    private Op Ranked(RankComparison comparison, IReadOnlyList<string> layout)
    {
        var x = Align(LowerExpression(comparison.AtJ), layout);
        return comparison.Negate ? Op.Call(OpCode.Negate, x) : x;
    }

    /// <summary>
    /// The product of a rank's mask factors over its layout [rows..., j], or <c>null</c> for none: expanded to the
    /// layout for TieGroups, which indexes it by the sort; as it is (broadcast) for SmoothRankSums.
    /// </summary>
    private Op RankMask(IReadOnlyList<BoundExpression> masks, IReadOnlyList<string> layout, bool expanded)
    {
        if (masks.Count == 0) return Op.Name("null");
        var product = masks.Select(LowerExpression).Aggregate(Product);
        if (product.IsNumber) return Full(layout, product.Code);
        return expanded ? Op.Call(OpCode.Expand, Align(product, layout), Op.Longs(Sizes(layout))) : Align(product, layout);
    }

    /// <summary>
    /// Σ_j (mask factors)·relax((x[j] − x[i])/τ) over rows by one sort and prefix sums per row (SmoothRankSums): the
    /// smooth program's sort-based variant, which runs only under a relaxation that has such a kernel.
    /// </summary>
    private ProgramValue LowerSmoothRankSum(RankCountLowering lowering)
    {
        var (j, i, comparison, rows) = (lowering.J, lowering.I, lowering.Comparison, lowering.Rows);
        var layout = rows.Concat(new[] { j }).ToList();
        var x = Ranked(comparison, layout);
        var mask = RankMask(lowering.Masks, layout, expanded: false);
        var temperature = LowerExpression(comparison.Temperature!).Code;
        var output = rows.Concat(new[] { i }).ToList();
        var selfExcluded = Op.Bool(lowering.Excluded is not null);
        // Read only at a constant mask's items (RankRestrictions): R_i there alone, 0 elsewhere.
        return ProgramValue.Tensor(
            lowering.RowMask is null
                ? Op.Call(OpCode.SmoothRankSum, x, mask, temperature, selfExcluded, Relaxation)
                : Op.Call(OpCode.SmoothRankSumAt, x, mask, temperature, selfExcluded, Relaxation, Align(LowerExpression(lowering.RowMask), output)),
            output);
    }
}
