using System;

namespace MetricLoss.Evaluation;

/// <summary>
/// The bounded mode of a rank metric's evaluator (ROC AUC, AP): scores are counted in <see cref="Count"/> equal bins
/// over [<see cref="Low"/>, <see cref="High"/>], a score below Low in the first bin and one above High (±∞ included) in
/// the last, instead of being kept. The value is then the metric of the binned scores (scores of one bin tied), within
/// <see cref="MetricEvaluator.ErrorBound"/> of the exact value, a bound computed from the counts (docs/training.md).
/// </summary>
/// <remarks>A fixed range rather than a transform of the scores: the bins of two shards line up, so their counts add,
/// and the range of the scores is the user's to know (probabilities: [0, 1]; logits: a range that holds them, or the
/// probabilities). A poor range shows in the bound: scores piled in few bins are pairs in one bin.</remarks>
/// <param name="Count">The number of bins, at least 1.</param>
/// <param name="Low">The lower end of the range.</param>
/// <param name="High">The upper end of the range, above <paramref name="Low"/>.</param>
public sealed record EvaluatorBins(int Count, double Low = 0, double High = 1)
{
    /// <summary>Throws where the bins are not a count of at least one over a finite, non-empty range.</summary>
    /// <exception cref="ArgumentException">The count or the range is invalid.</exception>
    public void Validate()
    {
        if (Count < 1) throw new ArgumentException($"Bins: the count must be at least 1; it is {Count}.", nameof(Count));
        if (!(Low < High) || double.IsInfinity(Low) || double.IsInfinity(High))
        {
            throw new ArgumentException($"Bins: the range [{Low}, {High}] must be finite with Low < High.", nameof(Low));
        }
    }

    /// <summary>The bin of a score: ⌊(score − Low)/(High − Low)·Count⌋ clamped to [0, Count − 1] (monotone in the score).</summary>
    /// <param name="score">A score (not NaN).</param>
    /// <returns>The bin's index.</returns>
    public int BinOf(double score)
    {
        var position = (score - Low) / (High - Low) * Count;
        if (!(position >= 0)) return 0;
        return position >= Count ? Count - 1 : (int)position;
    }
}
