using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Plan;

/// <summary>What a generated evaluator keeps between batches (runtime MetricLoss.Evaluation.EvaluatorStateKind).</summary>
internal enum EvaluatorStateKind
{
    /// <summary>Sums over the items of item-wise values (the confusion family): O(1) in the number of items.</summary>
    SufficientStatistics,

    /// <summary>Sums over the rows of per-row values that need a whole row (a query's ranks): O(1) in the number of rows.</summary>
    PerRow,

    /// <summary>Every batch (ranks over the whole set: ROC AUC, AP): O(N); binned counts on request.</summary>
    Ranks,

    /// <summary>Every batch: O(N).</summary>
    Batches,
}

/// <summary>
/// The evaluator of a metric, decided from its definition: the state kind, whether batches can be merged at all, and
/// what the emitter prints for it (the statistics' programs, the binned form).
/// </summary>
/// <param name="Kind">The state kind.</param>
/// <param name="Mergeable">False where the exact value of several batches is not that of their concatenation taken
/// apart (an index into the batch axis, an input across it at another position).</param>
/// <param name="Size">The state's size in numbers, as a formula in the axes (N for the batch axis).</param>
/// <param name="Statistics">For the statistics kinds: the statistics and the tail.</param>
/// <param name="OfBatch">For the statistics kinds: the program of one batch's statistics.</param>
/// <param name="FromStatistics">For the statistics kinds: the metric from the statistics.</param>
/// <param name="Bins">For the ranks kind: the form the runtime computes from binned counts.</param>
internal sealed record EvaluatorStateDecision(
    EvaluatorStateKind Kind,
    bool Mergeable,
    string Size,
    StatisticsAnalysis? Statistics,
    BoundMetric? OfBatch,
    BoundMetric? FromStatistics,
    BinnedRankForm? Bins);

/// <summary>Decides each metric's evaluator state (docs/training.md, "State kinds").</summary>
internal static class EvaluatorStatePass
{
    public static EvaluatorStateDecision Decide(BoundMetric metric)
    {
        var batchAxis = metric.Inputs.Count > 0 && metric.Inputs[0].Axes.Count > 0 ? metric.Inputs[0].Axes[0] : "";
        var mergeable = !metric.Inputs.Any(i => i.IndexAxis == batchAxis || i.Axes.Skip(1).Contains(batchAxis));
        var analysis = SufficientStatistics.Find(metric);
        var fromStatistics = analysis is null ? null : StatisticPrograms.FromStatistics(metric, analysis);
        if (analysis is not null && fromStatistics is not null)
        {
            var size = analysis.Statistics.Count == 0
                ? "0"
                : string.Join(" + ", analysis.Statistics.GroupBy(s => Product(s.SizeAxes, batchAxis)).Select(g => Count(g.Count(), g.Key)));
            return new EvaluatorStateDecision(
                analysis.PerRow ? EvaluatorStateKind.PerRow : EvaluatorStateKind.SufficientStatistics,
                true,
                size,
                analysis,
                StatisticPrograms.OfBatch(metric, analysis),
                fromStatistics,
                null);
        }
        var bins = BinnedRankForms.Of(metric);
        var batches = string.Join(" + ", metric.Inputs.GroupBy(i => Product(i.Axes, batchAxis)).Select(g => Count(g.Count(), g.Key)));
        return new EvaluatorStateDecision(bins is null ? EvaluatorStateKind.Batches : EvaluatorStateKind.Ranks, mergeable, batches, null, null, null, bins);
    }

    /// <summary>The product of axes, the batch axis as N: "N·c", or "1".</summary>
    private static string Product(IReadOnlyList<string> axes, string batchAxis) =>
        axes.Count == 0 ? "1" : string.Join("·", axes.Select(a => a == batchAxis ? "N" : a));

    private static string Count(int count, string each) =>
        each == "1" ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : count == 1 ? each : $"{count}·{each}";
}
