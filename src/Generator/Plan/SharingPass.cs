using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// Which subexpressions of a program are computed once and read again: equal bound subtrees (by
/// <see cref="CanonicalKey"/>, bound variables renamed; e.g. <c>!label[n]</c> in fp and tn) used more than once. A
/// sum that <see cref="DistributionRule"/> distributes is counted as the sums it becomes, not as its body: equal
/// terms of two distributed sums are then shared, and a factor the terms emit once (a kept negation) is not made a
/// local of its own. The lowering reads the counts (ProgramLowering.Share) and decides nothing about sharing itself.
/// </summary>
internal static class SharingPass
{
    /// <summary>How many times each canonical subexpression is read by the program's statements and goal.</summary>
    public static Dictionary<string, int> Uses(BoundMetric metric, LoweringScope scope)
    {
        var uses = new Dictionary<string, int>(System.StringComparer.Ordinal);
        void Count(BoundExpression expression)
        {
            var key = CanonicalKey.Of(expression);
            uses[key] = uses.TryGetValue(key, out var n) ? n + 1 : 1;
            if (expression is BoundReduction reduction && DistributionRule.Terms(reduction, scope) is { } terms)
            {
                foreach (var term in terms.Where(t => t.Product is not null)) Count(Sum(reduction, term.Product!));
                return;
            }
            foreach (var child in Children(expression)) Count(child);
        }
        foreach (var statement in metric.Statements) Count(statement.Value);
        Count(metric.Goal);
        return uses;
    }

    /// <summary>Whether a value is worth a local: read more than once, and neither a leaf nor a number.</summary>
    public static bool IsShared(IReadOnlyDictionary<string, int> uses, BoundExpression expression) =>
        expression is not (BoundInputRef or BoundLocalRef or BoundOptionRef or BoundNumber)
        && uses.TryGetValue(CanonicalKey.Of(expression), out var count) && count >= 2;
}
