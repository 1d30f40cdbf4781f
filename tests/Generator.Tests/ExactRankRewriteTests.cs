using System.Text.RegularExpressions;
using MetricLoss.Generator.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// The exact programs of rank patterns are sort-based (TieGroups: one sort per ranked expression), and separable pair sums are products of
/// sums: no N×N term, so ROC AUC on hundreds of thousands of scores is exact and quick.
/// </summary>
public class ExactRankRewriteTests
{
    private static string ExactBody(string source) =>
        Regex.Match(source, @"public static double Exact\(global::TorchSharp\.torch\.Tensor.*?\n        \}", RegexOptions.Singleline).Value;

    [Theory]
    [InlineData("RocAuc")]
    [InlineData("AveragePrecision")]
    [InlineData("NdcgAtK")]
    public void Rank_patterns_in_the_exact_program_are_sort_based(string name)
    {
        var source = GeneratorHarness.Run(TestFiles.NormativeMetric(name), "m.metric").Sources.Values.Single();
        var exact = ExactBody(source);
        Assert.Contains("Ranking.TieGroups(", exact);
        Assert.DoesNotContain("ChunkedReduction", exact);
        Assert.DoesNotContain("RequirePairwiseBudget", exact);
    }

    [Fact]
    public void RecallAtK_ranks_are_sort_based_and_only_the_small_hits_term_is_chunked()
    {
        var exact = ExactBody(GeneratorHarness.Run(TestFiles.NormativeMetric("RecallAtK"), "m.metric").Sources.Values.Single());
        Assert.Contains(".CountAbove(", exact);
        Assert.Single(Regex.Matches(exact, "ChunkedReduction.Reduce"));
    }

    [Fact]
    public void Roc_auc_of_three_hundred_thousand_scores_equals_the_mann_whitney_statistic()
    {
        var metric = CompiledMetric.Compile(TestFiles.NormativeMetric("RocAuc").Replace("namespace MetricLoss.Catalog;", "namespace Rank.Large;"), "RocAuc");
        const int n = 300_000;
        var random = new Random(5);
        var scores = Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble(), 3)).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 0.2 + 0.5 * s).ToArray();
        var value = metric.Exact(new[] { tensor(scores), tensor(labels) });
        Assert.Equal(MannWhitney(scores, labels), value, 12);
    }

    /// <summary>AUC from mid-ranks (ties share their average rank), computed independently of the generator.</summary>
    private static double MannWhitney(double[] scores, bool[] labels)
    {
        var order = Enumerable.Range(0, scores.Length).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[scores.Length];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]]) end++;
            var midRank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++) ranks[order[k]] = midRank;
            start = end + 1;
        }
        double positives = labels.Count(l => l), negatives = labels.Length - positives;
        var rankSum = Enumerable.Range(0, scores.Length).Where(i => labels[i]).Sum(i => ranks[i]);
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }
}
