using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Plan;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// Prints the exact rank rewrite that Plan/RankCountRule decides: a sort per distinct ranked expression (TieGroups,
/// shared by every count over it), then a count per row (RankCounts: O(N log N), no N×N tensor).
/// </summary>
internal sealed partial class ProgramEmitter
{
    private readonly Dictionary<string, string> _tieGroups = new();

    /// <summary>Σ_i a[i]·(the rank count over j): the Mann–Whitney form, the outer factors weighting each row's count.</summary>
    private ProgramValue EmitMannWhitney(MannWhitneyLowering lowering)
    {
        var weighted = lowering.Outer.Aggregate(EmitRankCount(lowering.Count), (value, factor) =>
        {
            var f = EmitExpression(factor);
            var axes = Union(new[] { value.Axes, f.Axes });
            return f.IsNumber
                ? ProgramValue.Tensor($"{CSharp.Ops}.Multiply({value.Code}, {f.Code})", value.Axes)
                : ProgramValue.Tensor($"{Align(value, axes)}.mul({Align(f, axes)})", axes);
        });
        var dim = IndexOf(weighted.Axes, lowering.I);
        return ProgramValue.Tensor($"{weighted.Code}.sum(new long[] {{ {dim} }}, false)", weighted.Axes.Where(a => a != lowering.I).ToList());
    }

    /// <summary>Σ_j (mask factors)·C(x[j], x[i]) over rows, as RankCounts over the last dimension.</summary>
    private ProgramValue EmitRankCount(RankCountLowering lowering)
    {
        if (lowering.Relaxed) return EmitSmoothRankSum(lowering);
        var (j, i, comparison, masks, rows) = (lowering.J, lowering.I, lowering.Comparison, lowering.Masks, lowering.Rows);
        var layout = rows.Concat(new[] { j }).ToList();
        // One sort per distinct ranked expression: AP's `above` and `pos_above` share theirs.
        var key = CanonicalKey.Of(comparison.AtJ, j, "#") + (comparison.Negate ? "-" : "+") + string.Join(",", rows);
        if (!_tieGroups.TryGetValue(key, out var groups))
        {
            groups = Local.Temporary("g", _sharedCount++);
            _writer.Line($"using var {groups} = new global::MetricLoss.Runtime.Ranking.TieGroups({Align(EmitExpression(comparison.AtJ), layout)}{(comparison.Negate ? ".neg()" : "")});");
            _tieGroups[key] = groups;
        }
        var values = groups;
        var mask = RankMask(masks, layout, expanded: true);
        var selfExcluded = lowering.Excluded is not null ? "true" : "false";
        var code = comparison.Step
            ? $"{values}.StepCountAbove({mask}, excludeSelf: {selfExcluded})"
            : $"{values}.CountAbove({mask}, strict: {(comparison.Strict ? "true" : "false")}, excludeSelf: {selfExcluded})";
        return ProgramValue.Tensor(code, rows.Concat(new[] { i }).ToList());
    }

    /// <summary>
    /// The product of a rank's mask factors over its layout [rows..., j], or <c>null</c> for none: expanded to the
    /// layout for TieGroups, which indexes it by the sort; as it is (broadcast) for SmoothRankSums.
    /// </summary>
    private string RankMask(IReadOnlyList<BoundExpression> masks, IReadOnlyList<string> layout, bool expanded)
    {
        if (masks.Count == 0) return "null";
        var product = masks.Select(EmitExpression).Aggregate((a, b) =>
        {
            if (a.IsNumber && b.IsNumber) return ProgramValue.Number($"({a.Code} * {b.Code})");
            var axes = Union(new[] { a.Axes, b.Axes });
            return a.IsNumber ? ProgramValue.Tensor($"{CSharp.Ops}.Multiply({b.Code}, {a.Code})", b.Axes)
                : b.IsNumber ? ProgramValue.Tensor($"{CSharp.Ops}.Multiply({a.Code}, {b.Code})", a.Axes)
                : ProgramValue.Tensor($"{Align(a, axes)}.mul({Align(b, axes)})", axes);
        });
        if (product.IsNumber) return $"{CSharp.Ops}.Full(new long[] {{ {Sizes(layout)} }}, {product.Code}, {Local.Dtype}, {Local.Device})";
        return expanded ? $"{Align(product, layout)}.expand(new long[] {{ {Sizes(layout)} }})" : Align(product, layout);
    }

    /// <summary>
    /// Σ_j (mask factors)·relax((x[j] − x[i])/τ) over rows by one sort and prefix sums per row (SmoothRankSums): the
    /// smooth program's sort-based variant, which runs only under a relaxation that has such a kernel.
    /// </summary>
    private ProgramValue EmitSmoothRankSum(RankCountLowering lowering)
    {
        var (j, i, comparison, rows) = (lowering.J, lowering.I, lowering.Comparison, lowering.Rows);
        var layout = rows.Concat(new[] { j }).ToList();
        var x = Align(EmitExpression(comparison.AtJ), layout) + (comparison.Negate ? ".neg()" : "");
        var mask = RankMask(lowering.Masks, layout, expanded: false);
        var temperature = EmitExpression(comparison.Temperature!).Code;
        var selfExcluded = lowering.Excluded is not null ? "true" : "false";
        var output = rows.Concat(new[] { i }).ToList();
        // Read only at a constant mask's items (RankRestrictions): R_i there alone, 0 elsewhere.
        var restriction = lowering.RowMask is null ? "" : $", rows: {Align(EmitExpression(lowering.RowMask), output)}";
        return ProgramValue.Tensor(
            $"global::MetricLoss.Runtime.Ranking.SmoothRankSums.Sum({x}, {mask}, {temperature}, excludeSelf: {selfExcluded}, {Local.Relaxation}{restriction})",
            output);
    }
}
