using System;
using MetricLoss.Catalog;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks;

/// <summary>One side of a surrogate comparison: a loss on (score, float 0/1 target).</summary>
public sealed record SurrogateCase(string Comparison, string Side, bool Probabilities, Func<Tensor, Tensor, Tensor> Loss)
{
    public bool IsGenerated => Side.StartsWith("generated", StringComparison.Ordinal);
}

/// <summary>The surrogate comparisons of the <c>--peak</c> and <c>--paired</c> modes (the BenchmarkDotNet classes call the same functions).</summary>
public static class Comparisons
{
    public static readonly SurrogateCase[] Surrogates =
    {
        new("F1", "hand-written soft F1", false, static (s, y) => HandWritten.SoftF1Loss(s, y)),
        new("F1", "generated F1.Loss", false, static (s, y) => F1.Loss(s, y)),
        new("F1AnyLoss", "hand-written AnyLoss F1", true, static (s, y) => HandWritten.AnyLossF1Loss(s, y)),
        new("F1AnyLoss", "generated F1AnyLoss.Loss", true, static (s, y) => F1AnyLoss.Loss(s, y)),
        new("Mcc", "hand-written soft MCC", false, static (s, y) => HandWritten.SoftMccLoss(s, y)),
        new("Mcc", "generated Mcc.Loss", false, static (s, y) => Mcc.Loss(s, y)),
    };
}
