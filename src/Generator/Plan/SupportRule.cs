using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// A masked sum of the smooth program that SupportPlan rewrote is evaluated on its mask's support (Lowering/SupportRewrite);
/// not inside a chunk or another support.
/// </summary>
internal static class SupportRule
{
    public static SupportLowering? TryLower(BoundReduction reduction, LoweringScope scope) =>
        !scope.InChunk && scope.Support is null && scope.Supports.For(reduction) is { } rewrite ? new SupportLowering(rewrite) : null;
}
