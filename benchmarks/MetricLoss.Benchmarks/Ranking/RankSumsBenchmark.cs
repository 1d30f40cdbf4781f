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
/// <c>--rank-sums [--sizes 1000,…] [--pairwise-max 16000] [--reps 3]</c> (also <c>--linear-ranks</c>): smooth ROC AUC,
/// forward + backward on one list of N float32 scores (30 % positive), τ = 0.05, side by side in one process: through the
/// sort-based SortedRankSums kernel with the linear and the smoothstep relaxation, and through the generated pairwise
/// program (<c>RocAuc.Loss</c> with <c>SortBasedRanks = false</c>, chunked within the default budget) with σ, linear and
/// smoothstep up to --pairwise-max. (<c>--sorted-ranks</c> compares the generated programs themselves, sorted and pairwise.)
/// Times are medians of the repetitions after a warm-up, with glibc's thresholds steady
/// (<see cref="RankingMeasure.SteadyMallocForTiming"/>); then the peak resident memory of one call of each, with freed
/// buffers returned at once (<see cref="RankingMeasure.Peak"/>). The kernel's AUC is Σ_i y_i (M − R_i) / (P·M),
/// R_i = Σ_j (1 − y_j) relax((s_j − s_i)/τ) (both relaxations are symmetric: relax(−u) = 1 − relax(u)); its loss is
/// checked equal to the pairwise one where both run.
/// </summary>
public static class RankSumsBenchmark
{
    private const double Tau = 0.05;

    private sealed record Method(string Name, bool Sorted, Relaxation Relaxation);

    private static readonly Method[] Methods =
    {
        new("sorted Linear", true, Relaxation.Linear),
        new("sorted Smoothstep", true, Relaxation.Smoothstep),
        new("pairwise σ", false, Relaxation.Sigmoid),
        new("pairwise Linear", false, Relaxation.Linear),
        new("pairwise Smoothstep", false, Relaxation.Smoothstep),
    };

