using Integration.Tests.Declared;
using Integration.Tests.Weighted;
using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace Integration.Tests;

/// <summary>
/// Real .metric files and a [Metric] class compiled by the real build (the SDK's compiler loading the
/// generator), then executed: values checked by hand, gradients flowing, the catalogue available.
/// </summary>
public class GeneratedMetricsTests
{
    private static Tensor Scores(params double[] values) => tensor(values, dtype: float64);

    private static Tensor Labels(params bool[] values) => tensor(values);

    [Fact]
    public void Metric_file_without_namespace_is_generated_in_the_root_namespace()
    {
        // TP = 2 of 3 positives; TN = 1 of 2 negatives: J = 2/3 + 1/2 − 1.
        var j = YoudenJ.Exact(Scores(1, 2, -1, 3, -2), Labels(true, true, true, false, false));
        Assert.Equal(2.0 / 3 + 0.5 - 1, j, 12);
        Assert.Equal("Integration.Tests", YoudenJ.Info.Namespace);
        Assert.Equal(0.5, YoudenJ.Options.Default.Tau);
    }

    [Fact]
    public void Constant_inputs_weight_the_metric_and_get_no_gradient()
    {
        var score = Scores(2, -1, 1, -3).requires_grad_(true);
        var label = Labels(true, false, false, true);
        var weight = tensor(new[] { 1.0, 2.0, 3.0, 4.0 }, dtype: float64);
        // Correct: items 0 and 1 (weights 1 and 2) of total weight 10.
        Assert.Equal(0.3, WeightedAccuracy.Exact(score, label, weight), 12);
        var loss = WeightedAccuracy.Loss(score, label, weight);
        loss.backward();
        Assert.False(weight.requires_grad);
        Assert.True(score.grad is not null && score.grad.abs().sum().item<double>() > 0);
    }

    [Fact]
    public void Two_axis_metric_with_a_literal_temperature_minimises()
    {
        var score = tensor(new double[,] { { 1, -1 }, { -2, 3 } });
        var label = tensor(new bool[,] { { true, true }, { false, true } });
        // Positives at (0,0), (0,1), (1,1); hits at (0,0) and (1,1): 1 − 2/3 is minimised.
        Assert.Equal(1 - 2.0 / 3, MicroRecall.Exact(score, label), 12);
        Assert.Equal(MetricLoss.MetricDirection.Minimize, MicroRecall.Info.Direction);
        // The loss of a minimised metric is the smooth value itself.
        Assert.Equal(MicroRecall.Smooth(score, label).item<double>(), MicroRecall.Loss(score, label).item<double>(), 12);
    }

    [Fact]
    public void Attribute_metric_is_generated_into_its_class()
    {
        // Negative mean = (0 + 2) / 2 = 1; positives 3 and 0.5: one of two above it.
        var value = AboveNegativeMean.Exact(new double[] { 3, 0, 0.5, 2 }, new[] { true, false, true, false });
        Assert.Equal(0.5, value, 12);
        Assert.Contains("negative_mean", AboveNegativeMean.Info.Source);
    }

    [Fact]
    public void Catalogue_is_available_from_the_runtime()
    {
        // tp = 2, fp = 1, fn = 1: F1 = 4 / 6.
        Assert.Equal(2.0 / 3, F1.Exact(new float[] { 1, 1, -1, 1 }, new[] { true, true, true, false }), 12);
        Assert.Equal("F1", F1.Info.Name);
    }
}
