using System.Collections.Generic;

namespace MetricLoss.Evaluation;

/// <summary>What a metric's <c>Evaluator</c> keeps between batches, as the generator derived it from the definition.</summary>
public enum EvaluatorStateKind
{
    /// <summary>
    /// Sums over the items of item-wise values (tp, fp, fn of the confusion family; per class where the sum keeps a
    /// class axis): O(1) in the number of items. Compute evaluates the rest of the exact program from the sums.
    /// </summary>
    SufficientStatistics,

    /// <summary>
    /// Sums over the rows of per-row values that need a whole row (a query's average precision, a row's rank or argmax),
    /// with the count of rows where the metric averages: O(1) in the number of rows. Update computes the batch's rows.
    /// </summary>
    PerRow,

    /// <summary>
    /// Ranks over the whole data set (ROC AUC, AP): every score and label, O(N), exact; or, on request
    /// (<see cref="EvaluatorBins"/>), binned counts of positives and negatives with a stated error bound.
    /// </summary>
    Ranks,

    /// <summary>Every batch, O(N): Compute is Exact on their concatenation.</summary>
    Batches,

    /// <summary>The counts of positives and negatives per score bin (<see cref="EvaluatorBins"/>): O(bins).</summary>
    Bins,
}

/// <summary>A metric's evaluator state, from its definition: <c>Info.EvaluatorState</c> of every generated metric.</summary>
/// <param name="Kind">What the evaluator keeps.</param>
/// <param name="Mergeable">False where the exact value of a data set cannot be assembled from its batches (an input
/// indexes positions of the batch axis, or lies across it at another position): such an evaluator takes one batch and
/// refuses <see cref="MetricEvaluator.Merge"/>.</param>
/// <param name="Size">The state's size in float64 numbers, as a formula in the metric's axes, N standing for the
/// batch axis (<c>3</c> for F1, <c>3·c</c> for macro F1 over classes, <c>2·N</c> for ROC AUC).</param>
/// <param name="Statistics">For <see cref="EvaluatorStateKind.SufficientStatistics"/> and
/// <see cref="EvaluatorStateKind.PerRow"/>: what each statistic is (the statement it is, or where its sum sits).</param>
public sealed record EvaluatorStateInfo(EvaluatorStateKind Kind, bool Mergeable, string Size, IReadOnlyList<string> Statistics)
{
    /// <summary>True where the evaluator can keep binned counts instead of the scores (<see cref="EvaluatorBins"/>): ROC AUC and AP, under any names.</summary>
    public bool SupportsBins { get; init; }
}
