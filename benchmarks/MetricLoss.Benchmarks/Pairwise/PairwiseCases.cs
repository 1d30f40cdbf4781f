using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Catalog;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Pairwise;

/// <summary>One side of a pairwise comparison: a loss on (score, bool label); a staged side back-propagates inside.</summary>
public sealed record PairwiseCase(string Metric, string Side, bool IsGenerated, bool Staged, long MaxN, Func<Tensor, Tensor, Tensor> Loss)
{
    /// <summary>One training-style step: loss, backward (unless staged), everything disposed, gradient dropped. Returns the loss.</summary>
    public double Step(Inputs inputs)
    {
        double value;
        using (NewDisposeScope())
        {
            var loss = Loss(inputs.Score, inputs.Label);
            if (!Staged) loss.backward();
            value = loss.item<float>();
        }
        using (var grad = inputs.Score.grad) { }
        inputs.Score.grad = null;
        return value;
    }

    /// <summary>The loss and ∂L/∂score of one step, the gradient detached and owned by the caller.</summary>
    public (double Loss, Tensor Grad) StepWithGradient(Inputs inputs)
    {
        double value;
        using (NewDisposeScope())
        {
            var loss = Loss(inputs.Score, inputs.Label);
            if (!Staged) loss.backward();
            value = loss.item<float>();
        }
        var grad = inputs.Score.grad!.detach().clone();
        inputs.Score.grad = null;
        return (value, grad);
    }
}

/// <summary>The sides of <c>--pairwise</c>: smooth RocAuc and AveragePrecision, generated (default options) and hand-written.</summary>
public static class PairwiseCases
{
    public const double RocAucTau = 0.05, ApTau = 0.01;   // the catalogue's defaults

    public static readonly PairwiseCase[] All =
    {
        new("RocAuc", "generated RocAuc.Loss", true, false, long.MaxValue, static (s, y) => RocAuc.Loss(s, y)),
        new("RocAuc", "hand-written, staged chunks", false, true, long.MaxValue, static (s, y) => HandWrittenPairwise.RocAucLoss(s, y, RocAucTau, staged: true)),
        new("RocAuc", "hand-written, one graph", false, false, 20_000, static (s, y) => HandWrittenPairwise.RocAucLoss(s, y, RocAucTau, staged: false)),
        new("AveragePrecision", "generated AveragePrecision.Loss", true, false, long.MaxValue, static (s, y) => AveragePrecision.Loss(s, y)),
        new("AveragePrecision", "hand-written, staged chunks", false, true, long.MaxValue, static (s, y) => HandWrittenPairwise.AveragePrecisionLoss(s, y, ApTau, staged: true)),
        new("AveragePrecision", "hand-written, one graph", false, false, 20_000, static (s, y) => HandWrittenPairwise.AveragePrecisionLoss(s, y, ApTau, staged: false)),
    };

    public static PairwiseCase Get(string metric, string side) =>
        All.FirstOrDefault(c => c.Metric == metric && c.Side == side) ?? throw new ArgumentException($"no case {metric} / {side}");

    public static IEnumerable<PairwiseCase> For(string metric) => All.Where(c => c.Metric == metric);
}
