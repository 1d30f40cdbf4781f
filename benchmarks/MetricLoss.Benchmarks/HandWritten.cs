using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks;

/// <summary>
/// The baselines: the same formulas as the generated catalogue metrics, written by hand the way a careful
/// TorchSharp user would write them (one dispose scope per call, the result moved out of it, no implicit
/// Scalars left to the finalizer, ε-guarded divisions, shared sub-expressions computed once).
/// </summary>
public static class HandWritten
{
    /// <summary>Soft F1 loss: p = σ((score − threshold)/τ), TP = Σpy, FP = Σp(1−y), FN = Σ(1−p)y, 1 − 2TP/max(2TP+FP+FN, ε).</summary>
    public static Tensor SoftF1Loss(Tensor score, Tensor target, double threshold = 0, double tau = 1, double eps = 1e-8)
    {
        using var scope = NewDisposeScope();
        using var thr = threshold.ToScalar();
        using var invTau = (1.0 / tau).ToScalar();
        using var one = 1.0.ToScalar();
        using var two = 2.0.ToScalar();
        using var e = eps.ToScalar();

        var p = score.sub(thr).mul(invTau).sigmoid();
        var tp = p.mul(target).sum();
        var fp = p.mul(target.neg().add_(one)).sum();
        var fn = p.neg().add_(one).mul(target).sum();
        var twoTp = tp.mul(two);
        var f1 = twoTp.div(twoTp.add(fp).add(fn).clamp_min(e));
        return f1.neg().add_(one).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// AnyLoss F1 loss as in the official code (Han, Moniz, Chawla, KDD 2024): ŷ = σ(L·(p − 0.5)) with L = 73,
    /// F1 = 2·Σyŷ / (Σy + Σŷ) (the closed form of 2TP/(2TP+FP+FN) in the three sums), here guarded by max(·, ε).
    /// </summary>
    public static Tensor AnyLossF1Loss(Tensor prob, Tensor target, double amplifier = 73, double eps = 1e-8)
    {
        using var scope = NewDisposeScope();
        using var half = 0.5.ToScalar();
        using var l = amplifier.ToScalar();
        using var one = 1.0.ToScalar();
        using var two = 2.0.ToScalar();
        using var e = eps.ToScalar();

        var yHat = prob.sub(half).mul(l).sigmoid();
        var tp = yHat.mul(target).sum();
        var f1 = tp.mul(two).div(target.sum().add(yHat.sum()).clamp_min(e));
        return f1.neg().add_(one).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Soft MCC loss: p = σ((score − threshold)/τ), the four soft counts, (TP·TN − FP·FN) / sqrt(max((TP+FP)(TP+FN)(TN+FP)(TN+FN), ε)).
    /// 1 − p and 1 − y are computed once each.
    /// </summary>
    public static Tensor SoftMccLoss(Tensor score, Tensor target, double threshold = 0, double tau = 1, double eps = 1e-8)
    {
        using var scope = NewDisposeScope();
        using var thr = threshold.ToScalar();
        using var invTau = (1.0 / tau).ToScalar();
        using var one = 1.0.ToScalar();
        using var e = eps.ToScalar();

        var p = score.sub(thr).mul(invTau).sigmoid();
        var q = p.neg().add_(one);           // 1 − p
        var notY = target.neg().add_(one);   // 1 − y
        var tp = p.mul(target).sum();
        var fp = p.mul(notY).sum();
        var fn = q.mul(target).sum();
        var tn = q.mul(notY).sum();
        var numerator = tp.mul(tn).sub(fp.mul(fn));
        var denominator = tp.add(fp).mul(tp.add(fn)).mul(tn.add(fp)).mul(tn.add(fn)).clamp_min(e).sqrt();
        return numerator.div(denominator).neg().add_(one).MoveToOuterDisposeScope();
    }

    /// <summary>Exact F1 of score &gt; threshold against a bool label, with TorchSharp (0 when 2TP+FP+FN = 0).</summary>
    public static double ExactF1(Tensor score, Tensor label, double threshold = 0)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var thr = threshold.ToScalar();

        var pred = score.gt(thr);
        var notPred = pred.logical_not();
        long tp = pred.logical_and(label).sum().item<long>();
        long fp = pred.logical_and(label.logical_not()).sum().item<long>();
        long fn = notPred.logical_and(label).sum().item<long>();
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0 : 2.0 * tp / denominator;
    }

    /// <summary>Exact F1 with a plain loop over arrays (0 when 2TP+FP+FN = 0); branch-free, so random labels cost no mispredictions.</summary>
    public static double ExactF1(float[] score, bool[] label, float threshold = 0)
    {
        if (score.Length != label.Length) throw new ArgumentException("score and label differ in length.");
        long tp = 0, predicted = 0, positive = 0;
        for (int i = 0; i < score.Length; i++)
        {
            int p = score[i] > threshold ? 1 : 0;
            int y = label[i] ? 1 : 0;
            tp += p & y;
            predicted += p;
            positive += y;
        }
        long fp = predicted - tp, fn = positive - tp;
        long denominator = 2 * tp + fp + fn;
        return denominator == 0 ? 0 : 2.0 * tp / denominator;
    }
}
