using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// The exact evaluators against scikit-learn 1.2.1 (tests/fixtures/confusion_metrics.json), through every
/// overload: float32 and float64 tensors, float and double spans.
/// </summary>
public sealed class ScikitLearnFixtureTests
{
    private const double Tolerance = 1e-12;

    public static TheoryData<string, string> DefinedRows => RowsWhere(defined: true);

    public static TheoryData<string, string> NaNRows => RowsWhere(defined: false);

    [Theory]
    [MemberData(nameof(DefinedRows))]
    public void Exact_matches_scikit_learn(string @case, string metric)
    {
        var (c, key) = (SklearnFixture.Get(@case), SklearnFixture.Key(metric));
        var expected = c.Expected[key.ExpectedKey]!.Value;

        AssertEveryOverloadGives(expected, c, key);
    }

    /// <summary>Where scikit-learn returns NaN (CohenKappa of one class predicted as that class), we return 0 by design (zero_division=0).</summary>
    [Theory]
    [MemberData(nameof(NaNRows))]
    public void Exact_is_0_by_zero_division_0_where_scikit_learn_gives_NaN(string @case, string metric)
    {
        var (c, key) = (SklearnFixture.Get(@case), SklearnFixture.Key(metric));
        Assert.Null(c.Expected[key.ExpectedKey]);

        AssertEveryOverloadGives(0.0, c, key);
    }

    [Fact]
    public void Fixture_has_the_documented_cases_and_keys()
    {
        Assert.Equal(44, SklearnFixture.Cases.Count);
        Assert.Equal(32, SklearnFixture.Cases.Count(c => !c.IsDegenerate));
        Assert.All(SklearnFixture.Cases, c =>
        {
            Assert.Equal(c.Score.Length, c.Label.Length);
            Assert.Equal(SklearnFixture.LogitKeys.Select(k => k.ExpectedKey).OrderBy(k => k), c.Expected.Keys.OrderBy(k => k));
            Assert.Equal(c.IsProbability ? 0.5 : 0.0, c.Threshold);
        });
        // Every catalogue metric is checked against scikit-learn by at least one row.
        var checkedMetrics = SklearnFixture.Rows().Select(r => r.Key.Metric).Distinct().OrderBy(n => n);
        Assert.Equal(CatalogMetrics.All.Select(m => m.Name).OrderBy(n => n), checkedMetrics);
    }

    /// <summary>FBeta at its default β = 1 is F1 (the fixture has no FBeta(beta=1) key).</summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void FBeta_with_default_beta_matches_scikit_learn_F1(string @case)
    {
        var c = SklearnFixture.Get(@case);
        var settings = c.IsProbability ? new MetricSettings(Threshold: c.Threshold) : null;

        var actual = CatalogMetrics.Get("FBeta").Exact(c.Score, c.Label, settings);

        Assert.Equal(c.Expected["F1"]!.Value, actual, Tolerance);
    }

    public static TheoryData<string> CaseNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in SklearnFixture.Cases) data.Add(c.Name);
            return data;
        }
    }

    private static void AssertEveryOverloadGives(double expected, SklearnCase c, FixtureMetric key)
    {
        var metric = CatalogMetrics.Get(key.Metric);
        var settings = SklearnFixture.SettingsFor(c, key);
        using var scope = torch.NewDisposeScope();
        var label = Tensors.Labels(c.Label);

        Assert.Equal(expected, metric.Exact(Tensors.Scores(c.Score, ScalarType.Float64), label, settings), Tolerance);
        Assert.Equal(expected, metric.Exact(Tensors.Scores(c.Score, ScalarType.Float32), label, settings), Tolerance);
        Assert.Equal(expected, metric.Exact(c.Score, c.Label, settings), Tolerance);
        Assert.Equal(expected, metric.Exact(c.Score.Select(s => (float)s).ToArray(), c.Label, settings), Tolerance);
    }

    private static TheoryData<string, string> RowsWhere(bool defined)
    {
        var data = new TheoryData<string, string>();
        foreach (var (c, key) in SklearnFixture.Rows())
        {
            if (c.Expected[key.ExpectedKey].HasValue == defined) data.Add(c.Name, key.Key);
        }
        return data;
    }
}
