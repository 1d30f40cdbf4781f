using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Benchmarks.ProcessMemory;

namespace MetricLoss.Benchmarks.Interpolation;

/// <summary>
/// <c>--interpolation [--rounds 41]</c> (time) and <c>--interpolation --peak [--reps 9]</c> (peak native memory, run in
/// its own process): time and peak native memory of UniLoss's interpolated accuracy
/// (<c>AccuracyInterpolated.Loss</c> + backward; Liu, Wang, Deng, ECCV 2020; docs/language.md, "Interpolation mode")
/// against the analytic surrogate of the same metric (<c>TopKAccuracy.Loss</c> with k = 1 + backward), as
/// (a) the number of anchors grows (good = nearby = random ∈ {4, 16, 64}, K = 1 + 3·that) at n = 256, c = 10, and
/// (b) the number of comparisons D = n·(c − 1) grows (n ∈ {64, 256, 1024}, c = 10) with the default 16 per kind.
/// <para>
/// Inputs: seeded N(0, 1) float32 logits [n, c] requiring grad and uniform int64 targets [n], the same for both
/// sides; default options (τ = 1) on both. The interpolated side draws its anchors from one generator that advances
/// from call to call (<c>Options.Generator</c>), as in training. One call: open a dispose scope, loss, backward,
/// dispose, drop the gradient.
/// </para>
/// <para>
/// Time: the two sides interleaved in rounds of about 20 ms each (as <c>--paired</c>); per-call medians and the median
/// and interquartile range of the round ratios, with glibc's default malloc settings.
/// Memory (<c>--peak</c>, a separate run, because its malloc settings would slow the time measurement down): as
/// <c>--peak</c> (<see cref="PeakMemory"/>), VmHWM reset through /proc/self/clear_refs before the call and
/// VmHWM − (VmRSS at the reset) after it, median of the repetitions, but with glibc's mmap threshold fixed at 4 KiB
/// instead of 64 KiB, since the tensors here are small (one [1024, 10] float32 tensor is 40 KiB), set before any
/// tensor of the cases exists: every buffer of 4 KiB or more is its own mapping, returned to the system when freed.
/// Before each call <c>malloc_trim(0)</c> also returns the free pages of the heap, so smaller allocations count when
/// they touch new pages. Calibration lines (one buffer of known size) show the resolution. Linux only.
/// </para>
/// </summary>
public static class InterpolationBenchmark
{
    private const int Seed = 20240825;
    private const long Classes = 10;
    private const double BatchSeconds = 0.02;
    private const int MmapThreshold = 4 * 1024;

    private sealed record Case(string Sweep, long N, int PerKind)
    {
        public long K => 1 + 3L * PerKind;
        public long D => N * (Classes - 1);
    }

    private sealed record Time(double Interpolated, double Analytic, double Ratio, double Q1, double Q3);

    private sealed record Memory(double Interpolated, double Analytic, double HeldInterpolated, double HeldAnalytic,
        long TensorsInterpolated, long TensorsAnalytic);

    /// <summary>Seeded logits [n, c] (requires grad) and targets [n].</summary>
    private sealed class Inputs : IDisposable
    {
        public Tensor Logit { get; }
        public Tensor Target { get; }

        public Inputs(long n)
        {
            using var generator = new Generator(Seed);
            using var scope = NewDisposeScope();
            var logit = randn(new[] { n, Classes }, dtype: ScalarType.Float32, generator: generator);
            var target = randint(0, Classes, new[] { n }, dtype: ScalarType.Int64, generator: generator);
            Logit = logit.detach().requires_grad_(true).DetachFromDisposeScope();
            Target = target.DetachFromDisposeScope();
        }

        public void Dispose()
        {
            Logit.Dispose();
            Target.Dispose();
        }
    }

    /// <summary>The two sides of one case, each a training-style call returning nothing.</summary>
    private sealed class Sides : IDisposable
    {
        private readonly Generator anchors = new(Seed + 1);
        private readonly AccuracyInterpolated.Options interpolatedOptions;
        public Inputs Inputs { get; }

        public Sides(Case c)
        {
            Inputs = new Inputs(c.N);
            interpolatedOptions = new AccuracyInterpolated.Options
            {
                AnchorsGood = c.PerKind, AnchorsNearby = c.PerKind, AnchorsRandom = c.PerKind, Generator = anchors,
            };
        }

        public Tensor InterpolatedLoss() => AccuracyInterpolated.Loss(Inputs.Logit, Inputs.Target, interpolatedOptions);
        public Tensor AnalyticLoss() => TopKAccuracy.Loss(Inputs.Logit, Inputs.Target);

        public void Interpolated() => Step(InterpolatedLoss);
        public void Analytic() => Step(AnalyticLoss);

