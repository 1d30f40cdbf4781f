using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Tool.Evaluation;

/// <summary>
/// Sort-based, O(n log n) exact values of the catalogue's RocAuc and AveragePrecision. The interpreter
/// evaluates their pairwise sums literally, over every (i, j): minutes at n = 10 000 and days at 100 000,
/// the sizes prediction files have. Used only for those very definitions (bound models compared, namespace
/// aside) and finite scores (∞ − ∞ is NaN in the literal step, a tie here); Tool.Tests checks both against
/// the interpreter on tied data, so the interpreter stays the reference.
/// </summary>
internal static class SortedEvaluators
{
    public static bool TryEvaluate(BoundMetric metric, IReadOnlyDictionary<string, DenseArray> inputs, out double value)
    {
        value = 0;
        var kind = Is(metric, "RocAuc") ? 1 : Is(metric, "AveragePrecision") ? 2 : 0;
        if (kind == 0) return false;
        var score = inputs["score"].Data;
        var label = inputs["label"].Data;
        if (score.Any(s => !double.IsFinite(s))) return false;
        value = kind == 1 ? RocAuc(score, label) : AveragePrecision(score, label);
        return true;
    }

    private static bool Is(BoundMetric metric, string name) =>
        Catalog.Find(name) is { } catalogue && metric with { Namespace = null } == catalogue with { Namespace = null };

    /// <summary>
    /// wins / pairs with wins = Σ over (positive, negative) pairs of step(s⁺ − s⁻) (a tie counts ½), pairs =
    /// P·N; 0 when pairs = 0. Both are whole or half numbers far below 2⁵³, so the value is the interpreter's to the bit.
    /// </summary>
    public static double RocAuc(double[] score, double[] label)
    {
        var order = Ascending(score);
        double wins = 0, negativesBelow = 0, positives = 0, negatives = 0;
        foreach (var (start, end) in TieGroups(order, score))
        {
            double groupPositives = 0, groupNegatives = 0;
            for (var k = start; k < end; k++)
            {
                if (label[order[k]] == 1) groupPositives++;
                else groupNegatives++;
            }
            wins += groupPositives * negativesBelow + 0.5 * groupPositives * groupNegatives;
            negativesBelow += groupNegatives;
            positives += groupPositives;
            negatives += groupNegatives;
        }
        var pairs = positives * negatives;
        return pairs == 0 ? 0 : wins / pairs;
    }

    /// <summary>
    /// Σ over positives i of pos_above[i] / above[i], divided by the number of positives (0 without any), where
    /// above[i] counts the items scored ≥ s_i (i included) and pos_above[i] the positives among them: every
    /// positive of a tie group shares the group's last position (PESSIMISTIC ties, scikit-learn's AP).
    /// </summary>
    public static double AveragePrecision(double[] score, double[] label)
    {
        var order = Ascending(score);
        Array.Reverse(order);
        double sum = 0, above = 0, positivesAbove = 0;
        foreach (var (start, end) in TieGroups(order, score))
        {
            double groupPositives = 0;
            for (var k = start; k < end; k++) groupPositives += label[order[k]];
            above += end - start;
            positivesAbove += groupPositives;
            sum += groupPositives * (positivesAbove / above);
        }
        return positivesAbove == 0 ? 0 : sum / positivesAbove;
    }

    private static int[] Ascending(double[] score)
    {
        var order = Enumerable.Range(0, score.Length).ToArray();
        Array.Sort(score.ToArray(), order);
        return order;
    }

    /// <summary>The [start, end) ranges of <paramref name="order"/> whose scores are equal.</summary>
    private static IEnumerable<(int Start, int End)> TieGroups(int[] order, double[] score)
    {
        for (var start = 0; start < order.Length;)
        {
            var end = start + 1;
            while (end < order.Length && score[order[end]] == score[order[start]]) end++;
            yield return (start, end);
            start = end;
        }
    }
}
