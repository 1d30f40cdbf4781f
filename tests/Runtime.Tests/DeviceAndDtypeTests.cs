using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// Device and dtype contract (docs/torchsharp-rules.md rules 2, 7, 8, 23): the output keeps the scores' device and dtype,
/// float16/bfloat16 are computed in float32, Smooth is a differentiable 0-dim tensor, and the calls neither
/// modify nor dispose their inputs. Runs on every available device (CPU, plus CUDA when present).
/// </summary>
public sealed class DeviceAndDtypeTests
{
    private static readonly ScalarType[] Dtypes = { ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16 };

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Smooth_and_Loss_keep_device_and_dtype_and_are_0_dim(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var batch = Batch(metric, 11);
        foreach (var device in Tensors.AvailableDevices())
        foreach (var dtype in Dtypes)
        {
            var context = $"{name} on {device.type}, {dtype}";
            using var scope = torch.NewDisposeScope();
            var score = Tensors.Scores(batch.Score, dtype, device, requiresGrad: true);
            var label = Tensors.Labels(batch.Label, LabelKind.Bool, device);

            foreach (var (what, output) in new[] { ("Smooth", metric.Smooth(score, label)), ("Loss", metric.Loss(score, label)), ("Criterion", metric.Criterion().call(score, label)) })
            {
                Assert.True(output.device_type == device.type, $"{context}: {what} is on {output.device_type}");
                Assert.True(output.dtype == dtype, $"{context}: {what} has dtype {output.dtype}");
                Assert.True(output.dim() == 0, $"{context}: {what} has shape [{string.Join(", ", output.shape)}]");
                Assert.True(output.requires_grad, $"{context}: {what} does not require grad");
            }
        }
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Gradient_reaches_the_scores_in_their_dtype(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var batch = Batch(metric, 9);
        foreach (var device in Tensors.AvailableDevices())
        foreach (var dtype in Dtypes)
        {
            using var scope = torch.NewDisposeScope();
            var score = Tensors.Scores(batch.Score, dtype, device, requiresGrad: true);

            metric.Loss(score, Tensors.Labels(batch.Label, LabelKind.Float32, device)).backward();

            Assert.NotNull(score.grad);
            Assert.Equal(dtype, score.grad!.dtype);
            Assert.Equal(device.type, score.grad.device_type);
            Assert.Contains(Tensors.Values(score.grad), g => g != 0);
        }
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Half_precision_is_computed_in_float32_and_cast_back(string name)
    {
        var metric = CatalogMetrics.Get(name);
        // A large batch, so that sums done in float16 would lose digits that float32 keeps.
        var batch = Batch(metric, 3000);
        foreach (var device in Tensors.AvailableDevices())
        foreach (var dtype in new[] { ScalarType.Float16, ScalarType.BFloat16 })
        {
            using var scope = torch.NewDisposeScope();
            var low = Tensors.Scores(batch.Score, dtype, device);
            var label = Tensors.Labels(batch.Label, LabelKind.Bool, device);

            var actual = metric.Smooth(low, label);
            var inFloat32 = metric.Smooth(low.to_type(ScalarType.Float32), label).to_type(dtype);

            Assert.Equal(Tensors.Value(inFloat32), Tensors.Value(actual));
            // Exact reads the half-precision values as they are (float64 inside).
            Assert.Equal(metric.Exact(low.to_type(ScalarType.Float64), label), metric.Exact(low, label), 15);
        }
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Calls_neither_modify_nor_dispose_their_inputs(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var batch = Batch(metric, 13);
        foreach (var device in Tensors.AvailableDevices())
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        foreach (var kind in Tensors.LabelKinds)
        foreach (var requiresGrad in new[] { false, true })
        {
            var context = $"{name} on {device.type}, {dtype}, {kind} labels, requires_grad {requiresGrad}";
            using var scope = torch.NewDisposeScope();
            var score = Tensors.Scores(batch.Score, dtype, device, requiresGrad);
            var label = Tensors.Labels(batch.Label, kind, device);
            var scoreBefore = Tensors.Values(score);
            var labelBefore = Tensors.Values(label);

            using (var criterion = metric.Criterion())
            using (torch.NewDisposeScope())
            {
                metric.Exact(score, label);
                metric.Smooth(score, label);
                metric.Loss(score, label);
                criterion.call(score, label);
            }

            Assert.False(score.IsInvalid, $"{context}: score was disposed");
            Assert.False(label.IsInvalid, $"{context}: label was disposed");
            Assert.Equal(scoreBefore, Tensors.Values(score));
            Assert.Equal(labelBefore, Tensors.Values(label));
            Assert.Equal(dtype, score.dtype);
            Assert.Equal(requiresGrad, score.requires_grad);
            Assert.True(score.grad is null, $"{context}: a call left a gradient on the scores");
        }
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Smooth_requires_grad_only_when_the_scores_do(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var batch = Batch(metric, 5);
        using var scope = torch.NewDisposeScope();
        var label = Tensors.Labels(batch.Label);

        Assert.False(metric.Smooth(Tensors.Scores(batch.Score, ScalarType.Float32), label).requires_grad);
        using (torch.no_grad())
        {
            Assert.False(metric.Smooth(Tensors.Scores(batch.Score, ScalarType.Float32, requiresGrad: true), label).requires_grad);
        }
        Assert.True(metric.Smooth(Tensors.Scores(batch.Score, ScalarType.Float32, requiresGrad: true), label).requires_grad);
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Exact_accepts_scores_that_require_grad_and_builds_no_graph(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var batch = Batch(metric, 7);
        using var scope = torch.NewDisposeScope();
        var score = Tensors.Scores(batch.Score, ScalarType.Float32, requiresGrad: true);
        var label = Tensors.Labels(batch.Label);

        var withGrad = metric.Exact(score, label);

        Assert.Equal(metric.Exact(batch.Score, batch.Label), withGrad, 15);
        Assert.True(score.grad is null);
    }

    [Fact]
    public void Float32_and_float64_scores_give_the_same_surrogate_to_float32_precision()
    {
        var random = new Random(3);
        foreach (var metric in CatalogMetrics.All)
        {
            var batch = Batch(metric, 25, random).RoundedToFloat();
            using var scope = torch.NewDisposeScope();
            var label = Tensors.Labels(batch.Label);

            var single = Tensors.Value(metric.Smooth(Tensors.Scores(batch.Score, ScalarType.Float32), label));
            var twice = Tensors.Value(metric.Smooth(Tensors.Scores(batch.Score, ScalarType.Float64), label));

            Assert.True(Math.Abs(single - twice) < 1e-5, $"{metric.Name}: float32 {single:R}, float64 {twice:R}");
        }
    }

    private static RandomBatch Batch(CatalogMetric metric, int count, Random? random = null)
    {
        random ??= new Random(count * 31 + metric.Name.Length);
        while (true)
        {
            var batch = metric.IsAnyLoss
                ? RandomBatch.AwayFrom(random, count, 0.5, 0.001, 0.06)
                : RandomBatch.Draw(random, count, 0, 1.5);
            if (batch.HasBothClasses) return batch;
        }
    }
}
