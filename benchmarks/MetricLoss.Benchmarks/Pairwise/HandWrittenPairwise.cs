using System;
using MetricLoss.Benchmarks.Ranking;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Pairwise;

/// <summary>
/// Smooth ROC AUC and Smooth-AP on one list of N scores written by hand in TorchSharp, the way a careful user writes
/// them: over the positives' rows only (the generated programs compute every row under a mask), one dispose scope,
/// every Scalar disposed. Two forms each:
/// <list type="bullet">
/// <item><b>one graph</b>: the whole [P, N] term in one graph, back-propagated by the caller; its memory is O(P·N), so it
/// exists only for the smaller N;</item>
/// <item><b>staged</b>: chunks of positives of at most <see cref="HandWrittenRanking.Budget"/> elements (32 MiB − 64 KiB of
/// float32, the ranking benchmarks' hand-written chunk), each back-propagated at once (docs/surrogates.md §3.5, second
/// option); it returns the loss detached, and the caller must not call backward.</item>
/// </list>
/// </summary>
public static class HandWrittenPairwise
{
    /// <summary>
    /// L = 1 − (1/(P·M)) Σ_{i positive} Σ_{j negative} σ((s_i − s_j)/τ): the UniLoss pos/neg comparisons (docs/surrogates.md
    /// §1.3), which is the generated RocAuc.Loss (wins / pairs) for a batch with both classes.
    /// </summary>
    public static Tensor RocAucLoss(Tensor score, Tensor label, double tau, bool staged)
    {
        using var scope = NewDisposeScope();
        using var invTau = (1.0 / tau).ToScalar();
        using var one = 1.0.ToScalar();
        var positives = score.masked_select(label);                    // [P]
        var negatives = score.masked_select(label.logical_not());      // [M]
        long p = positives.shape[0], m = negatives.shape[0];
        using var scale = (-1.0 / ((double)p * m)).ToScalar();
        if (!staged)
        {
            var wins = positives.unsqueeze(1).sub(negatives.unsqueeze(0)).mul_(invTau).sigmoid_().sum();
            return wins.mul(scale).add_(one, one).MoveToOuterDisposeScope();
        }

        var sp = positives.detach().requires_grad_(true);
        var sn = negatives.detach().requires_grad_(true);
        long chunk = Math.Max(1, HandWrittenRanking.Budget / Math.Max(1, m));
        var total = zeros(Array.Empty<long>(), dtype: score.dtype);
        for (long start = 0; start < p; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            var rows = sp.narrow(0, start, Math.Min(chunk, p - start));
            var part = rows.unsqueeze(1).sub(sn.unsqueeze(0)).mul_(invTau).sigmoid_().sum().mul(scale);
            part.backward();
            total.add_(part.detach(), one);
        }
        using (var gp = sp.grad!)
        using (var gn = sn.grad!)
        {
            autograd.backward(new[] { positives, negatives }, new[] { gp, gn });
        }
        return total.add_(one, one).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Smooth-AP on one list (Brown et al., ECCV 2020; docs/surrogates.md §4.1): for each positive i,
    /// R(i, S) = 1 + Σ_{j ∈ S, j ≠ i} σ((s_j − s_i)/τ), AP = (1/P) Σ_i R(i, P) / R(i, all), L = 1 − AP: the generated
    /// AveragePrecision.Loss. The j = i term is σ(0) = ½ exactly, with gradient 0, so it is subtracted instead of masked.
    /// </summary>
    public static Tensor AveragePrecisionLoss(Tensor score, Tensor label, double tau, bool staged)
    {
        using var scope = NewDisposeScope();
        using var invTau = (1.0 / tau).ToScalar();
        using var one = 1.0.ToScalar();
        using var half = 0.5.ToScalar();
        var positions = label.nonzero().squeeze(1);                    // [P]
        long p = positions.shape[0], n = score.shape[0];
        using var scale = (-1.0 / p).ToScalar();
        var labels = label.to_type(score.dtype);                       // [N]
        var source = staged ? score.detach().requires_grad_(true) : score;

        Tensor Part(Tensor rows)
        {
            var si = source.index_select(0, rows);                    // [Q]
            var above = source.unsqueeze(0).sub(si.unsqueeze(1)).mul_(invTau).sigmoid_();   // σ((s_j − s_i)/τ), [Q, N]
            var all = above.sum(new long[] { 1 }, false).add_(half, one);                   // 1 + Σ_{j≠i} = Σ_j + ½
            var positive = above.mv(labels).add_(half, one);
            return positive.div(all).sum().mul(scale);
        }

        if (!staged) return Part(positions).add_(one, one).MoveToOuterDisposeScope();

        long chunk = Math.Max(1, HandWrittenRanking.Budget / n);
        var total = zeros(Array.Empty<long>(), dtype: score.dtype);
        for (long start = 0; start < p; start += chunk)
        {
            using var chunkScope = NewDisposeScope();
            var part = Part(positions.narrow(0, start, Math.Min(chunk, p - start)));
            part.backward();
            total.add_(part.detach(), one);
        }
        using (var grad = source.grad!)
        {
            score.backward(new[] { grad });
        }
        return total.add_(one, one).MoveToOuterDisposeScope();
    }
}
