using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Benchmarks.ProcessMemory;

namespace MetricLoss.Benchmarks;

/// <summary>
/// <c>--peak</c>: native peak memory and tensor count of one loss + backward call, generated vs hand-written.
/// <para>
/// BenchmarkDotNet's MemoryDiagnoser sees managed allocations only; tensors live in native memory. This mode
/// measures the process's resident set: before each call it resets the peak (writing "5" to
/// /proc/self/clear_refs sets VmHWM to the current VmRSS, Linux ≥ 4.0), runs one call (forward, backward,
/// dispose, gradient dropped), and reports VmHWM − (VmHWM right after the reset). So the number is the
/// largest amount of memory the call held at once beyond what was resident before it. It also reports
/// VmRSS right after the forward call returned (its own temporaries disposed) minus the same baseline: what
/// the autograd graph keeps until backward, i.e. what the loss adds to a training step's activation memory.
/// </para>
/// <para>
/// For that to be the memory the call needed, freed buffers must leave the resident set: glibc's malloc
/// otherwise keeps freed large blocks in its heap (its mmap threshold grows after each free of an mmapped
/// block), and the next call would reuse them without any change of RSS. So this mode fixes the mmap
/// threshold at 64 KiB with mallopt (which also turns the dynamic threshold off): every buffer of a
/// [N = 1e6] float32 tensor (4 MB) is its own mapping, returned to the system when freed. LibTorch's CPU
/// allocator is malloc (posix_memalign). Small tensors (0-dim results) stay on the heap; they are noise.
/// </para>
/// </summary>
public static class PeakMemory
{

    public static int Run(string[] args)
    {
        long n = 1_000_000;
        int repetitions = 9;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--n" && i + 1 < args.Length) n = long.Parse(args[++i], CultureInfo.InvariantCulture);
            if (args[i] == "--reps" && i + 1 < args.Length) repetitions = int.Parse(args[++i], CultureInfo.InvariantCulture);
        }

        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("--peak reads /proc/self; it runs on Linux only.");
            return 2;
        }
        if (!GlibcMalloc.SetThresholds(GlibcMalloc.PeakMmapThreshold, GlibcMalloc.DefaultTrimThreshold))
        {
            Console.Error.WriteLine("mallopt failed; the peak numbers would not be meaningful.");
            return 2;
        }
        MetricLoss.Native.TorchNative.EnsureLoaded();

        Console.WriteLine($"Peak native memory of one loss + backward call, N = {n:N0} float32, {repetitions} repetitions after 5 warm-up calls.");
        Console.WriteLine($"torch threads: {get_num_threads()}; one float32 [N] buffer = {4.0 * n / 1e6:F1} MB.");
        Console.WriteLine();

        var rows = new List<(SurrogateCase Case, double Median, double Min, double Max, double Held, long Tensors, double LossValue)>();
        foreach (var c in Comparisons.Surrogates)
        {
            using var inputs = new Inputs(n, c.Probabilities, requiresGrad: true);
            double value = 0;
            for (int w = 0; w < 5; w++) value = Call(c, inputs);

            var tensors = CountTensors(c, inputs);
            var peaks = new List<double>();
            var helds = new List<double>();
            for (int r = 0; r < repetitions; r++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                GC.Collect();
                long before = ResetPeak();
                long held;
                using (var scope = NewDisposeScope())
                {
                    var loss = c.Loss(inputs.Score, inputs.Target);
                    held = ReadStatus("VmRSS");
                    loss.backward();
                }
                inputs.Score.grad = null;
                long peak = ReadStatus("VmHWM");
                peaks.Add(Megabytes(peak - before));
                helds.Add(Megabytes(held - before));
            }
            peaks.Sort();
            helds.Sort();
            rows.Add((c, peaks[peaks.Count / 2], peaks[0], peaks[^1], helds[helds.Count / 2], tensors, value));
        }

        Console.WriteLine("| comparison | implementation | peak RSS delta, median (MB) | min–max (MB) | ≈ float32 [N] buffers | held from forward to backward (MB) | tensors created per call | loss |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(FormattableString.Invariant(
                $"| {r.Case.Comparison} | {r.Case.Side} | {r.Median:F1} | {r.Min:F1}–{r.Max:F1} | {r.Median * 1e6 / (4.0 * n):F1} | {r.Held:F1} | {r.Tensors} | {r.LossValue:G6} |"));
        }
        Console.WriteLine();
        Console.WriteLine("| comparison | peak memory generated / hand-written | held forward→backward generated / hand-written | tensors generated / hand-written |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var g in rows.GroupBy(r => r.Case.Comparison))
        {
            var hand = g.First(r => r.Case.Side.StartsWith("hand", StringComparison.Ordinal));
            var gen = g.First(r => r.Case.Side.StartsWith("generated", StringComparison.Ordinal));
            Console.WriteLine(FormattableString.Invariant(
                $"| {g.Key} | {gen.Median / hand.Median:F2} | {gen.Held / hand.Held:F2} | {gen.Tensors}/{hand.Tensors} = {(double)gen.Tensors / hand.Tensors:F2} |"));
        }
        return 0;
    }

    /// <summary>One training-style step: loss, backward, everything disposed, gradient dropped. Returns the loss.</summary>
    private static double Call(SurrogateCase c, Inputs inputs)
    {
        double value;
        using (var scope = NewDisposeScope())
        {
            var loss = c.Loss(inputs.Score, inputs.Target);
            loss.backward();
            value = loss.item<float>();
        }
        inputs.Score.grad = null;
        return value;
    }

    /// <summary>Managed tensors (each one an op result or alias) created by one forward call, from TorchSharp's statistics.</summary>
    private static long CountTensors(SurrogateCase c, Inputs inputs)
    {
        var stats = DisposeScopeManager.Statistics;
        using (var scope = NewDisposeScope())
        {
            stats.Reset();
            var loss = c.Loss(inputs.Score, inputs.Target);
            long created = stats.TensorStatistics.CreatedInScopeCount + stats.TensorStatistics.CreatedOutsideScopeCount;
            loss.backward();
            inputs.Score.grad = null;
            return created;
        }
    }

}