    public static int Run(string[] args)
    {
        string Option(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var sizes = Option("--sizes", "1000,4000,16000,64000,256000,1000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long pairwiseMax = long.Parse(Option("--pairwise-max", "16000"), CultureInfo.InvariantCulture);
        int reps = int.Parse(Option("--reps", "3"), CultureInfo.InvariantCulture);

        RankingMeasure.SteadyMallocForTiming();
        Console.WriteLine("Machine: " + RankingMeasure.MachineLine());
        Console.WriteLine();
        // One call of each at a small N first, so that the first size timed does not pay for JIT compilation.
        using (var warmUp = new Inputs(1000))
        {
            foreach (var method in Methods) Step(method, warmUp);
        }
        var seconds = new Dictionary<(long, Method), double>();
        var losses = new Dictionary<(long, Method), double>();
        foreach (var n in sizes)
        {
            using var inputs = new Inputs(n);
            foreach (var method in Methods.Where(m => m.Sorted || n <= pairwiseMax))
            {
                (losses[(n, method)], seconds[(n, method)]) = Time(() => Loss(method, inputs), inputs.Scores, reps);
            }
            Console.Error.WriteLine($"timed N = {n}");
        }
        var peaks = new Dictionary<(long, Method), double>();
        foreach (var n in sizes)
        {
            using var inputs = new Inputs(n);
            foreach (var method in Methods.Where(m => m.Sorted || n <= pairwiseMax))
            {
                peaks[(n, method)] = RankingMeasure.Peak(() => Step(method, inputs), 3).Median;
            }
        }

        string Cell(long n, Method m, string format) => seconds.TryGetValue((n, m), out var s) ? s.ToString(format, CultureInfo.InvariantCulture) : "–";
        string Growth(int index, Method m)
        {
            if (index == 0) return "–";
            var (n, previous) = (sizes[index], sizes[index - 1]);
            return Math.Pow(seconds[(n, m)] / seconds[(previous, m)], 1 / Math.Log2((double)n / previous)).ToString("F2", CultureInfo.InvariantCulture);
        }
        string Ratio(long n, Method pairwise, Method sorted) =>
            seconds.TryGetValue((n, pairwise), out var p) ? (p / seconds[(n, sorted)]).ToString("F0", CultureInfo.InvariantCulture) : "–";
        string Delta(long n, Method pairwise, Method sorted) =>
            losses.TryGetValue((n, pairwise), out var p) ? Math.Abs(p - losses[(n, sorted)]).ToString("0E0", CultureInfo.InvariantCulture) : "–";
        var (sortedLinear, sortedSmooth, pairSigmoid, pairLinear, pairSmooth) = (Methods[0], Methods[1], Methods[2], Methods[3], Methods[4]);

        Console.WriteLine("Forward + backward, seconds (median); growth per doubling of N; pairwise / sorted for the same relaxation; |Δ loss| sorted vs pairwise.");
        Console.WriteLine();
        Console.WriteLine("| N | sorted Linear | growth | sorted Smoothstep | growth | pairwise σ | pairwise Linear | pairwise Smoothstep | pairwise / sorted, Linear | pairwise / sorted, Smoothstep | \\|Δ loss\\| Linear, Smoothstep |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < sizes.Length; i++)
        {
            var n = sizes[i];
            Console.WriteLine(FormattableString.Invariant(
                $"| {n:N0} | {Cell(n, sortedLinear, "F3")} | {Growth(i, sortedLinear)} | {Cell(n, sortedSmooth, "F3")} | {Growth(i, sortedSmooth)} | {Cell(n, pairSigmoid, "F3")} | {Cell(n, pairLinear, "F3")} | {Cell(n, pairSmooth, "F3")} | {Ratio(n, pairLinear, sortedLinear)} | {Ratio(n, pairSmooth, sortedSmooth)} | {Delta(n, pairLinear, sortedLinear)}, {Delta(n, pairSmooth, sortedSmooth)} |"));
        }
        Console.WriteLine();
        Console.WriteLine("Peak resident memory of one call (forward + backward) above the process's, MB.");
        Console.WriteLine();
        Console.WriteLine("| N | " + string.Join(" | ", Methods.Select(m => m.Name)) + " |");
        Console.WriteLine("|---:|" + string.Concat(Methods.Select(_ => "---:|")));
        foreach (var n in sizes)
        {
            Console.WriteLine($"| {n.ToString("N0", CultureInfo.InvariantCulture)} | " + string.Join(" | ", Methods.Select(m => peaks.TryGetValue((n, m), out var p) ? p.ToString("F1", CultureInfo.InvariantCulture) : "–")) + " |");
        }
        Console.WriteLine();
        Console.WriteLine($"Load average at the end: {RankingMeasure.LoadAverage()}.");
        return 0;
    }

    /// <summary>One list of N float32 scores (requiring a gradient) and its labels, 30 % positive, the same for every method.</summary>
    private sealed class Inputs : IDisposable
    {
        public Inputs(long n)
        {
            var generator = new Generator(7);
            Scores = randn(new long[] { n }, generator: generator).requires_grad_(true);
            using var fraction = 0.3.ToScalar();
            Labels = rand(new long[] { n }, generator: generator).lt(fraction);
        }

        public Tensor Scores { get; }

        public Tensor Labels { get; }

        public void Dispose()
        {
            Scores.Dispose();
            Labels.Dispose();
        }
    }

    private static Tensor Loss(Method method, Inputs inputs) => method.Sorted
        ? SortedLoss(inputs.Scores, inputs.Labels, method.Relaxation)
        : RocAuc.Loss(inputs.Scores, inputs.Labels, new RocAuc.Options { Tau = Tau, Relaxation = method.Relaxation, SortBasedRanks = false });

    /// <summary>One call as a training step does it: loss, backward, gradient dropped.</summary>
    private static void Step(Method method, Inputs inputs)
    {
        using (var scope = NewDisposeScope())
        {
            Loss(method, inputs).backward();
        }
        using (var grad = inputs.Scores.grad) { }
        inputs.Scores.grad = null;
    }

    /// <summary>1 − smooth AUC through the kernel: Σ_i y_i (M − R_i) / (P·M).</summary>
    private static Tensor SortedLoss(Tensor scores, Tensor labels, Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        using var one = 1.0.ToScalar();
        var negatives = labels.logical_not();
        var ranks = SortedRankSums.Compute(scores, negatives, Tau, relaxation, excludeSelf: false); // Σ_j∈neg relax((s_j − s_i)/τ)
        var positives = labels.to_type(scores.dtype);
        var p = positives.sum();
        var m = negatives.to_type(scores.dtype).sum();
        var wins = m.mul(p).sub(positives.mul(ranks).sum());
        return wins.div(m.mul(p)).neg().add_(one, KeptScalars.One).MoveToOuterDisposeScope();
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
