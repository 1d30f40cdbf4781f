using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Plan;

namespace MetricLoss.Generator.Tests.Plan;

/// <summary>Which values the lowering checks against Options.MaxPairwiseElements, decided without C#.</summary>
public class PairwiseBudgetRuleTests
{
    private static readonly BoundMetric Metric = ReductionRulesTests.Bind("""
        metric Pairs(score: real[n], label: bool[n], grid: real[n, m], tau: real = 0.1) {
            above[n] = sum[j != n](label[j] & ((score[j] > score[n]) @ tau));
            maximize mean[n](above[n]) + mean[n, m](grid[n, m]);
        }
        """);

    private static string Variable(string name) => Metric.Variables.First(v => v.Name == name).Id;

    [Fact]
    public void A_pairwise_value_no_input_spans_is_checked_once_per_set_of_sizes()
    {
        var scope = ReductionRulesTests.Scope(Metric, ProgramKind.Smooth);
        var made = new HashSet<string>();
        var (n, j) = (Variable("n"), Variable("j"));

        Assert.Equal("n,n", PairwiseBudgetRule.CheckKey(new[] { j, n }, scope, made));
        // The same sizes in the other order, or again: the check is made already.
        Assert.Null(PairwiseBudgetRule.CheckKey(new[] { n, j }, scope, made));
        Assert.Single(made);
    }

    [Fact]
    public void Values_an_input_spans_one_axis_values_and_chunk_bodies_are_not_checked()
    {
        var scope = ReductionRulesTests.Scope(Metric, ProgramKind.Smooth);
        var made = new HashSet<string>();
        var (n, m, j) = (Variable("n"), Variable("m"), Variable("j"));

        Assert.Null(PairwiseBudgetRule.CheckKey(new[] { n, m }, scope, made)); // grid[n, m] spans it
        Assert.Null(PairwiseBudgetRule.CheckKey(new[] { n }, scope, made));
        Assert.Null(PairwiseBudgetRule.CheckKey(new[] { j, n }, scope with { InChunk = true }, made));
        Assert.Empty(made);
    }
}
