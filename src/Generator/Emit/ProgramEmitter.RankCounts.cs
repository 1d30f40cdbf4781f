using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// The exact rank rewrite (docs/architecture.md, "Lowering: the performance contract"): in the exact program,
/// <c>sum[j (!= i)](m[j] &amp; (x[j] &gt; x[i]))</c> and its <c>&gt;=</c>, <c>&lt;</c>, <c>step</c> forms become a
/// sort-based count per row (RankCounts: O(N log N), no N×N tensor), and
/// <c>sum[i, j](a[i] &amp; b[j] &amp; step(x[i] − x[j]))</c> becomes Σ_i a[i]·(such a count), the Mann–Whitney
/// form of ROC AUC. Anything else falls back to the chunked dense program.
/// </summary>
internal sealed partial class ProgramEmitter
{
    private readonly Dictionary<string, string> _tieGroups = new();

    /// <summary>A comparison between one expression at two positions: count j where x[j] (op) x[i].</summary>
    private sealed record RankComparison(BoundExpression AtJ, bool Negate, bool Strict, bool Step);

    private ProgramValue? TryRankCount(BoundReduction reduction)
    {
        if (IsSmooth || _chunk is not null || _anchorLeaves.Count > 0 || reduction.Reducer != Reducer.Sum) return null;
        var factors = Factors(reduction.Body);
        var binders = reduction.Binders;
        if (binders.Count == 1)
        {
            var j = binders[0].Variable;
            var excluded = binders[0].Excluded;
            if (excluded is { IsGather: true }) return null;
            return RankCount(j, excluded?.Variable, factors, reduction.Axes);
        }
        if (binders.Count == 2 && binders.All(b => b.Excluded is null))
        {
            // Σ_i Σ_j a[i]·b[j]·C(x[i], x[j]) = Σ_i a[i] · (Σ_j b[j]·C): the inner sum is a rank count.
            foreach (var (i, j) in new[] { (binders[0].Variable, binders[1].Variable), (binders[1].Variable, binders[0].Variable) })
            {
                var outer = factors.Where(f => !f.Axes.Contains(j) && f is not BoundComparison and not BoundStep).ToList();
                var inner = factors.Except(outer).ToList();
                var innerAxes = reduction.Axes.Concat(new[] { i }).ToList();
                var count = RankCount(j, null, inner, innerAxes);
                if (count is null) continue;
                var weighted = outer.Aggregate(count.Value, (value, factor) =>
                {
                    var f = EmitExpression(factor);
                    var axes = Union(new[] { value.Axes, f.Axes });
                    return f.IsNumber
                        ? ProgramValue.Tensor($"{CSharp.Ops}.Multiply({value.Code}, {f.Code})", value.Axes)
                        : ProgramValue.Tensor($"{Align(value, axes)}.mul({Align(f, axes)})", axes);
                });
                var dim = IndexOf(weighted.Axes, i);
                return ProgramValue.Tensor($"{weighted.Code}.sum(new long[] {{ {dim} }}, false)", weighted.Axes.Where(a => a != i).ToList());
            }
        }
        return null;
    }

    /// <summary>
    /// Σ_j (mask factors)·C(x[j], x[i]) over rows, as RankCounts over the last dimension; null when the factors
    /// are not one comparison of an expression with itself at j and i plus masks that do not involve i.
    /// </summary>
    private ProgramValue? RankCount(string j, string? excluded, IReadOnlyList<BoundExpression> factors, IReadOnlyList<string> resultAxes)
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
        var mask = "null";
        if (masks.Count > 0)
        {
            var product = masks.Select(EmitExpression).Aggregate((a, b) =>
            {
                if (a.IsNumber && b.IsNumber) return ProgramValue.Number($"({a.Code} * {b.Code})");
                var axes = Union(new[] { a.Axes, b.Axes });
                return a.IsNumber ? ProgramValue.Tensor($"{CSharp.Ops}.Multiply({b.Code}, {a.Code})", b.Axes)
                    : b.IsNumber ? ProgramValue.Tensor($"{CSharp.Ops}.Multiply({a.Code}, {b.Code})", a.Axes)
                    : ProgramValue.Tensor($"{Align(a, axes)}.mul({Align(b, axes)})", axes);
            });
            mask = product.IsNumber
                ? $"{CSharp.Ops}.Full(new long[] {{ {Sizes(layout)} }}, {product.Code}, {Local.Dtype}, {Local.Device})"
                : $"{Align(product, layout)}.expand(new long[] {{ {Sizes(layout)} }})";
        }
        var selfExcluded = excluded is not null ? "true" : "false";
        var code = comparison.Step
            ? $"{values}.StepCountAbove({mask}, excludeSelf: {selfExcluded})"
            : $"{values}.CountAbove({mask}, strict: {(comparison.Strict ? "true" : "false")}, excludeSelf: {selfExcluded})";
        return ProgramValue.Tensor(code, rows.Concat(new[] { i }).ToList());
    }

    /// <summary>
    /// Reads a comparison as "x[j] above x[i]": x[j] &gt; x[i] (strict), x[j] &gt;= x[i], x[i] &lt; x[j], step(x[j] − x[i]);
    /// the mirrored forms count −x instead (x[j] &lt; x[i] is −x[j] &gt; −x[i]).
    /// </summary>
    private static RankComparison? MatchComparison(BoundExpression comparison, string j, string i)
    {
        BoundExpression left, right;
        bool strict, step;
        switch (comparison)
        {
            case BoundComparison c:
                (left, right) = c.Operator is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual ? (c.Left, c.Right) : (c.Right, c.Left);
                strict = c.Operator is ComparisonOperator.Greater or ComparisonOperator.Less;
                step = false;
                break;
            case BoundStep { Argument: BoundBinary { Operator: BinaryOperator.Subtract } difference }:
                (left, right) = (difference.Left, difference.Right);
                strict = false;
                step = true;
                break;
            default:
                return null;
        }
        // "left above right": left must be the expression at one position and right the same at the other.
        if (IsAt(left, j, i) && IsAt(right, i, j) && SameExpression(left, j, right, i)) return new RankComparison(left, false, strict, step);
        if (IsAt(left, i, j) && IsAt(right, j, i) && SameExpression(right, j, left, i)) return new RankComparison(right, true, strict, step);
        return null;
    }

    private static bool IsAt(BoundExpression expression, string here, string notHere) =>
        expression.Axes.Contains(here) && !expression.Axes.Contains(notHere);

    private static bool SameExpression(BoundExpression atJ, string j, BoundExpression atI, string i) =>
        CanonicalKey.Of(atJ, j, "#") == CanonicalKey.Of(atI, i, "#");
}
