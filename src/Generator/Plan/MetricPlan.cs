using System.Collections.Generic;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// One reduction of a program as lowered: the decision of <see cref="ReductionRules"/> and what it costs.
/// Axes are named by their size axes (the dimension of an input they take their size from); a support's positions are
/// <c>|P|</c>.
/// </summary>
/// <param name="Depth">0 for a reduction of the statement itself, 1 and more for those its lowering runs inside.</param>
/// <param name="Lowering">The lowering's name (<see cref="ReductionLowering.Name"/>).</param>
/// <param name="Reducer">sum, mean, max, min, any or all.</param>
/// <param name="Work">The axes the work runs over, one entry per axis (an axis of a pair is listed twice: n, n).</param>
/// <param name="Peak">The axes of the largest intermediate it materialises, before any budget.</param>
/// <param name="SortBased">The last axis of <see cref="Work"/> is sorted rather than paired: N log N.</param>
/// <param name="Chunked">The intermediate is cut into chunks of at most Options.MaxPairwiseElements.</param>
/// <param name="HostSyncs">What this step reads back to the host, or empty.</param>
internal sealed record PlanStep(
    int Depth,
    string Lowering,
    string Reducer,
    IReadOnlyList<string> Work,
    IReadOnlyList<string> Peak,
    bool SortBased,
    bool Chunked,
    string HostSyncs)
{
    /// <summary>For a chunked step, the peaks of the reductions inside its body: the chunk holds the largest of all.</summary>
    public IReadOnlyList<IReadOnlyList<string>> InnerPeaks { get; init; } = System.Array.Empty<IReadOnlyList<string>>();

    /// <summary>A dense pairwise term that cannot be chunked (a max over pairs): refused beyond MaxPairwiseElements.</summary>
    public bool BudgetChecked { get; init; }
}

/// <summary>The plan of one statement (or the goal) of a program: its reductions in the order they are computed.</summary>
internal sealed record StatementPlan(string Name, IReadOnlyList<string> Axes, IReadOnlyList<PlanStep> Steps);

/// <summary>The plan of one program (Exact or Smooth): its statements, and what the program does beside them.</summary>
internal sealed record ProgramPlan(string Name, IReadOnlyList<StatementPlan> Statements, IReadOnlyList<string> Notes);

/// <summary>
/// The plans of a metric's two programs, and of the smooth program's sort-based variant where it has one
/// (<see cref="SortedRanksVariant"/>): the program that runs under a relaxation whose smooth ranks sort.
/// </summary>
internal sealed record MetricPlan(string Metric, ProgramPlan Exact, ProgramPlan Smooth, ProgramPlan? SortedSmooth = null);
