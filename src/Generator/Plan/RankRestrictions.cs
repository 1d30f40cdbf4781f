using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Lowering;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// Which smooth rank sums of the sort-based variant are wanted only at the items of a constant mask (issue 15): a
/// statement every read of which sits in a sum that the support rewrite evaluates on a mask's support, at that sum's
/// position i (RS@k's <c>rank[q, i]</c>, read only in <c>sum[i](pos[q, i] &amp; …)</c>; mAP's <c>above</c> and
/// <c>pos_above</c> under <c>label[q, i]</c>). Each of those sums is 0 wherever its mask is, so the statement's value
/// there is never needed, and its rank sums need R_i only at the mask's items (SmoothRankSums' <c>rows</c>): the band
/// searches and coefficients cost |P| items a row instead of N.
/// </summary>
/// <remarks>
/// Sound because the kernel gives 0 at the items left out, and a rank sum over <c>j != i</c> is 0 for an item above
/// every other by the band's width: the statement there holds a value it can hold on real scores (RS@k's rank 1),
/// which the reading sum multiplies by 0, as the unrestricted program multiplies the true one. So only sums that
/// exclude j = i are restricted (RankCountRule), and only under a mask without reductions of its own (the plan and
/// the emitter print it as an input read).
/// </remarks>
internal static class RankRestrictions
{
    private static readonly ConditionalWeakTable<BoundMetric, Dictionary<BoundReduction, BoundExpression>> Cache = new();

    /// <summary>The mask (in the reduction's own axes) at whose items <paramref name="reduction"/>'s value is needed, or null for all.</summary>
    public static BoundExpression? For(BoundMetric metric, BoundReduction reduction) =>
        Cache.GetValue(metric, Build).TryGetValue(reduction, out var mask) ? mask : null;

    /// <summary>A short name of a mask for the plan: its inputs, as written.</summary>
    public static string Describe(BoundExpression mask)
    {
        var inputs = new List<string>();
        var pending = new Stack<BoundExpression>();
        pending.Push(mask);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (next is BoundInputRef input && !inputs.Contains(input.Input)) inputs.Add(input.Input);
            foreach (var child in Children(next)) pending.Push(child);
        }
        inputs.Sort(System.StringComparer.Ordinal);
        return inputs.Count == 0 ? "a constant mask" : string.Join(" & ", inputs);
    }

    private static Dictionary<BoundReduction, BoundExpression> Build(BoundMetric metric)
    {
        var result = new Dictionary<BoundReduction, BoundExpression>(ReferenceComparer<BoundReduction>.Instance);
        var supports = SupportPlan.Build(metric);
        if (supports.Problem is not null || supports.Rewrites.Count == 0) return result;
        var statements = metric.Statements.ToDictionary(s => s.Name);
        // Per statement, the mask of each read in its own axes, or null for a read that is not under one.
        var reads = new Dictionary<string, List<BoundExpression?>>(System.StringComparer.Ordinal);
        var pending = new Stack<(BoundExpression Node, BoundExpression? Mask, string? I)>();
        foreach (var statement in metric.Statements) pending.Push((statement.Value, null, null));
        pending.Push((metric.Goal, null, null));
        while (pending.Count > 0)
        {
            var (node, mask, i) = pending.Pop();
            if (node is BoundReduction reduction && supports.For(reduction) is { Reduction: not null } rewrite)
            {
                (mask, i) = (rewrite.Mask, reduction.Binders[0].Variable);
            }
            if (node is BoundLocalRef local)
            {
                if (!reads.TryGetValue(local.Statement, out var list)) reads[local.Statement] = list = new List<BoundExpression?>();
                list.Add(mask is null || i is null || !local.Renaming.Contains(i) ? null : InStatementAxes(mask, local, statements[local.Statement]));
            }
            foreach (var child in Children(node)) pending.Push((child, mask, i));
        }
        foreach (var statement in metric.Statements)
        {
            if (!reads.TryGetValue(statement.Name, out var masks) || masks.Any(m => m is null)) continue;
            var mask = masks[0]!;
            if (masks.Any(m => CanonicalKey.Of(m!) != CanonicalKey.Of(mask))) continue;
            foreach (var reduction in ReductionsIn(statement.Value).Where(r => mask.Axes.All(r.Axes.Contains))) result[reduction] = mask;
        }
        return result;
    }

    /// <summary>The mask renamed from the variables the statement is read at to its declared axes; null when that cannot be done.</summary>
    private static BoundExpression? InStatementAxes(BoundExpression mask, BoundLocalRef read, BoundStatement statement)
    {
        if (ContainsReduction(mask) || read.Renaming.Distinct().Count() != read.Renaming.Count) return null;
        if (!mask.Axes.All(read.Renaming.Contains)) return null;
        var map = new Dictionary<string, string>();
        for (var d = 0; d < statement.Axes.Count; d++) map[read.Renaming[d]] = statement.Axes[d];
        return VariableRenaming.Rename(mask, map);
    }

    private static bool ContainsReduction(BoundExpression expression) =>
        expression is BoundReduction || Children(expression).Any(ContainsReduction);

    private static IEnumerable<BoundReduction> ReductionsIn(BoundExpression expression)
    {
        if (expression is BoundReduction reduction) yield return reduction;
        foreach (var child in Children(expression))
        {
            foreach (var inner in ReductionsIn(child)) yield return inner;
        }
    }
}
