using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using MetricLoss.Evaluation;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Benchmarks.ProcessMemory;

namespace MetricLoss.Benchmarks.Evaluation;

/// <summary>
/// <c>--evaluators [--reps 3] [--sizes 10000,100000,1000000]</c>: the exact value of a data set of 10⁶ items (10⁴
/// queries of 100 for mAP) three ways, in batches of 256 and 4,096 positions: an Evaluator (Update per batch, Compute at
/// the end), Exact on each batch (what a mean of batch values costs; not the data set's value), and every batch kept
/// (concatenated at the end) for one Exact. Then the memory of each state kind as N grows: the state's numbers
/// (ToState) and the peak resident memory of updating an evaluator with N items drawn in batches of 4,096 and computing
/// its value (VmHWM above the baseline; the resident memory after the updates alone falls below the baseline as earlier
/// garbage is returned, so it is not shown), the malloc threshold fixed as in <see cref="PeakMemory"/> so that
/// freed buffers leave the resident set.
/// </summary>
public static class EvaluatorBenchmark
{
    public static int Run(string[] args)
    {
        var reps = 3;
        var sizes = new long[] { 10_000, 100_000, 1_000_000 };
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--reps" && i + 1 < args.Length) reps = int.Parse(args[++i], CultureInfo.InvariantCulture);
            if (args[i] == "--sizes" && i + 1 < args.Length) sizes = args[++i].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
        if (!OperatingSystem.IsLinux() || !GlibcMalloc.SetThresholds(GlibcMalloc.PeakMmapThreshold, GlibcMalloc.DefaultTrimThreshold))
        {
            Console.Error.WriteLine("--evaluators reads /proc/self and sets glibc's malloc thresholds; it runs on Linux only.");
            return 2;
        }
        MetricLoss.Native.TorchNative.EnsureLoaded();
        Console.WriteLine($"torch threads: {get_num_threads()}; median of {reps} interleaved rounds after one warm-up; times in ms.");
        Console.WriteLine();
        Throughput(reps);
        Console.WriteLine();
        Memory(sizes);
        return 0;
    }

    private static void Throughput(int reps)
    {
        const long items = 1_000_000;
        Console.WriteLine("| metric | batch | evaluator: Update ×k + Compute | Exact per batch | keep all + one Exact | evaluator = Exact on all |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var metric in EvaluatorCase.All)
        {
            var rows = items / metric.ItemsPerRow;
            using var scope = NewDisposeScope();
            var whole = metric.Draw(new Generator(42), rows);
            foreach (var batchItems in new[] { 256L, 4096L })
            {
                // mAP's batches are of queries: 256 and 4,096 queries of 100 items.
                var batch = batchItems;
                var batches = Enumerable.Range(0, (int)((rows + batch - 1) / batch))
                    .Select(k => whole.Select(t => t.narrow(0, k * batch, Math.Min(batch, rows - k * batch))).ToArray()).ToArray();
                double evaluatorValue = 0, exactValue = 0, bound = 0;
                // The three run in turn, round after round, so that a change of the machine's load falls on all three.
                var times = Interleaved(reps,
                    () =>
                    {
                        var e = metric.NewEvaluator();
                        foreach (var b in batches) metric.Update(e, b);
                        evaluatorValue = e.Compute();
                        bound = e.ErrorBound;
                    },
                    () =>
                    {
                        using var inner = NewDisposeScope();
                        foreach (var b in batches) metric.Exact(b);
                    },
                    () =>
                    {
                        using var inner = NewDisposeScope();
                        var kept = Enumerable.Range(0, whole.Length).Select(k => new List<Tensor>()).ToArray();
                        foreach (var b in batches)
                        {
                            for (var k = 0; k < b.Length; k++) kept[k].Add(b[k].clone());
                        }
                        exactValue = metric.Exact(kept.Select(parts => cat(parts, 0)).ToArray());
                    });
                var (evaluator, perBatch, keepAll) = (times[0], times[1], times[2]);
                Console.WriteLine($"| {metric.Name} | {batch:N0} | {evaluator:F0} | {perBatch:F0} | {keepAll:F0} | {Agreement(evaluatorValue, exactValue, bound)} |");
            }
        }
    }

    private static string Agreement(double evaluator, double exact, double bound) =>
        Math.Abs(evaluator - exact) <= 1e-12 ? "equal (1e-12)" : $"differs by {Math.Abs(evaluator - exact):G3}, bound {bound:G3}";

    /// <summary>One warm-up of each, then <paramref name="reps"/> rounds running each once in turn; the median time of each (ms).</summary>
    private static double[] Interleaved(int reps, params Action[] runs)
    {
        foreach (var run in runs) run();
        var times = runs.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < reps; r++)
        {
            for (var k = 0; k < runs.Length; k++)
            {
                var clock = Stopwatch.StartNew();
                runs[k]();
                times[k].Add(clock.Elapsed.TotalMilliseconds);
            }
        }
        return times.Select(t => t.OrderBy(x => x).ElementAt(t.Count / 2)).ToArray();
    }

    private static void Memory(long[] sizes)
    {
        Console.WriteLine("| metric | state kind | N | state (ToState numbers) | peak resident memory, updates and Compute (MB) |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var metric in EvaluatorCase.All)
        {
            foreach (var n in sizes)
            {
                var rows = n / metric.ItemsPerRow;
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GlibcMalloc.Trim();
                var baseline = ResetPeak();
                var generator = new Generator(7);
                var evaluator = metric.NewEvaluator();
                // Batches of 4,096 items (41 queries of 100 for mAP), so that a batch's own memory is the same at every N.
                var batch = Math.Max(1, 4096 / metric.ItemsPerRow);
                for (var start = 0L; start < rows; start += batch)
                {
                    using var scope = NewDisposeScope();
                    metric.Update(evaluator, metric.Draw(generator, Math.Min(batch, rows - start)));
                }
                evaluator.Compute();
                var peak = ReadStatus("VmHWM") - baseline;
                var numbers = evaluator.ToState().Inputs.Sum(i => (long)i.Data.Length);
                Console.WriteLine($"| {metric.Name} | {evaluator.StateKind} | {n:N0} | {numbers:N0} | {Megabytes(peak):F1} |");
            }
        }
    }
}
