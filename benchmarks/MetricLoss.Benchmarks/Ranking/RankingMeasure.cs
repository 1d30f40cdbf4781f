using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Benchmarks.ProcessMemory;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>Timing in interleaved rounds and native peak memory, for calls that take from microseconds to minutes.</summary>
public static class RankingMeasure
{
    /// <summary>Each side's batch of calls in a round lasts about this long (as <c>--paired</c>).</summary>
    public const double BatchSeconds = 0.02;

    /// <summary>Per-call times of each side in each round (seconds).</summary>
    public sealed record Rounds(string[] Names, List<double[]> PerRound, int[] Batches)
    {
        public int Count => PerRound.Count;

        public double Median(int side) => Quantile(PerRound.Select(r => r[side]).ToList(), 0.5);

        public double Min(int side) => PerRound.Min(r => r[side]);
    }

    /// <summary>
    /// Interleaved rounds: every round times a batch of calls of each side, one side after the other, the order
    /// rotating from round to round. Warm-up: one call per side (more for fast calls, until 0.3 s). As many rounds
    /// as fit in <paramref name="budgetSeconds"/>, at least <paramref name="minRounds"/>, at most <paramref name="maxRounds"/>.
    /// </summary>
    public static Rounds Interleaved(string[] names, Action[] sides, double budgetSeconds, int minRounds, int maxRounds)
    {
        int k = sides.Length;
        var estimate = new double[k];
        for (int s = 0; s < k; s++)
        {
            // Warm-up (JIT, allocator, first-call costs): one call; fast sides run on for 0.3 s.
            double first = Time(sides[s], 1);
            if (first > 0.5)
            {
                estimate[s] = first;
                continue;
            }
            var watch = Stopwatch.StartNew();
            int calls = 0;
            do { sides[s](); calls++; } while (watch.Elapsed.TotalSeconds < 0.3 && calls < 1000);
            estimate[s] = watch.Elapsed.TotalSeconds / calls;
        }
        var batches = estimate.Select(e => Math.Max(1, (int)(BatchSeconds / e))).ToArray();
        double perRound = estimate.Select((e, s) => e * batches[s]).Sum();
        int rounds = Math.Clamp((int)(budgetSeconds / perRound), minRounds, maxRounds);
        if (perRound > 2 * budgetSeconds && estimate.All(e => e > 5))
        {
            // Calls of many seconds each (the O(N³) reference, and worse): one round, and that round is the first
            // call of each side (its JIT and allocator costs are a negligible part of it once smaller N ran before).
            return new Rounds(names, new List<double[]> { estimate }, batches);
        }

        var result = new List<double[]>();
        for (int r = 0; r < rounds; r++)
        {
            var times = new double[k];
            for (int t = 0; t < k; t++)
            {
                int s = (t + r) % k;                      // rotate which side goes first
                times[s] = Time(sides[s], batches[s]);
            }
            result.Add(times);
        }
        return new Rounds(names, result, batches);
    }

