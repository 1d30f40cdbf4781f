using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Lowering;
using MetricLoss.Generator.Plan;
using MetricLoss.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.Text;

namespace MetricLoss.Generator.Tests.Plan;

/// <summary>
/// The lowering rules on small definitions, without generating C#: each rule fires on the form it is for, in the
/// program it is for, and stands back otherwise (the next rule, or the dense lowering, takes the reduction).
/// </summary>
public class ReductionRulesTests
{
    [Fact]
    public void A_rank_count_is_sort_based_in_the_exact_program_and_chunked_in_the_smooth_one()
    {
        var metric = Bind("""
            metric Ranks(score: real[n], label: bool[n], tau: real = 0.1) {
                above[n] = sum[j != n](label[j] & ((score[j] > score[n]) @ tau));
                maximize mean[n](above[n]);
            }
            """);
        var above = StatementReduction(metric, "above");

        var exact = Assert.IsType<RankCountLowering>(ReductionRules.Decide(above, Scope(metric, ProgramKind.Exact)));
        Assert.True(exact.Comparison.Strict);
        Assert.False(exact.Comparison.Negate);
        Assert.NotNull(exact.Excluded);
        Assert.Single(exact.Masks);
        var smooth = Assert.IsType<ChunkedLowering>(ReductionRules.Decide(above, Scope(metric, ProgramKind.Smooth)));
        Assert.True(smooth.Masked);
    }

    [Fact]
    public void A_mirrored_comparison_counts_the_negated_scores()
    {
        var metric = Bind("""
            metric Below(score: real[n], tau: real = 0.1) {
                below[n] = sum[j]((score[j] < score[n]) @ tau);
                maximize mean[n](below[n]);
            }
            """);
        var count = Assert.IsType<RankCountLowering>(ReductionRules.Decide(StatementReduction(metric, "below"), Scope(metric, ProgramKind.Exact)));
        Assert.True(count.Comparison.Negate);
        Assert.Null(count.Excluded);
    }

    [Fact]
    public void Roc_auc_is_a_Mann_Whitney_sum_exactly_and_its_pair_count_is_separable()
    {
        var metric = Bind(TestFiles.CatalogMetric("Ranking.metric", "RocAuc"));
        var wins = StatementReduction(metric, "wins");
        var pairs = StatementReduction(metric, "pairs");

        var mannWhitney = Assert.IsType<MannWhitneyLowering>(ReductionRules.Decide(wins, Scope(metric, ProgramKind.Exact)));
        Assert.True(mannWhitney.Count.Comparison.Step);
        Assert.IsType<ChunkedLowering>(ReductionRules.Decide(wins, Scope(metric, ProgramKind.Smooth)));
        var separable = Assert.IsType<SeparableLowering>(ReductionRules.Decide(pairs, Scope(metric, ProgramKind.Smooth)));
        Assert.Equal(2, separable.Sums.Count);
        Assert.All(separable.Sums, s => Assert.NotNull(s.Sum));
    }

    [Fact]
    public void A_negation_is_distributed_only_where_its_cofactor_has_no_score_in_the_smooth_program()
    {
        var metric = Bind(TestFiles.CatalogMetric("ConfusionMatrix.metric", "F1"));
        var fp = StatementReduction(metric, "fp"); // Σ pred·(1 − label): pred depends on the score
        var fn = StatementReduction(metric, "fn"); // Σ label·(1 − pred): label is constant

        Assert.IsType<DenseLowering>(ReductionRules.Decide(fp, Scope(metric, ProgramKind.Smooth)));
        Assert.Equal(2, Assert.IsType<DistributedLowering>(ReductionRules.Decide(fn, Scope(metric, ProgramKind.Smooth))).Terms.Count);
        // The exact program has no gradient to protect: both are distributed.
        Assert.IsType<DistributedLowering>(ReductionRules.Decide(fp, Scope(metric, ProgramKind.Exact)));
    }

    [Fact]
    public void A_masked_sum_of_soft_ranks_runs_on_its_support_in_the_smooth_program_only()
    {
        var metric = Bind(TestFiles.CatalogMetric("Ranking.metric", "RecallAtK"));
        var hits = StatementReduction(metric, "hits");
        var supports = SupportPlan.Build(metric);

        var support = Assert.IsType<SupportLowering>(ReductionRules.Decide(hits, Scope(metric, ProgramKind.Smooth, supports)));
        Assert.Same(supports.For(hits), support.Rewrite);
        Assert.True(supports.IsUnused("rank"));
        Assert.IsNotType<SupportLowering>(ReductionRules.Decide(hits, Scope(metric, ProgramKind.Exact)));
    }

    [Fact]
    public void Inside_a_chunk_no_rule_but_the_dense_ones_applies()
    {
        var metric = Bind(TestFiles.CatalogMetric("Ranking.metric", "RocAuc"));
        var inChunk = Scope(metric, ProgramKind.Exact) with { InChunk = true };

        Assert.Equal(new DenseLowering(false), ReductionRules.Decide(StatementReduction(metric, "wins"), inChunk));
        Assert.Equal(new DenseLowering(false), ReductionRules.Decide(StatementReduction(metric, "pairs"), inChunk));
    }

    [Fact]
    public void A_max_over_pairs_stays_dense_because_chunks_of_a_max_to_a_scalar_are_not_added()
    {
        var metric = Bind("""
            metric Widest(score: real[n]) {
                gap = max[i, j](score[i] - score[j]);
                minimize gap;
            }
            """);
        Assert.Equal(new DenseLowering(false), ReductionRules.Decide(StatementReduction(metric, "gap"), Scope(metric, ProgramKind.Smooth)));
    }

    internal static BoundMetric Bind(string text)
    {
        var result = Hosts.MetricFileHost.Compile("m.metric", SourceText.From(text), "Tests", default);
        Assert.Empty(result.Diagnostics);
        return Assert.Single(result.Units).Metric;
    }

    internal static BoundReduction StatementReduction(BoundMetric metric, string statement) =>
        Assert.IsType<BoundReduction>(metric.Statements.Single(s => s.Name == statement).Value);

    internal static LoweringScope Scope(BoundMetric metric, ProgramKind kind, SupportPlan? supports = null) =>
        new(metric, kind, kind, InChunk: false, Support: null, InAnchorTail: false, supports ?? SupportPlan.Empty,
            variable => metric.Variables.Single(v => v.Id == variable).SizeAxis);
}