        private void Step(Func<Tensor> loss)
        {
            using (var scope = NewDisposeScope())
            {
                loss().backward();
            }
            Inputs.Logit.grad = null;
        }

        public void Dispose()
        {
            Inputs.Dispose();
            anchors.Dispose();
        }
    }

    public static int Run(string[] args)
    {
        int rounds = 41;
        int repetitions = 9;
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--rounds") rounds = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (args[i] == "--reps") repetitions = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
        }
        bool memory = args.Contains("--peak");
        MetricLoss.Native.TorchNative.EnsureLoaded();

        var cases = new List<Case>();
        foreach (var perKind in new[] { 4, 16, 64 }) cases.Add(new Case("anchors", 256, perKind));
        foreach (var n in new long[] { 64, 256, 1024 }) cases.Add(new Case("comparisons", n, 16));

        Console.WriteLine("AccuracyInterpolated.Loss (UniLoss) vs TopKAccuracy.Loss (k = 1, analytic), forward + backward, float32, c = 10.");
        return memory ? RunMemory(cases, repetitions) : RunTime(cases, rounds);
    }

    private static int RunTime(List<Case> cases, int rounds)
    {
        Console.WriteLine($"Time: {rounds} interleaved rounds of about {BatchSeconds * 1000:F0} ms per side; torch threads: {get_num_threads()}.");
        Console.WriteLine();
        var times = new Dictionary<Case, Time>();
        foreach (var c in cases)
        {
            using var sides = new Sides(c);
            times[c] = Measure(sides.Interpolated, sides.Analytic, rounds);
        }

        PrintTables(cases,
            "| n | per kind | K | D = n·(c − 1) | UniLoss, median per call | analytic, median per call | time ratio UniLoss / analytic (median of rounds) | IQR of round ratios |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
            c => FormattableString.Invariant(
                $"{Format(times[c].Interpolated)} | {Format(times[c].Analytic)} | {times[c].Ratio:F1} | {times[c].Q1:F1}–{times[c].Q3:F1}"));
        return 0;
    }

    private static int RunMemory(List<Case> cases, int repetitions)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("--interpolation --peak reads /proc/self; it runs on Linux only.");
            return 2;
        }
        // Before any tensor of the cases exists, so that the heap holds no large free chunks they could reuse.
        if (!GlibcMalloc.SetThresholds(MmapThreshold, GlibcMalloc.DefaultTrimThreshold))
        {
            Console.Error.WriteLine("mallopt failed; the peak numbers would not be meaningful.");
            return 2;
        }
        Console.WriteLine($"Peak: median of {repetitions} calls after 5 warm-up calls; RSS with glibc's mmap threshold at {MmapThreshold / 1024} KiB.");

        // Resolution of the method: the peak of a call that only allocates and fills one float32 buffer.
        using (var dummy = new Inputs(1))
        {
            foreach (var bytes in new long[] { 40 * 1024, 400 * 1024, 4 * 1024 * 1024 })
            {
                var (peak, _) = Peak(() => ones(new[] { bytes / 4 }, ScalarType.Float32).sum().add(dummy.Logit.sum()), dummy, repetitions);
                Console.WriteLine(FormattableString.Invariant($"Calibration: one float32 buffer of {bytes / 1024} KiB reads as a peak of {peak:F3} MB."));
            }
        }
        Console.WriteLine();

        var memory = new Dictionary<Case, Memory>();
        foreach (var c in cases)
        {
            using var sides = new Sides(c);
            for (int w = 0; w < 5; w++) { sides.Interpolated(); sides.Analytic(); }
            var (peakI, heldI) = Peak(sides.InterpolatedLoss, sides.Inputs, repetitions);
            var (peakA, heldA) = Peak(sides.AnalyticLoss, sides.Inputs, repetitions);
            memory[c] = new Memory(peakI, peakA, heldI, heldA,
                CountTensors(sides.InterpolatedLoss, sides.Inputs), CountTensors(sides.AnalyticLoss, sides.Inputs));
        }

        PrintTables(cases,
            "| n | per kind | K | D = n·(c − 1) | UniLoss peak (MB) | analytic peak (MB) | peak ratio | held forward→backward, UniLoss / analytic (MB) | tensors per call, UniLoss / analytic |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            c =>
            {
                var m = memory[c];
                // Below the resolution, a value is shown as "≤ resolution" and the ratio as a lower bound.
                string ratio = m.Analytic >= ResolutionMegabytes
                    ? FormattableString.Invariant($"{m.Interpolated / m.Analytic:F0}")
                    : FormattableString.Invariant($"≥ {m.Interpolated / ResolutionMegabytes:F0}");
                return $"{Megabytes(m.Interpolated)} | {Megabytes(m.Analytic)} | {ratio} | {Megabytes(m.HeldInterpolated)} / {Megabytes(m.HeldAnalytic)} | {m.TensorsInterpolated} / {m.TensorsAnalytic}";
            });
        return 0;
    }

    /// <summary>
    /// The resolution of the RSS counters read here: the kernel counts resident pages per CPU and folds them into the
    /// total in batches, so /proc/self/status can miss a few tens of pages per CPU (the calibration line for 400 KiB
    /// read 0.26 MB on the 2-core machine of docs/benchmarks.md). Values below this are printed as "≤ 0.15".
    /// </summary>
    private const double ResolutionMegabytes = 0.15;

    private static string Megabytes(double value) =>
        value < ResolutionMegabytes
            ? FormattableString.Invariant($"≤ {ResolutionMegabytes:F2}")
            : value.ToString("F2", CultureInfo.InvariantCulture);

    private static void PrintTables(List<Case> cases, string header, string rule, Func<Case, string> columns)
    {
        foreach (var sweep in new[] { "anchors", "comparisons" })
        {
            Console.WriteLine(sweep == "anchors"
                ? "(a) anchors grow: n = 256, c = 10 (D = 2 304 comparisons), good = nearby = random"
                : "(b) comparisons grow: c = 10, good = nearby = random = 16 (K = 49)");
            Console.WriteLine();
            Console.WriteLine(header);
            Console.WriteLine(rule);
            foreach (var c in cases.Where(c => c.Sweep == sweep))
                Console.WriteLine(FormattableString.Invariant($"| {c.N:N0} | {c.PerKind} | {c.K} | {c.D:N0} | {columns(c)} |"));
            Console.WriteLine();
        }
    }

    private static Time Measure(Action a, Action b, int rounds)
    {
        // Warm-up (JIT tiers, allocator) and calibration of the batch size from the pair's cost.
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.Elapsed.TotalSeconds < 0.3 || calls < 5) { a(); b(); calls++; }
        double perA = TimeBatch(a, Math.Max(1, calls / 4));
        double perB = TimeBatch(b, Math.Max(1, calls / 4));
        int batchA = Math.Max(1, (int)(BatchSeconds / perA));
        int batchB = Math.Max(1, (int)(BatchSeconds / perB));

        var ta = new List<double>();
        var tb = new List<double>();
        var ratios = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            double x, y;
            if (r % 2 == 0) { x = TimeBatch(a, batchA); y = TimeBatch(b, batchB); }
            else { y = TimeBatch(b, batchB); x = TimeBatch(a, batchA); }
            ta.Add(x);
            tb.Add(y);
            ratios.Add(x / y);
        }
        ta.Sort();
        tb.Sort();
        ratios.Sort();
        return new Time(Quantile(ta, 0.5), Quantile(tb, 0.5), Quantile(ratios, 0.5), Quantile(ratios, 0.25), Quantile(ratios, 0.75));
    }

    private static double TimeBatch(Action action, int batch)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < batch; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / batch;
    }

    private static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    /// <summary>Median peak RSS delta of one call and median RSS held between forward and backward (MB).</summary>
    private static (double Peak, double Held) Peak(Func<Tensor> loss, Inputs inputs, int repetitions)
    {
        var peaks = new List<double>();
        var helds = new List<double>();
        for (int r = 0; r < repetitions; r++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            GlibcMalloc.Trim(); // free heap pages leave the resident set, so reusing them counts as new memory
            long before = ResetPeak();
            long held;
            using (var scope = NewDisposeScope())
            {
                var value = loss();
                held = ReadStatus("VmRSS");
                value.backward();
            }
            inputs.Logit.grad = null;
            peaks.Add(ProcessMemory.Megabytes(ReadStatus("VmHWM") - before));
            helds.Add(ProcessMemory.Megabytes(held - before));
        }
        peaks.Sort();
        helds.Sort();
        return (Quantile(peaks, 0.5), Quantile(helds, 0.5));
    }

    /// <summary>Managed tensors (op results and aliases) created by one forward call, from TorchSharp's statistics.</summary>
    private static long CountTensors(Func<Tensor> loss, Inputs inputs)
    {
        var stats = DisposeScopeManager.Statistics;
        using (var scope = NewDisposeScope())
        {
            stats.Reset();
            var value = loss();
            long created = stats.TensorStatistics.CreatedInScopeCount + stats.TensorStatistics.CreatedOutsideScopeCount;
            value.backward();
            inputs.Logit.grad = null;
            return created;
        }
    }

    private static string Format(double seconds) =>
        seconds >= 1e-3
            ? (seconds * 1e3).ToString("F2", CultureInfo.InvariantCulture) + " ms"
            : (seconds * 1e6).ToString("F0", CultureInfo.InvariantCulture) + " μs";
}
