using System;
using BenchmarkDotNet.Attributes;
using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks;

/// <summary>
/// One surrogate comparison: loss + backward of the generated catalogue metric against the hand-written
/// baseline, on the same seeded float32 inputs. Each invocation opens one dispose scope (the loss tensor is
/// freed at its end) and drops the accumulated gradient afterwards (PyTorch's zero_grad(set_to_none)), so
/// every call allocates and frees the same native memory.
/// </summary>
[MemoryDiagnoser]
public abstract class SurrogateBenchmark
{
    private Inputs _inputs = null!;

    [Params(1_000, 100_000, 1_000_000)]
    public int N { get; set; }

    protected abstract bool Probabilities { get; }

    protected Tensor Score => _inputs.Score;
    protected Tensor Target => _inputs.Target;

    [GlobalSetup]
    public void Setup() => _inputs = new Inputs(N, Probabilities, requiresGrad: true);

    [GlobalCleanup]
    public void Cleanup() => _inputs.Dispose();

    protected void Step(Func<Tensor, Tensor, Tensor> loss)
    {
        using (var scope = NewDisposeScope())
        {
            var value = loss(Score, Target);
            value.backward();
        }
        Score.grad = null;
    }
}

public class F1Surrogate : SurrogateBenchmark
{
    protected override bool Probabilities => false;

    [Benchmark(Baseline = true, Description = "hand-written soft F1")]
    public void HandWritten() => Step(static (s, y) => MetricLoss.Benchmarks.HandWritten.SoftF1Loss(s, y));

    [Benchmark(Description = "generated F1.Loss")]
    public void Generated() => Step(static (s, y) => F1.Loss(s, y));
}

public class F1AnyLossSurrogate : SurrogateBenchmark
{
    protected override bool Probabilities => true;

    [Benchmark(Baseline = true, Description = "hand-written AnyLoss F1")]
    public void HandWritten() => Step(static (s, y) => MetricLoss.Benchmarks.HandWritten.AnyLossF1Loss(s, y));

    [Benchmark(Description = "generated F1AnyLoss.Loss")]
    public void Generated() => Step(static (s, y) => F1AnyLoss.Loss(s, y));
}

public class MccSurrogate : SurrogateBenchmark
{
    protected override bool Probabilities => false;

    [Benchmark(Baseline = true, Description = "hand-written soft MCC")]
    public void HandWritten() => Step(static (s, y) => MetricLoss.Benchmarks.HandWritten.SoftMccLoss(s, y));

    [Benchmark(Description = "generated Mcc.Loss")]
    public void Generated() => Step(static (s, y) => Mcc.Loss(s, y));
}
