using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using MetricLoss.Benchmarks.Ranking;

namespace MetricLoss.Benchmarks.SortedRanks;

/// <summary>
/// <c>--sorted-ranks</c>: the generated smooth programs with sorted ranks (issue 15) against their pairwise programs,
/// through the catalogue's <c>Loss</c> as a user calls it, forward + backward, float32, one LibTorch thread:
/// <list type="number">
/// <item><description>ROC AUC and average precision on one list of N scores (30 % positive), N = 10³ … 10⁶: Linear and
/// Smoothstep (the sort-based program, the default under both), Linear with <c>SortBasedRanks = false</c> (the pairwise program)
/// and σ (always pairwise) up to <c>--pairwise-max</c>; growth per doubling; |Δ loss| between the two Linear
/// programs.</description></item>
/// <item><description>RS@k and mAP on N = 4,000 embeddings (the similarity matrix computed in the step) with |P| = 3
/// and 50 positives per query: the sort-based program under Linear and Smoothstep, and the two pairwise ones.</description></item>
/// </list>
/// Each case runs in a child process of its own (this program with <c>--sorted-ranks-one</c>), so that its peak
/// resident memory (VmHWM over the steps, glibc at its defaults) is its own; times are the median of the steps after
/// a warm-up. Options: <c>--sizes</c>, <c>--pairwise-max 16000</c>, <c>--steps 3</c>, <c>--retrieval-n 4000</c>,
/// <c>--skip-retrieval</c>.
/// </summary>
public static class SortedRanksModes
{
    public static int Run(string[] args)
    {
        string Option(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        int steps = int.Parse(Option("--steps", "3"), CultureInfo.InvariantCulture);
        if (args.Contains("--sorted-ranks-one"))
        {
            var c = new SortedRanksCase(Option("--metric", ""), Option("--program", ""), long.Parse(Option("--n", "0"), CultureInfo.InvariantCulture),
                int.Parse(Option("--positives", "0"), CultureInfo.InvariantCulture));
            return SortedRanksChild.Measure(c, steps);
        }
        var sizes = Option("--sizes", "1000,4000,16000,64000,256000,1000000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        long pairwiseMax = long.Parse(Option("--pairwise-max", "16000"), CultureInfo.InvariantCulture);
        long retrievalN = long.Parse(Option("--retrieval-n", "4000"), CultureInfo.InvariantCulture);
        var total = Stopwatch.StartNew();
        Console.WriteLine("Machine: " + RankingMeasure.MachineLine());

        foreach (var metric in new[] { "RocAuc", "AveragePrecision" })
        {
            Console.WriteLine();
            Console.WriteLine($"## {metric}.Loss, forward + backward, N float32 scores");
            Console.WriteLine();
            Console.WriteLine("| N | Linear, sorted: s | growth per doubling | peak MB | Smoothstep, sorted: s | growth per doubling | peak MB | Linear, pairwise: s | peak MB | σ, pairwise: s | peak MB | pairwise / sorted (Linear) | abs. Δ loss (Linear) |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            SortedRanksResult? previous = null, previousSmoothstep = null;
            foreach (var n in sizes)
            {
                var sorted = Child(new SortedRanksCase(metric, "sorted", n, 0), steps);
                var smoothstep = Child(new SortedRanksCase(metric, "smoothstep", n, 0), steps);
                var linear = n <= pairwiseMax ? Child(new SortedRanksCase(metric, "linear-pairwise", n, 0), steps) : null;
                var sigma = n <= pairwiseMax ? Child(new SortedRanksCase(metric, "sigma", n, 0), steps) : null;
                Console.WriteLine(FormattableString.Invariant(
                    $"| {n:N0} | {sorted.Seconds:F3} | {Growth(previous, sorted)} | {sorted.PeakMb:F0} | {smoothstep.Seconds:F3} | {Growth(previousSmoothstep, smoothstep)} | {smoothstep.PeakMb:F0} | {Seconds(linear)} | {Peak(linear)} | {Seconds(sigma)} | {Peak(sigma)} | {Ratio(linear, sorted)} | {Delta(linear, sorted)} |"));
                previous = sorted;
                previousSmoothstep = smoothstep;
            }
        }
        if (!args.Contains("--skip-retrieval"))
        {
            Console.WriteLine();
            Console.WriteLine($"## RS@k (RecallAtK) and mAP (MeanAveragePrecision), N = {retrievalN:N0} embeddings of 128 dimensions, all queries, forward + backward");
            Console.WriteLine();
            Console.WriteLine("| metric | abs. P per query | Linear, sorted: s | peak MB | Smoothstep, sorted: s | peak MB | Linear, pairwise: s | peak MB | σ, pairwise: s | peak MB | pairwise / sorted (Linear) | abs. Δ loss |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var metric in new[] { "RecallAtK", "MeanAveragePrecision" })
            {
                foreach (var positives in new[] { 3, 50 })
                {
                    var sorted = Child(new SortedRanksCase(metric, "sorted", retrievalN, positives), steps);
                    var smoothstep = Child(new SortedRanksCase(metric, "smoothstep", retrievalN, positives), steps);
                    var linear = Child(new SortedRanksCase(metric, "linear-pairwise", retrievalN, positives), steps);
                    var sigma = Child(new SortedRanksCase(metric, "sigma", retrievalN, positives), steps);
                    Console.WriteLine(FormattableString.Invariant(
                        $"| {metric} | {positives} | {sorted.Seconds:F3} | {sorted.PeakMb:F0} | {smoothstep.Seconds:F3} | {smoothstep.PeakMb:F0} | {Seconds(linear)} | {Peak(linear)} | {Seconds(sigma)} | {Peak(sigma)} | {Ratio(linear, sorted)} | {Delta(linear, sorted)} |"));
                }
            }
        }
        Console.WriteLine();
        Console.WriteLine($"Wall time {total.Elapsed.TotalMinutes:F1} min; load average at the end: {RankingMeasure.LoadAverage()}.");
        return 0;
    }

    /// <summary>The time's growth per doubling of N since the previous size.</summary>
    private static string Growth(SortedRanksResult? previous, SortedRanksResult current) => previous is null ? "–"
        : Math.Pow(current.Seconds / previous.Seconds, 1 / Math.Log2((double)current.Case.N / previous.Case.N)).ToString("F2", CultureInfo.InvariantCulture);

    private static string Seconds(SortedRanksResult? r) => r is null ? "–" : r.Seconds.ToString("F3", CultureInfo.InvariantCulture);

    private static string Peak(SortedRanksResult? r) => r is null ? "–" : r.PeakMb.ToString("F0", CultureInfo.InvariantCulture);

    private static string Ratio(SortedRanksResult? pairwise, SortedRanksResult sorted) =>
        pairwise is null ? "–" : (pairwise.Seconds / sorted.Seconds).ToString("F1", CultureInfo.InvariantCulture) + "×";

    private static string Delta(SortedRanksResult? pairwise, SortedRanksResult sorted) =>
        pairwise is null ? "–" : Math.Abs(pairwise.Loss - sorted.Loss).ToString("E1", CultureInfo.InvariantCulture);

    /// <summary>Runs one case in a child process and reads its result line.</summary>
    private static SortedRanksResult Child(SortedRanksCase c, int steps)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--sorted-ranks-one", "--metric", c.Metric, "--program", c.Program, "--n", c.N.ToString(CultureInfo.InvariantCulture),
            "--positives", c.Positives.ToString(CultureInfo.InvariantCulture), "--steps", steps.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        string? line, result = null;
        while ((line = process.StandardOutput.ReadLine()) is not null)
        {
            if (line.StartsWith("@result|", StringComparison.Ordinal)) result = line;
        }
        process.WaitForExit();
        if (process.ExitCode != 0 || result is null) throw new InvalidOperationException($"{c}: the child exited with {process.ExitCode} and no result.");
        var parts = result.Split('|');
        return new SortedRanksResult(c, double.Parse(parts[1], CultureInfo.InvariantCulture), double.Parse(parts[2], CultureInfo.InvariantCulture),
            double.Parse(parts[3], CultureInfo.InvariantCulture));
    }
}

/// <summary>One measurement: a metric, its program (sorted (Linear), smoothstep (sorted), linear-pairwise or sigma), N, and positives per query for the retrieval metrics.</summary>
internal sealed record SortedRanksCase(string Metric, string Program, long N, int Positives);

/// <summary>Median seconds of a step, peak MB over the steps, the loss.</summary>
internal sealed record SortedRanksResult(SortedRanksCase Case, double Seconds, double PeakMb, double Loss);
