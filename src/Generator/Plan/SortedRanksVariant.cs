using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// Whether a metric's smooth program gets a sort-based variant (issue 15): a second smooth program in which the rank
/// patterns that the exact program sorts (RankCountRule) are smooth rank sums computed by one sort and prefix sums per
/// row, O(N log N) instead of O(N²). Which program runs is decided at run time, because the relaxation is an option:
/// the variant under a relaxation with a finite band (SmoothRankSums.Applies), the pairwise program under σ, whose
/// every pair contributes. A metric with no such pattern (the confusion family) has one smooth program, as before.
/// </summary>
internal static class SortedRanksVariant
{
    /// <summary>Whether the metric's smooth program has a sort-based variant.</summary>
    public static bool Exists(BoundMetric metric) => HasSortedRank(PlanBuilder.SortedSmoothProgram(metric));

    /// <summary>
    /// Whether the metric's pairwise smooth program restricts rows to a mask's support (RS@k, mAP over each query's
    /// positives): there it costs O(N·|P|) a row, and by default (Options.SortBasedRanks null) it is kept, since for
    /// the few positives per query of metric learning it beats the sort, whose cost per item is larger.
    /// </summary>
    public static bool PairwiseHasRowSupports(BoundMetric metric) =>
        Lowering.SupportPlan.Build(metric).Rewrites.Any(r => r.Rows.Count > 0);

    /// <summary>Whether a plan of the variant sorts anything: without a smooth rank sum it would be the same program.</summary>
    public static bool HasSortedRank(ProgramPlan variant) => variant.Statements.SelectMany(s => s.Steps).Any(s => s.SortBased);
}
