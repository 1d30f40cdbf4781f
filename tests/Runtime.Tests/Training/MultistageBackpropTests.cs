using MetricLoss.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Training;

/// <summary>
/// Multistage backpropagation (Patel et al., CVPR 2022; docs/surrogates.md §3.4) gives the parameter
/// gradients of one full-batch backward of the same loss, for losses that couple every sample.
/// </summary>
public sealed class MultistageBackpropTests
{
    private const long Rows = 24;

    public static TheoryData<string, long> LossesAndChunks()
    {
        var data = new TheoryData<string, long>();
        foreach (var loss in new[] { "pairwise", "recall@k" })
        {
            foreach (var chunk in new long[] { 1, 5, 7, 8, 24, 100 }) data.Add(loss, chunk);
        }
        return data;
    }

    private static Func<Tensor, Tensor> Loss(string name) =>
        name == "pairwise" ? TrainingFixtures.PairwiseLoss(Rows) : TrainingFixtures.RecallAtKLoss(Rows);

    /// <summary>Chunk sizes that divide N (8, 24), that do not (5, 7: a short last chunk), 1, and larger than N.</summary>
    [Theory]
    [MemberData(nameof(LossesAndChunks))]
    public void Gradients_equal_those_of_one_full_batch_backward(string lossName, long chunkSize)
    {
        using var scope = NewDisposeScope();
        using var model = TrainingFixtures.Mlp();
        var inputs = TrainingFixtures.Inputs(Rows);
        var loss = Loss(lossName);

        double expectedValue;
        using (var full = model.call(inputs))
        using (var value = loss(full))
        {
            value.backward();
            expectedValue = value.item<double>();
        }
        var expected = TrainingFixtures.Gradients(model);

        TrainingFixtures.ZeroGradients(model);
        double actualValue = MultistageBackprop.Step(model, inputs, loss, chunkSize);
        var actual = TrainingFixtures.Gradients(model);

        Assert.Equal(expectedValue, actualValue, 12);
        TrainingFixtures.AssertClose(expected, actual, 1e-10, $"{lossName}, chunk {chunkSize}");
    }

    [Fact]
    public void Float32_model_matches_the_full_batch_gradient_to_float32_precision()
    {
        using var scope = NewDisposeScope();
        using var model = TrainingFixtures.Mlp(ScalarType.Float32);
        var inputs = TrainingFixtures.Inputs(Rows, ScalarType.Float32);
        var loss = TrainingFixtures.PairwiseLoss(Rows);
        using (var full = model.call(inputs))
        using (var value = loss(full)) value.backward();
        var expected = TrainingFixtures.Gradients(model);
        TrainingFixtures.ZeroGradients(model);
        MultistageBackprop.Step(model, inputs, loss, 7);
        TrainingFixtures.AssertClose(expected, TrainingFixtures.Gradients(model), 1e-5, "float32, chunk 7");
    }

    [Fact]
    public void Gradients_accumulate_until_the_caller_zeroes_them()
    {
        using var scope = NewDisposeScope();
        using var model = TrainingFixtures.Mlp();
        var inputs = TrainingFixtures.Inputs(Rows);
        var loss = TrainingFixtures.PairwiseLoss(Rows);
        MultistageBackprop.Step(model, inputs, loss, 10);
        var once = TrainingFixtures.Gradients(model);
        MultistageBackprop.Step(model, inputs, loss, 10);
        var twice = TrainingFixtures.Gradients(model);
        TrainingFixtures.AssertClose(once.Select(g => g.Select(v => 2 * v).ToArray()).ToArray(), twice, 1e-12, "two steps");
    }

