using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// Batches where a confusion-matrix count is empty: the surrogate's value and gradient stay finite (guarded
/// divisions and square roots), for every metric, dtype, label encoding and relaxation; and the exact
/// evaluator says what scikit-learn says on the fixture's degenerate cases, whatever the label encoding.
/// </summary>
public sealed class DegenerateBatchTests
{
    /// <summary>Degenerate batches, in units of the metric's temperature around its threshold.</summary>
    private static readonly Dictionary<string, (double[] Offset, bool[] Label)> Batches = new()
    {
        ["no_positives"] = (new[] { -2.0, 1.5, 0.3, -0.1 }, new[] { false, false, false, false }),
        ["all_positives"] = (new[] { -2.0, 1.5, 0.3, -0.1 }, new[] { true, true, true, true }),
        ["no_predicted_positives"] = (new[] { -3.0, -1.5, -0.3, -4.0 }, new[] { true, false, true, false }),
        ["all_predicted_positives_all_positive"] = (new[] { 3.0, 1.5, 0.3, 4.0 }, new[] { true, true, true, true }),
        ["one_positive_item"] = (new[] { 0.7 }, new[] { true }),
        ["one_negative_item"] = (new[] { -0.7 }, new[] { false }),
        ["all_tied_at_threshold"] = (new[] { 0.0, 0.0, 0.0, 0.0, 0.0 }, new[] { true, false, true, false, false }),
        ["all_tied_at_threshold_one_class"] = (new[] { 0.0, 0.0, 0.0 }, new[] { false, false, false }),
        ["far_from_threshold"] = (new[] { -5e3, 5e3, -5e3, 5e3 }, new[] { false, false, true, true }),
    };

    public static TheoryData<string, string> MetricsAndBatches
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var metric in CatalogMetrics.All)
            {
                foreach (var batch in Batches.Keys) data.Add(metric.Name, batch);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MetricsAndBatches))]
    public void Smooth_and_Loss_value_and_gradient_are_finite(string name, string batchName)
    {
        var metric = CatalogMetrics.Get(name);
        var (offset, labels) = Batches[batchName];
        var threshold = metric.DecisionThreshold(null);
        foreach (var tau in new[] { metric.Temperature(null), 1e-3 })
        foreach (var relaxation in Enum.GetValues<Relaxation>())
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        foreach (var kind in Tensors.LabelKinds)
        {
            var context = $"{name} on {batchName}, τ = {tau}, {relaxation}, {dtype}, labels {kind}";
            var settings = new MetricSettings(Tau: tau, Relaxation: relaxation);
            var scores = offset.Select(o => threshold + o * tau).ToArray();
            using var scope = torch.NewDisposeScope();
            var label = Tensors.Labels(labels, kind);

            var score = Tensors.Scores(scores, dtype, requiresGrad: true);
            var smooth = metric.Smooth(score, label, settings);
            var smoothValue = Tensors.Value(smooth);
            AssertFinite(smoothValue, context + ": Smooth");
            Assert.InRange(smoothValue, -1 - 1e-6, 1 + 1e-6);
            AssertFinite(Tensors.Values(torch.autograd.grad(new[] { smooth }, new[] { score })[0]), context + ": ∂Smooth");

            var lossScore = Tensors.Scores(scores, dtype, requiresGrad: true);
            var loss = metric.Loss(lossScore, label, settings);
            AssertFinite(Tensors.Value(loss), context + ": Loss");
            Assert.Equal(1 - smoothValue, Tensors.Value(loss), dtype == ScalarType.Float32 ? 1e-6 : 1e-12);
            loss.backward();
            Assert.NotNull(lossScore.grad);
            AssertFinite(Tensors.Values(lossScore.grad!), context + ": ∂Loss");
        }
    }

    /// <summary>
    /// A τ so small that 1/τ overflows the compute dtype (float32 below ~3e-39, float64 below ~6e-309): a score tied
    /// with the threshold must still give relax(0) = ½ (x/τ = 0), not 0·∞ = NaN. (Regression: MetricOps.Relax.)
    /// </summary>
    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Tiny_temperature_with_scores_tied_at_the_threshold_is_finite(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var threshold = metric.DecisionThreshold(null);
        var scores = new[] { threshold, threshold + 0.25, threshold - 0.25, threshold };
        var labels = new[] { true, false, true, false };
        foreach (var (dtype, tau) in new[] { (ScalarType.Float32, 1e-40), (ScalarType.Float32, 1e-320), (ScalarType.Float64, 1e-320) })
        foreach (var relaxation in Enum.GetValues<Relaxation>())
        {
            var context = $"{name}, {dtype}, τ = {tau}, {relaxation}";
            using var scope = torch.NewDisposeScope();
            var score = Tensors.Scores(scores, dtype, requiresGrad: true);

            var loss = metric.Loss(score, Tensors.Labels(labels), new MetricSettings(Tau: tau, Relaxation: relaxation));
            loss.backward();

            AssertFinite(Tensors.Value(loss), context + ": Loss");
            AssertFinite(Tensors.Values(score.grad!), context + ": ∂Loss");
        }
        using (torch.NewDisposeScope())
        {
            // One positive item exactly at the threshold: Recall's surrogate is its soft prediction, relax(0) = ½.
            var single = CatalogMetrics.Get("Recall").Smooth(Tensors.Scores(new[] { 0.0 }, ScalarType.Float32), Tensors.Labels(new[] { true }), new MetricSettings(Tau: 1e-40));
            Assert.Equal(0.5, Tensors.Value(single));
        }
    }

    public static TheoryData<string, string> DegenerateFixtureRows
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (c, key) in SklearnFixture.Rows().Where(r => r.Case.IsDegenerate)) data.Add(c.Name, key.Key);
            return data;
        }
    }

    /// <summary>Null (scikit-learn NaN) is 0 here by design (zero_division=0).</summary>
    [Theory]
    [MemberData(nameof(DegenerateFixtureRows))]
    public void Exact_matches_the_fixtures_degenerate_cases_with_every_label_encoding(string @case, string key)
    {
        var c = SklearnFixture.Get(@case);
        var k = SklearnFixture.Key(key);
        var metric = CatalogMetrics.Get(k.Metric);
        var expected = c.Expected[k.ExpectedKey] ?? 0.0;
        var settings = SklearnFixture.SettingsFor(c, k);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        foreach (var kind in Tensors.LabelKinds)
        {
            using var scope = torch.NewDisposeScope();

            var actual = metric.Exact(Tensors.Scores(c.Score, dtype), Tensors.Labels(c.Label, kind), settings);

            Assert.True(Math.Abs(expected - actual) <= 1e-12, $"{@case}/{key} with {dtype} scores and {kind} labels: expected {expected:R}, got {actual:R}");
        }
    }

    private static void AssertFinite(double value, string context) =>
        Assert.False(double.IsNaN(value) || double.IsInfinity(value), $"{context} is {value}");

    private static void AssertFinite(double[] values, string context)
    {
        for (var i = 0; i < values.Length; i++) AssertFinite(values[i], $"{context}[{i}]");
    }
}
