using MetricLoss.Generator.Plan;
using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests.Plan;

/// <summary>What an evaluator keeps, decided on the bound tree (no C#): the statistics, the tail, the kind, the bins.</summary>
public class EvaluatorStatePassTests
{
    [Fact]
    public void Sums_of_item_wise_values_are_sufficient_statistics_and_the_tail_reads_them_only()
    {
        var decision = EvaluatorStatePass.Decide(ReductionRulesTests.Bind(TestFiles.CatalogMetric("ConfusionMatrix.metric", "CohenKappa")));
        Assert.Equal(EvaluatorStateKind.SufficientStatistics, decision.Kind);
        Assert.Equal(new[] { "tp", "tn", "fp", "fn" }, decision.Statistics!.Statistics.Select(s => s.Description));
        // total, po and pe are computed from the sums; pred[n] is not in the tail (it has the batch axis).
        Assert.Equal(new[] { "tp", "tn", "fp", "fn", "total", "po", "pe" }, decision.Statistics.TailStatements.Select(s => s.Name));
        Assert.Equal(4, decision.FromStatistics!.Inputs.Count);
        Assert.Equal("4", decision.Size);
    }

    [Fact]
    public void A_mean_over_rows_of_per_row_values_is_a_sum_and_a_count()
    {
        var metric = ReductionRulesTests.Bind("""
            metric RowMean(score: real[q, i], label: bool[q, i], tau: real = 0.1) {
                top[q] = max[i](label[q, i] * score[q, i]);
                maximize mean[q](top[q] > 0);
            }
            """);
        var decision = EvaluatorStatePass.Decide(metric);
        Assert.Equal(EvaluatorStateKind.PerRow, decision.Kind);
        Assert.Equal(new[] { "sum[q] of top (the goal)", "count[q] (the goal)" }, decision.Statistics!.Statistics.Select(s => s.Description));
    }

    [Theory]
    [InlineData("maximize sum[i, j](label[i] * (score[i] > score[j])) / sum[i](label[i]);")] // pairs of items
    [InlineData("maximize max[n](label[n] * score[n]);")] // a max over items is no sum
    [InlineData("maximize sum[n](label[n] * score[n] / sum[m](score[m]));")] // a row reads the whole set
    public void Anything_that_couples_items_keeps_the_batches(string goal)
    {
        var metric = ReductionRulesTests.Bind($"metric Coupled(score: real[n], label: bool[n], tau: real = 0.1) {{ {goal} }}");
        var decision = EvaluatorStatePass.Decide(metric);
        Assert.Equal(EvaluatorStateKind.Batches, decision.Kind);
        Assert.True(decision.Mergeable);
        Assert.Null(decision.Statistics);
        Assert.Equal("2·N", decision.Size);
    }

    [Fact]
    public void ROC_AUC_and_AP_under_other_names_offer_bins_and_their_variants_do_not()
    {
        var auc = ReductionRulesTests.Bind("""
            metric Auc(s: real[n], y: bool[n], t: real = 0.1) {
                all_pairs = sum[a, b](y[a] & !y[b]);
                won = sum[a, b](y[a] & !y[b] & step(s[a] - s[b]) @ t);
                maximize won / all_pairs;
            }
            """);
        Assert.Equal((EvaluatorStateKind.Ranks, BinnedRankForm.RocAuc), (EvaluatorStatePass.Decide(auc).Kind, EvaluatorStatePass.Decide(auc).Bins!.Value));
        var ap = ReductionRulesTests.Bind(TestFiles.CatalogMetric("Ranking.metric", "AveragePrecision"));
        Assert.Equal(BinnedRankForm.AveragePrecision, EvaluatorStatePass.Decide(ap).Bins);
        // Strict ties (`>` for `>=`) are another metric: no bins.
        var strict = ReductionRulesTests.Bind("""
            metric Strict(score: real[n], label: bool[n], tau: real = 0.01) {
                above[i]     = 1 + sum[j != i](score[j] > score[i]);
                pos_above[i] = 1 + sum[j != i](label[j] & (score[j] > score[i]));
                maximize sum[i](label[i] * pos_above[i] / above[i]) / sum[i](label[i]);
            }
            """);
        Assert.Equal((EvaluatorStateKind.Batches, (BinnedRankForm?)null), (EvaluatorStatePass.Decide(strict).Kind, EvaluatorStatePass.Decide(strict).Bins));
    }

    [Fact]
    public void An_index_into_the_batch_axis_is_not_mergeable()
    {
        var metric = ReductionRulesTests.Bind("""
            metric Partner(score: real[n], partner: index<n>[n], tau: real = 1) {
                maximize mean[n]((score[n] > 0) * (score[partner[n]] > 0));
            }
            """);
        var decision = EvaluatorStatePass.Decide(metric);
        Assert.Equal(EvaluatorStateKind.Batches, decision.Kind);
        Assert.False(decision.Mergeable);
    }
}
