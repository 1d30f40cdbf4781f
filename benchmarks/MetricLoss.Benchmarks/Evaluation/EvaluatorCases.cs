using System;
using MetricLoss.Catalog;
using MetricLoss.Evaluation;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Evaluation;

/// <summary>
/// One metric as the evaluator benchmark drives it: how to draw a batch of <c>rows</c> positions of the batch axis
/// (items, or queries of <see cref="ItemsPerRow"/> items), and its three ways to a data set's value.
/// </summary>
internal sealed record EvaluatorCase(
    string Name,
    int ItemsPerRow,
    Func<Generator, long, Tensor[]> Draw,
    Func<MetricEvaluator> NewEvaluator,
    Action<MetricEvaluator, Tensor[]> Update,
    Func<Tensor[], double> Exact)
{
    /// <summary>F1 (sufficient statistics), ROC AUC exact and with 1,024 bins (ranks), mAP over queries of 100 items (per row).</summary>
    public static EvaluatorCase[] All { get; } =
    {
        new("F1", 1, Items, () => new F1.Evaluator(), (e, b) => ((F1.Evaluator)e).Update(b[0], b[1]), b => F1.Exact(b[0], b[1])),
        new("RocAuc", 1, Items, () => new RocAuc.Evaluator(), (e, b) => ((RocAuc.Evaluator)e).Update(b[0], b[1]), b => RocAuc.Exact(b[0], b[1])),
        new("RocAuc, 1,024 bins", 1, Probabilities, () => new RocAuc.Evaluator(new EvaluatorBins(1024)), (e, b) => ((RocAuc.Evaluator)e).Update(b[0], b[1]), b => RocAuc.Exact(b[0], b[1])),
        new("MeanAveragePrecision", 100, Queries, () => new MeanAveragePrecision.Evaluator(), (e, b) => ((MeanAveragePrecision.Evaluator)e).Update(b[0], b[1]), b => MeanAveragePrecision.Exact(b[0], b[1])),
    };

    /// <summary>Logits (float32, standard normal) and labels with one positive in three.</summary>
    private static Tensor[] Items(Generator generator, long rows) =>
        new[] { randn(new[] { rows }, generator: generator), rand(new[] { rows }, generator: generator) < 1.0 / 3 };

    /// <summary>Probabilities in [0, 1] (the bins' range) and labels.</summary>
    private static Tensor[] Probabilities(Generator generator, long rows) =>
        new[] { rand(new[] { rows }, generator: generator), rand(new[] { rows }, generator: generator) < 1.0 / 3 };

    /// <summary>Scores of 100 items per query, 5 % positives.</summary>
    private static Tensor[] Queries(Generator generator, long rows) =>
        new[] { randn(new[] { rows, 100L }, generator: generator), rand(new[] { rows, 100L }, generator: generator) < 0.05 };
}