    /// <summary>
    /// BatchNorm in training mode normalises per chunk in both passes: the gradient is that of forwarding the
    /// chunks with the graph, concatenating and back-propagating the loss once (not of full-batch BatchNorm,
    /// except when one chunk holds the whole batch).
    /// </summary>
    [Theory]
    [InlineData(6L)]
    [InlineData(10L)]
    [InlineData(24L)]
    public void BatchNorm_uses_per_chunk_statistics_consistently(long chunkSize)
    {
        using var scope = NewDisposeScope();
        using var model = TrainingFixtures.MlpWithBatchNorm();
        model.train();
        var inputs = TrainingFixtures.Inputs(Rows);
        var loss = TrainingFixtures.PairwiseLoss(Rows);

        using (var chunked = NewDisposeScope())
        {
            var parts = new List<Tensor>();
            for (long start = 0; start < Rows; start += chunkSize)
                parts.Add(model.call(inputs.narrow(0, start, Math.Min(chunkSize, Rows - start))));
            loss(cat(parts, 0)).backward();
        }
        var expected = TrainingFixtures.Gradients(model);

        TrainingFixtures.ZeroGradients(model);
        MultistageBackprop.Step(model, inputs, loss, chunkSize);
        TrainingFixtures.AssertClose(expected, TrainingFixtures.Gradients(model), 1e-10, $"BatchNorm, chunk {chunkSize}");
    }

    [Fact]
    public void Dropout_in_training_mode_is_refused_and_allowed_in_eval_mode()
    {
        using var scope = NewDisposeScope();
        using var model = TrainingFixtures.MlpWithDropout();
        var inputs = TrainingFixtures.Inputs(Rows);
        var loss = TrainingFixtures.PairwiseLoss(Rows);

        model.train();
        var error = Assert.Throws<ArgumentException>(() => MultistageBackprop.Step(model, inputs, loss, 8));
        Assert.Contains("Dropout", error.Message);
        Assert.Contains("'drop'", error.Message);
        Assert.Contains(model.parameters(), p => p.grad is null); // refused before any forward

        model.eval();
        using (var full = model.call(inputs))
        using (var value = loss(full)) value.backward();
        var expected = TrainingFixtures.Gradients(model);
        TrainingFixtures.ZeroGradients(model);
        MultistageBackprop.Step(model, inputs, loss, 8);
        TrainingFixtures.AssertClose(expected, TrainingFixtures.Gradients(model), 1e-10, "dropout in eval mode");
    }

    [Fact]
    public void Dropout_with_p_zero_is_allowed()
    {
        using var scope = NewDisposeScope();
        using var model = TrainingFixtures.MlpWithDropout();
        model.train();
        foreach (var m in model.modules().OfType<Dropout>()) m.p = 0;
        var inputs = TrainingFixtures.Inputs(Rows);
        MultistageBackprop.Step(model, inputs, TrainingFixtures.PairwiseLoss(Rows), 8);
        Assert.All(model.parameters(), p => Assert.NotNull(p.grad));
    }

    [Fact]
    public void Bad_arguments_are_reported()
    {
        using var scope = NewDisposeScope();
        using var model = TrainingFixtures.Mlp();
        var inputs = TrainingFixtures.Inputs(Rows);
        var loss = TrainingFixtures.PairwiseLoss(Rows);

        Assert.Throws<ArgumentOutOfRangeException>(() => MultistageBackprop.Step(model, inputs, loss, 0));
        Assert.Throws<ArgumentException>(() => MultistageBackprop.Step(model, zeros(new long[] { 0, 8 }, ScalarType.Float64), loss, 4));
        Assert.Throws<ArgumentException>(() => MultistageBackprop.Step(model, inputs, e => e.sum(new long[] { 0 }), 4)); // not one element
        Assert.Throws<InvalidOperationException>(() => MultistageBackprop.Step(model, inputs, e => e.detach().sum(), 4));
        Assert.Throws<ArgumentNullException>(() => MultistageBackprop.Step(model, inputs, null!, 4));
    }

    [Fact]
    public void A_frozen_model_gets_no_gradient_and_no_error()
    {
        using var scope = NewDisposeScope();
        using var model = TrainingFixtures.Mlp();
        foreach (var p in model.parameters()) p.requires_grad = false;
        var inputs = TrainingFixtures.Inputs(Rows);
        double value = MultistageBackprop.Step(model, inputs, TrainingFixtures.PairwiseLoss(Rows), 8);
        Assert.False(double.IsNaN(value));
        Assert.All(model.parameters(), p => Assert.Null(p.grad));
    }
}
