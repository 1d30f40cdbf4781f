using System.Collections.Generic;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Lowering;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// How one reduction is lowered: the decision <see cref="ReductionRules"/> makes and the lowering builds operations for. Each lowering
/// carries what its lowering needs, so that the lowering (Lowering/ProgramLowering) follows it and decides nothing of its own.
/// </summary>
internal abstract record ReductionLowering
{
    /// <summary>The name shown by <c>explain</c>.</summary>
    public abstract string Name { get; }
}

/// <summary>
/// A comparison of one expression at two positions: count j where x[j] (op) x[i]. <see cref="Temperature"/> is the
/// comparison's τ (<c>@ τ</c>, or the metric's default), null for a comparison the surrogate keeps hard.
/// </summary>
internal sealed record RankComparison(BoundExpression AtJ, bool Negate, bool Strict, bool Step, BoundExpression? Temperature);

/// <summary>
/// Σ_j masks·C(x[j], x[i]) per row without an N×N tensor, O(N log N) a row: in the exact program a count
/// (TieGroups); in the smooth program's sort-based variant (<see cref="Relaxed"/>) the smooth rank
/// Σ_j masks·relax((x[j] − x[i])/τ) from one sort and prefix sums (SmoothRankSums).
/// </summary>
internal sealed record RankCountLowering(string J, string I, string? Excluded, RankComparison Comparison,
    IReadOnlyList<BoundExpression> Masks, IReadOnlyList<string> Rows, bool Relaxed = false) : ReductionLowering
{
    /// <summary>
    /// The constant mask over [rows, i] at whose items alone the smooth rank sum is read (RankRestrictions): the kernel
    /// computes R_i only there (SmoothRankSums' rows) and 0 elsewhere; null for every item.
    /// </summary>
    public BoundExpression? RowMask { get; init; }

    public override string Name => !Relaxed ? "sort-based rank count"
        : RowMask is null ? "sort-based smooth rank sum"
        : $"sort-based smooth rank sum, only at the items of {RankRestrictions.Describe(RowMask)} (read only there)";
}

/// <summary>Σ_i Σ_j a[i]·b[j]·C(x[i], x[j]) as Σ_i a[i]·(a rank count over j): the Mann–Whitney form of ROC AUC.</summary>
internal sealed record MannWhitneyLowering(string I, IReadOnlyList<BoundExpression> Outer, RankCountLowering Count) : ReductionLowering
{
    public override string Name => Count.Relaxed ? "Mann–Whitney sum of sort-based smooth rank sums" : "Mann–Whitney sum of sort-based rank counts";
}

/// <summary>A masked sum evaluated on its mask's support (SupportRewrite): the sum runs over the |P| positions per row.</summary>
internal sealed record SupportLowering(SupportRewrite Rewrite) : ReductionLowering
{
    public override string Name => "support-restricted";
}

/// <summary>Σ_{i,j} a[i]·b[j]·c = (Σ_i a[i])·(Σ_j b[j])·c: a product of one sum per binder (a null sum counts the positions).</summary>
internal sealed record SeparableLowering(IReadOnlyList<(string Variable, BoundReduction? Sum)> Sums, IReadOnlyList<BoundExpression> Constants) : ReductionLowering
{
    public override string Name => "separable: product of sums";
}

/// <summary>A pairwise reduction run chunk by chunk along <see cref="Axis"/> within Options.MaxPairwiseElements (ChunkedReduction).</summary>
internal sealed record ChunkedLowering(string Axis, bool Masked) : ReductionLowering
{
    public override string Name => "chunked";
}

/// <summary>One term of a distributed sum: ±Σ product (a null product is the count of the bound positions).</summary>
internal sealed record SignedTerm(int Sign, BoundExpression? Product);

/// <summary>Σ c·(1 − b) distributed into Σ c − Σ c·b (<see cref="DistributionRule"/>): a signed sum of sums.</summary>
internal sealed record DistributedLowering(IReadOnlyList<SignedTerm> Terms) : ReductionLowering
{
    public override string Name => "distributed negation: signed sum of sums";
}

/// <summary>The reduction as written, on a dense body (masked where a binder excludes positions).</summary>
internal sealed record DenseLowering(bool Masked) : ReductionLowering
{
    public override string Name => Masked ? "dense, masked" : "dense";
}
