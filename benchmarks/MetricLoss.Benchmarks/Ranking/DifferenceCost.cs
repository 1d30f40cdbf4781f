using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using MetricLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>
/// <c>--ranking-difference [--budget 20]</c>: what the pairwise comparison costs since it is defined for infinite
/// scores (docs/language.md, "Infinite scores"). Forward + backward of one relaxed pairwise term, Σ σ((s_j − s_i)/τ),
/// written as the generator wrote it before (<c>RelaxDifference(a.sub(b))</c>: subtract, scale the difference in place,
/// σ; ∞ − ∞ gives NaN) and as it writes it now (<c>RelaxPairwise(a, b)</c>: bound and scale each operand, subtract,
/// σ), at the shapes of RS@k's and Smooth-AP's chunks ([Q, N, 1] against [Q, 1, P], P = 3 positives per query as in
/// the ranking benchmarks) and of a dense N × N term (RocAuc, whose step(s_i − s_j) was relaxed out of place before).
/// Time is this process's CPU time, in rounds that alternate the order of the two sides: with one LibTorch thread it
/// is the work itself, which other processes on a loaded machine do not add to (wall time they do).
/// </summary>
public static class DifferenceCost
{
    public static int Run(string[] args)
    {
        double budget = 20;
        for (int i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == "--budget") budget = double.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }
        RankingMeasure.SteadyMallocForTiming();
        Console.WriteLine("| term | pairwise shape | before, CPU per call | after, CPU per call | after / before, median of rounds | IQR of round ratios | rounds |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        var generator = new torch.Generator(7);
        foreach (var (queries, items) in new[] { (256L, 1024L), (64L, 4000L) })
        {
            using var scope = NewDisposeScope();
            var s = randn(new[] { queries, items }, generator: generator).requires_grad_(true);
            var p = randn(new[] { queries, 3L }, generator: generator).requires_grad_(true);
            Compare("RS@k / Smooth-AP chunk", $"[{queries}, {items}, 3]", budget,
                () => Backward(MetricOps.RelaxDifference(s.unsqueeze(2).sub(p.unsqueeze(1)), 0.01, Relaxation.Sigmoid), s, p),
                () => Backward(MetricOps.RelaxPairwise(s.unsqueeze(2), p.unsqueeze(1), 0.01, Relaxation.Sigmoid), s, p));
        }
        foreach (var n in new[] { 1024L, 4000L })
        {
            using var scope = NewDisposeScope();
            var s = randn(new[] { n }, generator: generator).requires_grad_(true);
            Compare("RocAuc step(s_i − s_j)", $"[{n}, {n}]", budget,
                () => Backward(MetricOps.Relax(s.unsqueeze(1).sub(s.unsqueeze(0)), 0.05, Relaxation.Sigmoid), s, null),
                () => Backward(MetricOps.RelaxPairwise(s.unsqueeze(1), s.unsqueeze(0), 0.05, Relaxation.Sigmoid), s, null));
        }
        return 0;
    }

    private static void Backward(Tensor relaxed, Tensor a, Tensor? b)
    {
        relaxed.sum().backward();
        a.grad = null;
        if (b is not null) b.grad = null;
    }

    private static void Compare(string term, string shape, double budget, Action before, Action after)
    {
        var process = Process.GetCurrentProcess();
        double Cpu(Action side, int calls)
        {
            process.Refresh();
            var start = process.TotalProcessorTime;
            for (int i = 0; i < calls; i++)
            {
                using var scope = NewDisposeScope();
                side();
            }
            process.Refresh();
            return (process.TotalProcessorTime - start).TotalSeconds / calls;
        }
        Cpu(before, 1);
        Cpu(after, 1);
        // CPU time is read in ticks of the scheduler: batches of about 0.2 s keep that below 1 %.
        int batch = Math.Max(1, (int)(0.2 / Math.Max(Cpu(before, 3), 1e-5)));
        var (b, a, ratios) = (new List<double>(), new List<double>(), new List<double>());
        var watch = Stopwatch.StartNew();
        for (int r = 0; r < 401 && (r < 9 || watch.Elapsed.TotalSeconds < budget); r++)
        {
            double tb, ta;
            if (r % 2 == 0) { tb = Cpu(before, batch); ta = Cpu(after, batch); }
            else { ta = Cpu(after, batch); tb = Cpu(before, batch); }
            b.Add(tb);
            a.Add(ta);
            ratios.Add(ta / tb);
        }
        Console.WriteLine(FormattableString.Invariant(
            $"| {term} | {shape} | {RankingMeasure.Seconds(RankingMeasure.Quantile(b, 0.5))} | {RankingMeasure.Seconds(RankingMeasure.Quantile(a, 0.5))} | {RankingMeasure.Quantile(ratios, 0.5):F3} | {RankingMeasure.Quantile(ratios, 0.25):F3}–{RankingMeasure.Quantile(ratios, 0.75):F3} | {ratios.Count} |"));
    }
}
