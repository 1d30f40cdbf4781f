using MetricLoss.Interpolation;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Runtime.Tests.Interpolation.InterpolationTensors;

namespace MetricLoss.Runtime.Tests.Interpolation;

/// <summary>One dispose scope per call (docs/torchsharp-rules.md rules 1 and 24): only the result outlives a call.</summary>
[Collection(ResourceCountingCollection.Name)]
public sealed class UniLossLeakTests
{
    [Fact]
    public void Each_call_leaves_exactly_its_result_alive()
    {
        using var outer = torch.NewDisposeScope();
        var logit = torch.tensor(new double[,] { { 1, 2, 0 }, { 0.5, -1, 0.2 }, { 0, 0, 3 } }, ScalarType.Float32);
        var target = torch.tensor(new long[] { 1, 0, 2 });
        var (comparisons, valid) = MulticlassAccuracy.Comparisons(logit, target);
        var delta = comparisons.detach().requires_grad_(true);
        var tail = MulticlassAccuracy.Tail(3, 3, valid);
        using var generator = new torch.Generator(1, CPU);
        UniLossSurrogate.Evaluate(delta, valid, 1.0, 4, 4, 4, generator, tail).Dispose(); // warm-up

        var live = new List<long>();
        for (var i = 0; i < 4; i++)
        {
            DisposeScopeManager.Statistics.Reset();
            using (var value = UniLossSurrogate.Evaluate(delta, valid, 1.0, 4, 4, 4, generator, tail))
            {
                Assert.Equal(1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
                value.backward();
            }
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        Assert.True(live.All(count => count <= 0), $"live tensors after each call: {string.Join(", ", live)}");
        Assert.True(DisposeScopeManager.Statistics.CreatedInScopeCount > 0);
    }
}
