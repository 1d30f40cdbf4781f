using TorchSharp;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>
/// The generated exact evaluators of Ranking.metric and MultiClass.metric against scikit-learn (roc_auc_score,
/// average_precision_score, ndcg_score, top_k_accuracy_score, f1_score) and against brute-force loops
/// (RecallAtK, RetrievalRecallAtK, PrecisionAtK, MeanReciprocalRank): tests/fixtures/ranking_catalog.
/// </summary>
public sealed class FixtureTests
{
    private const double Tolerance = 1e-12;

    [Theory]
    [MemberData(nameof(RankingFixture.Keys), MemberType = typeof(RankingFixture))]
    public void Generated_exact_equals_the_fixture(string key)
    {
        var @case = RankingFixture.Get(key);
        var metric = RankingMetric.Get(@case.Metric);
        using var scope = torch.NewDisposeScope();
        var inputs = metric.Tensors(@case.Inputs);
        var exact = metric.Exact(inputs, metric.Options(@case.Options));
        Assert.True(Math.Abs(exact - @case.Expected) <= Tolerance,
            $"{key} ({@case.Source}): generated Exact {exact:R}, expected {@case.Expected:R}");
    }

    [Theory]
    [MemberData(nameof(RankingFixture.Keys), MemberType = typeof(RankingFixture))]
    public void Reference_interpreter_equals_the_fixture(string key)
    {
        var @case = RankingFixture.Get(key);
        var metric = RankingMetric.Get(@case.Metric);
        var exact = metric.InterpreterExact(@case.Inputs, @case.Options);
        Assert.True(Math.Abs(exact - @case.Expected) <= Tolerance,
            $"{key} ({@case.Source}): interpreter Exact {exact:R}, expected {@case.Expected:R}");
    }

    [Fact]
    public void The_fixture_covers_every_metric_of_the_two_files()
    {
        Assert.Equal("1.2.1", RankingFixture.SklearnVersion);
        Assert.Equal(RankingMetric.AllNames.OrderBy(n => n), RankingFixture.Cases.Select(c => c.Metric).Distinct().OrderBy(n => n));
    }
}

/// <summary>The five normative ranking examples are in Ranking.metric exactly as docs/language.md writes them.</summary>
public sealed class NormativeTextTests
{
    [Theory]
    [InlineData("RocAuc")]
    [InlineData("AveragePrecision")]
    [InlineData("RecallAtK")]
    [InlineData("TopKAccuracy")]
    [InlineData("NdcgAtK")]
    public void The_catalogue_definition_is_the_normative_example(string name)
    {
        // tests/Dsl.Tests/Examples/normative.metric is the copy of the normative examples the other suites use.
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Generator.sln"))) directory = directory.Parent;
        Assert.NotNull(directory);
        var text = File.ReadAllText(Path.Combine(directory!.FullName, "tests", "Dsl.Tests", "Examples", "normative.metric"));
        var normative = MetricLoss.Dsl.MetricCompiler.Compile(text, null).Metrics.Single(m => m.Name == name);
        var catalogue = RankingMetric.Get(name);
        Assert.Equal(normative.Source, catalogue.Definition.Source);
        Assert.Equal(normative.Source, catalogue.Info.Source);
    }
}
