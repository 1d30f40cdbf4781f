using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// The lowering of a reduction: the rules in order, most specific first; the first that applies decides. The lowering
/// follows the decision (ProgramLowering.LowerReductionNode) and the plan (<see cref="PlanBuilder"/>, <c>explain</c>)
/// shows it, so what users read is what the generated code does.
/// </summary>
internal static class ReductionRules
{
    public static ReductionLowering Decide(BoundReduction reduction, LoweringScope scope) =>
        RankCountRule.TryLower(reduction, scope)
        ?? SupportRule.TryLower(reduction, scope)
        ?? SeparableSumRule.TryLower(reduction, scope)
        ?? ChunkRule.TryLower(reduction, scope)
        ?? DistributionRule.TryLower(reduction, scope)
        ?? (ReductionLowering)new DenseLowering(Masked: reduction.Binders.Any(b => b.Excluded is not null));
}
