using BenchmarkDotNet.Attributes;
using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks;

/// <summary>The exact evaluator: generated F1.Exact against hand-written TorchSharp and a plain C# loop.</summary>
[MemoryDiagnoser]
public class F1Exact
{
    private Inputs _inputs = null!;
    private float[] _score = null!;
    private bool[] _label = null!;

    [Params(1_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _inputs = new Inputs(N, probabilities: false, requiresGrad: false);
        _score = _inputs.Score.data<float>().ToArray();
        _label = _inputs.Label.data<bool>().ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _inputs.Dispose();

    [Benchmark(Baseline = true, Description = "hand-written TorchSharp")]
    public double HandWrittenTorch() => HandWritten.ExactF1(_inputs.Score, _inputs.Label);

    [Benchmark(Description = "generated F1.Exact (tensors)")]
    public double Generated() => F1.Exact(_inputs.Score, _inputs.Label);

    [Benchmark(Description = "plain C# loop (arrays)")]
    public double PlainLoop() => HandWritten.ExactF1(_score, _label);
}
