using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>Bad inputs of the ranking and multi-class metrics are ArgumentExceptions naming the metric and the input.</summary>
public sealed class BadInputTests
{
    private static void AssertNames(ArgumentException error, string metric, params string[] inputs)
    {
        Assert.Contains(metric, error.Message);
        foreach (var input in inputs) Assert.Contains(input, error.Message);
    }

    [Fact]
    public void A_shape_mismatch_between_sim_and_pos_names_the_metric_and_the_inputs()
    {
        using var scope = torch.NewDisposeScope();
        var sim = randn(3, 4, dtype: float64);
        var pos = zeros(3, 5, dtype: ScalarType.Bool);
        var valid = ones(3, 4, dtype: ScalarType.Bool);
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => RecallAtK.Exact(sim, pos, valid)), "RecallAtK", "sim", "pos");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => RecallAtK.Smooth(sim, pos, valid)), "RecallAtK", "sim", "pos");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => RetrievalRecallAtK.Exact(sim, pos, valid)), "RetrievalRecallAtK", "sim", "pos");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => RetrievalRecallAtK.Loss(sim, pos, valid)), "RetrievalRecallAtK", "sim", "pos");
        // A wrong rank is refused too.
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => RecallAtK.Exact(sim, zeros(12, dtype: ScalarType.Bool), valid)), "RecallAtK", "pos");
    }

    [Fact]
    public void Shape_mismatches_of_the_other_metrics_name_the_metric_and_the_inputs()
    {
        using var scope = torch.NewDisposeScope();
        var score = randn(3, 4, dtype: float64);
        var label = zeros(4, 3, dtype: ScalarType.Bool);
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => MeanAveragePrecision.Exact(score, label)), "MeanAveragePrecision", "score", "label");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => PrecisionAtK.Smooth(score, label)), "PrecisionAtK", "score", "label");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => MeanReciprocalRank.Exact(score, label)), "MeanReciprocalRank", "score", "label");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => NdcgAtK.Exact(score, zeros(3, 5, dtype: float64))), "NdcgAtK", "score", "gain");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => MacroF1MultiLabel.Exact(score, label)), "MacroF1MultiLabel", "score", "label");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => MicroF1MultiClass.Smooth(score, label)), "MicroF1MultiClass", "logit", "label");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => AveragePrecision.Exact(randn(5, dtype: float64), zeros(6, dtype: ScalarType.Bool))), "AveragePrecision", "score", "label");
    }

    [Theory]
    [InlineData(3L)]
    [InlineData(-1L)]
    [InlineData(100L)]
    public void An_index_out_of_range_in_TopKAccuracy_target_names_the_metric_and_the_input(long bad)
    {
        using var scope = torch.NewDisposeScope();
        var logit = randn(4, 3, dtype: float64);
        var target = tensor(new long[] { 0, 2, bad, 1 });
        // The exact evaluator checks index values; the surrogate, by the runtime's design (InputValues), does not
        // read values back from the device, so only its shapes are checked.
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => TopKAccuracy.Exact(logit, target)), "TopKAccuracy", "target");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => TopKAccuracy.Exact(logit, target, new TopKAccuracy.Options { K = 2 })), "TopKAccuracy", "target");
    }

    [Fact]
    public void A_label_that_is_not_zero_or_one_names_the_metric_and_the_input_in_the_exact_evaluator()
    {
        using var scope = torch.NewDisposeScope();
        var sim = randn(2, 3, dtype: float64);
        var pos = tensor(new[] { 0.0, 2.0, 0.0, 1.0, 0.0, 0.0 }).reshape(2, 3);
        var valid = ones(2, 3, dtype: ScalarType.Bool);
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => RecallAtK.Exact(sim, pos, valid)), "RecallAtK", "pos");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => MacroF1MultiClass.Exact(sim, pos)), "MacroF1MultiClass", "label");
    }

    [Fact]
    public void A_non_positive_temperature_is_refused()
    {
        using var scope = torch.NewDisposeScope();
        var sim = randn(2, 3, dtype: float64);
        var mask = ones(2, 3, dtype: ScalarType.Bool);
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => RecallAtK.Smooth(sim, mask, mask, new RecallAtK.Options { TauRank = 0 })), "RecallAtK", "TauRank");
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => RetrievalRecallAtK.Smooth(sim, mask, mask, new RetrievalRecallAtK.Options { TauK = -1 })), "RetrievalRecallAtK", "TauK");
    }
}