    public static double Time(Action action, int batch)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < batch; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / batch;
    }

    public static double Quantile(List<double> values, double q)
    {
        var sorted = values.OrderBy(v => v).ToList();
        double position = q * (sorted.Count - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    public static string Seconds(double seconds) =>
        seconds >= 1 ? seconds.ToString("F2", CultureInfo.InvariantCulture) + " s"
        : seconds >= 1e-3 ? (seconds * 1e3).ToString("F2", CultureInfo.InvariantCulture) + " ms"
        : (seconds * 1e6).ToString("F1", CultureInfo.InvariantCulture) + " μs";

    // ---- native peak memory (as --peak: VmHWM reset by clear_refs, glibc mmap threshold fixed) ----

    private static bool _mallocFixed;

    /// <summary>
    /// For the timing phases: glibc's mmap threshold fixed at 32 MiB, its largest dynamic value (64-bit
    /// DEFAULT_MMAP_THRESHOLD_MAX), which a long-running training process reaches once it has freed one large mapped
    /// buffer. Fixed, so that both sides of a comparison get the same allocator whatever ran before them: left dynamic,
    /// the threshold is the size of the largest mapped buffer freed so far, and in a run where that stayed low the
    /// hand-written Smooth-AP, whose chunks were exactly 32 MiB, was mapped afresh on every op and 4.5× slower.
    /// Buffers below 32 MiB then always come from the heap; larger ones are always mapped (both sides alike). The trim
    /// threshold is set to 64 MiB, twice the mmap threshold, as glibc's dynamic mode sets it: fixing the mmap
    /// threshold alone freezes the trim threshold at its 128 KiB default, and the heap is then returned to the system
    /// and faulted back in on every call (the hand-written Smooth-AP took 3× longer that way).
    /// </summary>
    public static void SteadyMallocForTiming()
    {
        if (!OperatingSystem.IsLinux() || _mallocFixed) return;
        if (!GlibcMalloc.SetThresholds(32 * 1024 * 1024, 64 * 1024 * 1024))
            throw new InvalidOperationException("mallopt failed; the timings would depend on what ran before them.");
    }

    /// <summary>
    /// Fixes glibc's mmap threshold at 64 KiB (and turns the dynamic threshold off) so that every freed tensor
    /// buffer leaves the resident set at once and RSS follows the live tensors. Call after the timings: it makes
    /// every large allocation an mmap with fresh page faults, which slows calls down.
    /// </summary>
    public static void FixMallocForPeak()
    {
        if (_mallocFixed) return;
        if (!OperatingSystem.IsLinux()) throw new PlatformNotSupportedException("peak memory reads /proc/self; Linux only.");
        if (!GlibcMalloc.SetThresholds(GlibcMalloc.PeakMmapThreshold, GlibcMalloc.DefaultTrimThreshold))
            throw new InvalidOperationException("mallopt failed; peak numbers would not be meaningful.");
        _mallocFixed = true;
    }

    /// <summary>Peak RSS increase of one call (MB), median over <paramref name="repetitions"/>, and min–max.</summary>
    public static (double Median, double Min, double Max) Peak(Action call, int repetitions, Action? afterForward = null)
    {
        FixMallocForPeak();
        var peaks = new List<double>();
        for (int r = 0; r < repetitions; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long before = ResetPeak();
            call();
            long peak = ReadStatus("VmHWM");
            peaks.Add(Megabytes(peak - before));
        }
        return (Quantile(peaks, 0.5), peaks.Min(), peaks.Max());
    }

    /// <summary>
    /// Peak of one training-style step of <paramref name="c"/> (median over <paramref name="repetitions"/>), what its
    /// forward call leaves resident for backward (RSS right after the call returned, minus the baseline; NaN for a
    /// staged call, whose backward runs inside), the managed tensors created per step (DisposeScopeManager
    /// statistics), and the median time of these steps (with the mmap threshold fixed).
    /// </summary>
    public static (double Median, double Min, double Max, double Held, long Tensors, double Time) PeakOfStep(RankingCase c, RankingInputs inputs, int repetitions)
    {
        FixMallocForPeak();
        var peaks = new List<double>();
        var helds = new List<double>();
        var times = new List<double>();
        var stats = DisposeScopeManager.Statistics;
        long created = 0;
        for (int r = 0; r < repetitions; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            long before = ResetPeak();
            long held;
            stats.Reset();
            long start = Stopwatch.GetTimestamp();
            using (var scope = NewDisposeScope())
            {
                var loss = c.Call(inputs);
                held = ReadStatus("VmRSS");
                if (!c.Staged) loss.backward();
            }
            inputs.Embeddings.grad = null;
            times.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
            created = stats.TensorStatistics.CreatedInScopeCount + stats.TensorStatistics.CreatedOutsideScopeCount;
            long peak = ReadStatus("VmHWM");
            peaks.Add(Megabytes(peak - before));
            helds.Add(Megabytes(held - before));
        }
        return (Quantile(peaks, 0.5), peaks.Min(), peaks.Max(), c.Staged ? double.NaN : Quantile(helds, 0.5), created, Quantile(times, 0.5));
    }

    private static long ResetPeak()
    {
        // Free heap memory left resident by earlier work (the timing phases of the same process run with glibc's
        // default thresholds) would be reused by the call without any change of RSS: give its pages back first.
        GlibcMalloc.Trim();
        File.WriteAllText("/proc/self/clear_refs", "5");
        return ReadStatus("VmHWM");
    }

    /// <summary>One line describing the machine and the run's settings.</summary>
    public static string MachineLine()
    {
        string cpu = "unknown CPU";
        try
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }
        catch (IOException) { }
        string memory = "";
        try
        {
            var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            memory = $", {long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1e6:F1} GB RAM";
        }
        catch (Exception) { }
        return $"{cpu}, {Environment.ProcessorCount} logical cores{memory}; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}; " +
               $"TorchSharp-cpu {typeof(TorchSharp.torch).Assembly.GetName().Version}; LibTorch threads {get_num_threads()}; load average {LoadAverage()}";
    }

    public static string LoadAverage()
    {
        try { return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }
}
