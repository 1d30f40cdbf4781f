using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks;

/// <summary>Seeded inputs: float32 scores (logits or probabilities) and 0/1 labels with about 30 % positives.</summary>
public sealed class Inputs : IDisposable
{
    public const int Seed = 20240825;
    public const double PositiveRate = 0.3;

    /// <summary>float32 [n], requires grad: logits ~ N(0, 1), or probabilities ~ U(0, 1).</summary>
    public Tensor Score { get; }

    /// <summary>float32 [n], 0/1 (what a TorchSharp user passes as a BCE target).</summary>
    public Tensor Target { get; }

    /// <summary>bool [n], the same labels.</summary>
    public Tensor Label { get; }

    public Inputs(long n, bool probabilities, bool requiresGrad)
    {
        MetricLoss.Native.TorchNative.EnsureLoaded();
        using var generator = new Generator(Seed);
        using var scope = NewDisposeScope();
        var score = probabilities
            ? rand(new[] { n }, dtype: ScalarType.Float32, generator: generator)
            : randn(new[] { n }, dtype: ScalarType.Float32, generator: generator);
        using var rate = PositiveRate.ToScalar();
        var label = rand(new[] { n }, dtype: ScalarType.Float32, generator: generator).lt(rate);
        Score = score.detach().requires_grad_(requiresGrad).DetachFromDisposeScope();
        Label = label.DetachFromDisposeScope();
        Target = label.to_type(ScalarType.Float32).DetachFromDisposeScope();
    }

    public void Dispose()
    {
        Score.Dispose();
        Target.Dispose();
        Label.Dispose();
    }
}
