using MetricLoss.Generator.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Chunked, checkpointed and demand-driven programs release everything they make: repeated loss + backward
/// calls leave the live tensor count flat, and outputs keep the inputs' dtype.
/// </summary>
[Collection(nameof(ChunkedProgramResourceTests))]
public class ChunkedProgramResourceTests
{
    [Theory]
    [InlineData("RecallAtK", "q=8,i=8,m=5")]
    [InlineData("AveragePrecision", "n=12")]
    [InlineData("RocAuc", "n=12")]
    [InlineData("MeanAveragePrecision", "q=8,i=8")]
    public void Repeated_chunked_calls_do_not_leak_tensors(string name, string sizeText)
    {
        var text = name == "MeanAveragePrecision" ? TestFiles.CatalogMetric("Ranking.metric", name) : TestFiles.NormativeMetric(name);
        var metric = CompiledMetric.Compile(text.Replace("namespace MetricLoss.Catalog;", "namespace Leak.Tests;"), name);
        var sizes = sizeText.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1]));
        var (inputs, _) = metric.RandomInputs(new Random(3), sizes, float32);
        var options = metric.Options(maxPairwiseElements: 50);
        var live = new List<long>();
        for (var iteration = 0; iteration < 6; iteration++)
        {
            using var scope = NewDisposeScope();
            var score = inputs[0].detach().clone().requires_grad_(true);
            var arguments = inputs.ToList();
            arguments[0] = score;
            var smooth = metric.Smooth(arguments, options);
            Assert.Equal(ScalarType.Float32, smooth.dtype);
            smooth.backward();
            Assert.False(double.IsNaN(score.grad!.sum().item<float>()));
            metric.Exact(inputs, options);
            scope.DisposeEverything();
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        Assert.True(live.Skip(2).Distinct().Count() == 1, "live tensors per iteration: " + string.Join(", ", live));
    }
}
