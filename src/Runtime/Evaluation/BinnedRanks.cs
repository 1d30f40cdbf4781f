using System;

namespace MetricLoss.Evaluation;

/// <summary>The rank metrics an evaluator computes from binned counts, recognised by the generator under any names.</summary>
public enum BinnedRankForm
{
    /// <summary>ROC AUC: positive–negative pairs in order, ties one half, over the pairs (0 without pairs).</summary>
    RocAuc,

    /// <summary>Average precision with pessimistic ties, scikit-learn's step-wise AP (0 without positives).</summary>
    AveragePrecision,
}

/// <summary>
/// ROC AUC and AP of binned scores (the scores of one bin tied), and a bound on how far they can be from the metric of
/// the scores themselves, from the counts alone. Binning is monotone, so two items of different bins keep their order;
/// only the order inside a bin is lost (docs/training.md, "Bins").
/// </summary>
public static class BinnedRanks
{
    /// <summary>The metric of the binned scores and its error bound.</summary>
    /// <param name="form">The metric.</param>
    /// <param name="positives">Positives per bin, lowest scores first.</param>
    /// <param name="negatives">Negatives per bin, as <paramref name="positives"/>.</param>
    /// <returns>The value, and a bound on |value − the metric of the unbinned scores|.</returns>
    public static (double Value, double Bound) Compute(BinnedRankForm form, double[] positives, double[] negatives)
    {
        if (positives is null) throw new ArgumentNullException(nameof(positives));
        if (negatives is null) throw new ArgumentNullException(nameof(negatives));
        if (positives.Length != negatives.Length) throw new ArgumentException("Bins: as many negative counts as positive ones are needed.", nameof(negatives));
        return form == BinnedRankForm.RocAuc ? RocAuc(positives, negatives) : AveragePrecision(positives, negatives);
    }

    /// <summary>
    /// AUC = Σ_b p_b·(negatives below b + ½·n_b) / (P·N). A pair in two bins is ordered as its scores are; a pair in one
    /// bin counts ½ here and 0, ½ or 1 in the exact value: the error is at most ½·Σ_b p_b·n_b / (P·N).
    /// </summary>
    private static (double, double) RocAuc(double[] positives, double[] negatives)
    {
        double below = 0, wins = 0, tied = 0, p = 0, n = 0;
        for (var b = 0; b < positives.Length; b++)
        {
            wins += positives[b] * (below + 0.5 * negatives[b]);
            tied += positives[b] * negatives[b];
            below += negatives[b];
            p += positives[b];
            n += negatives[b];
        }
        var pairs = p * n;
        return pairs == 0 ? (0, 0) : (wins / pairs, 0.5 * tied / pairs);
    }

    /// <summary>
    /// AP = Σ_b p_b·(P_b + p_b)/(A_b + m_b) / P, bins from the highest scores down, with A_b the items and P_b the
    /// positives in the bins above b, m_b the items of b: every positive of b sees its whole bin above it (pessimistic
    /// ties). In the exact value a positive of b sees P_b + s positives of A_b + r items, 1 ≤ s ≤ p_b, s ≤ r ≤ m_b; its
    /// precision lies in [(P_b + 1)/(A_b + m_b), (P_b + p_b)/(A_b + p_b)], which holds the binned one; the bound is
    /// the mean width of that interval over the positives.
    /// </summary>
    private static (double, double) AveragePrecision(double[] positives, double[] negatives)
    {
        double above = 0, positivesAbove = 0, sum = 0, width = 0, total = 0;
        for (var b = positives.Length - 1; b >= 0; b--)
        {
            var p = positives[b];
            var items = p + negatives[b];
            if (p > 0)
            {
                sum += p * (positivesAbove + p) / (above + items);
                width += p * ((positivesAbove + p) / (above + p) - (positivesAbove + 1) / (above + items));
            }
            above += items;
            positivesAbove += p;
            total += p;
        }
        return total == 0 ? (0, 0) : (sum / total, width / total);
    }
}
