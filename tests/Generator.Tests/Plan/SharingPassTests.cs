using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Plan;
using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests.Plan;

/// <summary>Which subexpressions the program computes once, decided on the bound tree (no C#).</summary>
public class SharingPassTests
{
    [Fact]
    public void An_equal_sum_read_twice_is_shared_and_leaves_never_are()
    {
        var metric = ReductionRulesTests.Bind("""
            metric Twice(score: real[n], label: bool[n], tau: real = 0.1) {
                hits = sum[n](label[n] * score[n]);
                again = 1 + sum[k](label[k] * score[k]);
                once = sum[n](score[n]);
                maximize (hits + again) / (1 + once);
            }
            """);
        var uses = SharingPass.Uses(metric, ReductionRulesTests.Scope(metric, ProgramKind.Smooth));

        // The same sum under another bound variable's name is the same value.
        Assert.True(SharingPass.IsShared(uses, ReductionRulesTests.StatementReduction(metric, "hits")));
        Assert.False(SharingPass.IsShared(uses, ReductionRulesTests.StatementReduction(metric, "once")));
        var score = Assert.IsType<BoundReduction>(ReductionRulesTests.StatementReduction(metric, "once")).Body;
        Assert.IsType<BoundInputRef>(score);
        Assert.False(SharingPass.IsShared(uses, score));
    }

    [Fact]
    public void A_distributed_sum_is_counted_as_its_terms()
    {
        // fn = Σ label·(1 − pred) is distributed into Σ label − Σ label·pred, and Σ label·pred is tp: shared.
        var metric = ReductionRulesTests.Bind(TestFiles.CatalogMetric("ConfusionMatrix.metric", "F1"));
        var scope = ReductionRulesTests.Scope(metric, ProgramKind.Smooth);
        var uses = SharingPass.Uses(metric, scope);
        var tp = ReductionRulesTests.StatementReduction(metric, "tp");

        Assert.True(SharingPass.IsShared(uses, tp));
        var fn = ReductionRulesTests.StatementReduction(metric, "fn");
        var terms = Assert.IsType<DistributedLowering>(ReductionRules.Decide(fn, scope)).Terms;
        Assert.Contains(terms, t => t.Product is not null && CanonicalKey.Of(Lowering.BoundTree.Sum(fn, t.Product)) == CanonicalKey.Of(tp));
    }
}
