using System.Collections.Generic;

namespace MetricLoss.Evaluation;

/// <summary>An evaluator's state: the metric, the positions held along the batch axis, and its arrays.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Count">Positions along the batch axis.</param>
/// <param name="Inputs">The arrays: per input (batches, ranks), per statistic (statistics, per row), or the bins' counts
/// and range (bins), in the order the evaluator writes them.</param>
public sealed record EvaluatorState(string Metric, long Count, IReadOnlyList<EvaluatorInput> Inputs)
{
    /// <summary>The kind of state the arrays are (an evaluator reads only its own kind).</summary>
    public EvaluatorStateKind Kind { get; init; } = EvaluatorStateKind.Batches;
}

/// <summary>One array of an <see cref="EvaluatorState"/>.</summary>
/// <param name="Name">The input's or the statistic's name.</param>
/// <param name="TrailingShape">An input's shape without the batch axis (its whole shape when it is not along that
/// axis); a statistic's shape.</param>
/// <param name="Data">The values in row-major order, as float64 (bools 0/1, indices as numbers).</param>
public sealed record EvaluatorInput(string Name, IReadOnlyList<long> TrailingShape, double[] Data);
