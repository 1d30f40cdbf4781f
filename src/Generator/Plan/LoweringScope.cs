using System;
using System.Collections.Generic;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Lowering;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// Where a reduction is lowered, as the rules (<see cref="ReductionRules"/>) see it: the program, the kind of
/// comparisons in force there (Exact inside the exact tail of an interpolated metric), and whether it sits in a chunk's
/// body, in a support, or among the anchors of an interpolation tail. The lowering and the plan builder make the same
/// scopes, so both get the same decision for the same reduction. <paramref name="SortedRanks"/> marks the smooth
/// program's sort-based variant (<see cref="SortedRanksVariant"/>), the one that runs under a relaxation with a
/// sort-based kernel.
/// </summary>
internal sealed record LoweringScope(
    BoundMetric Metric,
    ProgramKind Program,
    ProgramKind Kind,
    bool InChunk,
    SupportRewrite? Support,
    bool InAnchorTail,
    SupportPlan Supports,
    Func<string, string> SizeAxisOf,
    bool SortedRanks = false)
{
    public bool IsSmooth => Kind == ProgramKind.Smooth;

    /// <summary>The factors of a product; in a support an inlined statement is one factor, as its local was before.</summary>
    public List<BoundExpression> Factors(BoundExpression expression)
    {
        var factors = new List<BoundExpression>();
        BoundTree.Flatten(expression, factors, Support is null ? null : Support.IsInlined);
        return factors;
    }
}
