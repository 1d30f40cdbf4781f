using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using MetricLoss.Catalog;
using MetricLoss.Runtime;
using MetricLoss.Runtime.Ranking;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>
/// <c>--linear-ranks [--sizes 1000,…] [--pairwise-max 40000] [--reps 3]</c>: smooth ROC AUC with the linear relaxation,
/// forward + backward on one list of N float32 scores (30 % positive), through the sort-based LinearRankSums kernel
/// against the generated pairwise program (<c>RocAuc.Loss</c> with Relaxation.Linear, chunked within the default
/// budget), in one process, median of the repetitions; the kernel's growth per doubling of N. The kernel's AUC is
/// Σ_i y_i (M − R_i) / (P·M), R_i = Σ_j (1 − y_j) relax((s_j − s_i)/τ) (the linear relaxation is symmetric:
/// relax(−u) = 1 − relax(u)); the two losses are checked equal where both run.
/// </summary>
public static class LinearRanksBenchmark
{
    public static int Run(string[] args)
    {
        string Option(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var sizes = Option("--sizes", "1000,4000,16000,64000,256000,1000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long pairwiseMax = long.Parse(Option("--pairwise-max", "40000"), CultureInfo.InvariantCulture);
        int reps = int.Parse(Option("--reps", "3"), CultureInfo.InvariantCulture);
        const double tau = 0.05;

        Console.WriteLine("Machine: " + RankingMeasure.MachineLine());
        Console.WriteLine();
        Console.WriteLine("| N | sort-based kernel, s (fwd + bwd) | growth per doubling | generated pairwise, s | pairwise / kernel | |Δ loss| |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        double? previous = null;
        long previousN = 0;
        foreach (var n in sizes)
        {
            var generator = new Generator(7);
            using var scores = randn(new long[] { n }, generator: generator).requires_grad_(true);
            using var labels = rand(new long[] { n }, generator: generator).lt(0.3);
            var (kernelLoss, kernelTime) = Time(() => KernelLoss(scores, labels, tau), scores, reps);
            string growth = previous is null ? "–" : Math.Pow(kernelTime / previous.Value, 1 / Math.Log2((double)n / previousN)).ToString("F2", CultureInfo.InvariantCulture);
            string pairwise = "–", ratio = "–", delta = "–";
            if (n <= pairwiseMax)
            {
                var options = new RocAuc.Options { Tau = tau, Relaxation = Relaxation.Linear };
                var (pairLoss, pairTime) = Time(() => RocAuc.Loss(scores, labels, options), scores, reps);
                pairwise = pairTime.ToString("F3", CultureInfo.InvariantCulture);
                ratio = (pairTime / kernelTime).ToString("F1", CultureInfo.InvariantCulture);
                delta = Math.Abs(pairLoss - kernelLoss).ToString("E1", CultureInfo.InvariantCulture);
            }
            Console.WriteLine(FormattableString.Invariant($"| {n:N0} | {kernelTime:F3} | {growth} | {pairwise} | {ratio} | {delta} |"));
            previous = kernelTime;
            previousN = n;
        }
        Console.WriteLine();
        Console.WriteLine($"Load average at the end: {RankingMeasure.LoadAverage()}.");
        return 0;
    }

    /// <summary>1 − smooth AUC through the kernel: Σ_i y_i (M − R_i) / (P·M).</summary>
    private static Tensor KernelLoss(Tensor scores, Tensor labels, double tau)
    {
        using var scope = NewDisposeScope();
        var negatives = labels.logical_not();
        var ranks = LinearRankSums.Compute(scores, negatives, tau, excludeSelf: false); // Σ_j∈neg relax((s_j − s_i)/τ)
        var positives = labels.to_type(scores.dtype);
        var p = positives.sum();
        var m = negatives.to_type(scores.dtype).sum();
        var wins = m.mul(p).sub(positives.mul(ranks).sum());
        return wins.div(m.mul(p)).neg().add(1.0).MoveToOuterDisposeScope();
    }

    /// <summary>Median seconds of forward + backward over the repetitions (after one warm-up), and the loss.</summary>
    private static (double Loss, double Seconds) Time(Func<Tensor> loss, Tensor scores, int reps)
    {
        double value = 0;
        var times = new List<double>();
        for (int r = 0; r <= reps; r++)
        {
            var watch = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                var l = loss();
                l.backward();
                value = l.item<float>();
            }
            watch.Stop();
            using (var grad = scores.grad) { }
            scores.grad = null;
            if (r > 0) times.Add(watch.Elapsed.TotalSeconds);
        }
        return (value, RankingMeasure.Quantile(times, 0.5));
    }
}
