using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>
/// The ranking modes (docs/benchmarks.md, "Pairwise and ranking metrics"):
/// <list type="bullet">
/// <item><c>--ranking-check</c>: the hand-written official algorithms give the generated losses (and gradients).</item>
/// <item><c>--ranking-paired</c>: forward + backward time, generated vs hand-written, interleaved rounds.</item>
/// <item><c>--ranking-peak</c>: native peak memory of one step, generated vs hand-written (in a process that times
/// nothing; started as a child process by the modes that do).</item>
/// <item><c>--ranking-scaling</c>: time and peak memory of the generated exact evaluators (N = 2^14 … 2^20) and of
/// the generated RS@k surrogate (N = 256 … 4000) with the ratio to the previous row.</item>
/// <item><c>--ranking-profile</c>: where the generated code's time goes (<see cref="RankingProfile"/>; not in <c>--ranking</c>).</item>
/// <item><c>--ranking</c>: check, paired, scaling and peak; the peaks in child processes.</item>
/// </list>
/// Options: <c>--sizes 256,1024,4000</c>, <c>--budget 20</c> (seconds of rounds per comparison and N),
/// <c>--ap-queries 32</c> and <c>--ap-full-max 1024</c> (above that N the O(N³) hand-written Smooth-AP is run on
/// its first 32 queries and its time extrapolated linearly, see <see cref="RunPaired"/>), <c>--hand-budget 8372224</c>
/// and <c>--hand-ap-budget 2093056</c> (elements per chunk of the hand-written RS@k and Smooth-AP), <c>--only rs|ap</c> (paired and once modes),
/// <c>--scaling-budget 6</c> (seconds of rounds per scaling row).
/// </summary>
public static class RankingModes
{
    private sealed class Settings
    {
        public long[] Sizes = { 256, 1024, 4000 };
        public double Budget = 20;
        public long ApQueries = 32;
        public long ApFullMax = 1024;
        public double ScalingBudget = 6;
        public string Only = "";
        public bool PairedLargeAp = true;
    }

    private static readonly string[] TimingModes =
        { "--ranking", "--ranking-check", "--ranking-paired", "--ranking-scaling", "--ranking-profile", "--ranking-once" };

    public static int Run(string[] args)
    {
        // Peak memory is measured in a process that has run nothing else: the timing phases leave glibc's heap with
        // resident free blocks that later allocations reuse without any change of RSS (seen here: +240 MB "held" at
        // N = 4000 after a paired phase). So a process that times never measures peaks; it starts a child for them.
        bool timing = args.Any(a => TimingModes.Contains(a));
        if (!timing) RankingMeasure.FixMallocForPeak();

        var settings = Parse(args);
        var total = Stopwatch.StartNew();
        Console.WriteLine("Machine: " + RankingMeasure.MachineLine());
        Console.WriteLine();
        int rc = 0;
        bool all = args.Contains("--ranking");
        if (args.Contains("--ranking-profile")) RankingProfile.Run(settings.Sizes, settings.Budget);
        if (args.Contains("--ranking-once")) RankingProfile.Once(settings.Sizes, settings.ApQueries, settings.Only);
        if (all || args.Contains("--ranking-check")) rc |= RunCheck(settings);
        if (all || args.Contains("--ranking-paired")) RunPaired(settings);
        List<ScalingRow>? scaling = null;
        if (all || args.Contains("--ranking-scaling"))
        {
            scaling = ScalingRows();
            ScalingTimes(settings, scaling);
        }
        if (all || args.Contains("--ranking-peak"))
        {
            if (timing) rc |= Child(args, "--ranking-peak", line => Console.WriteLine(line));
            else RunPeak(settings);
        }
        if (scaling is not null)
        {
            rc |= Child(args, "--ranking-scaling-peak", line =>
            {
                var parts = line.Split('|');
                if (parts.Length == 4 && parts[0] == "@peak")
                {
                    var row = scaling.First(r => r.Table == parts[1] && r.N == long.Parse(parts[2], CultureInfo.InvariantCulture));
                    row.Peak = double.Parse(parts[3], CultureInfo.InvariantCulture);
                }
            });
            PrintScaling(scaling);
        }
        if (!timing && args.Contains("--ranking-scaling-peak"))
        {
            foreach (var row in ScalingPeaks(ScalingRows()))
            {
                Console.WriteLine(FormattableString.Invariant($"@peak|{row.Table}|{row.N}|{row.Peak:R}"));
            }
        }
        Console.WriteLine();
        Console.WriteLine(FormattableString.Invariant($"Total: {total.Elapsed.TotalMinutes:F1} min; load average at the end {RankingMeasure.LoadAverage()}."));
        return rc;
    }

    /// <summary>Runs this program again with <paramref name="mode"/> and the options of <paramref name="args"/> (not its modes); each output line goes to <paramref name="line"/>.</summary>
    private static int Child(string[] args, string mode, Action<string> line)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(mode);
        foreach (var a in args.Where(a => !a.StartsWith("--ranking", StringComparison.Ordinal))) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string? text;
        while ((text = process.StandardOutput.ReadLine()) is not null)
        {
            if (text.StartsWith("// LibTorch", StringComparison.Ordinal) || text.StartsWith("Total:", StringComparison.Ordinal)) continue;
            line(text);
        }
        process.WaitForExit();
        return process.ExitCode == 0 ? 0 : 1;
    }

    private static Settings Parse(string[] args)
    {
        var s = new Settings();
        for (int i = 0; i + 1 < args.Length; i++)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case "--sizes": s.Sizes = value.Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--budget": s.Budget = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--ap-queries": s.ApQueries = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--ap-full-max": s.ApFullMax = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--scaling-budget": s.ScalingBudget = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--hand-budget": HandWrittenRanking.Budget = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--hand-ap-budget": HandWrittenRanking.SmoothApBudget = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "--only": s.Only = value; break;
                case "--paired-large-ap": s.PairedLargeAp = value == "1"; break;
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ check

    private static int RunCheck(Settings settings)
    {
        Console.WriteLine("## Agreement: hand-written official algorithms vs generated (float32, query excluded from its own list)");
        Console.WriteLine();
        Console.WriteLine("| comparison | N | hand-written side | hand-written loss | generated loss | abs. difference | max abs. Δ∂L/∂E / max abs. ∂L/∂E | within 1e-5? |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---|");
        bool ok = true;
        var clamped = new RankingCase(RankingCases.RsAtK, "hand-written official RS@k, clamped sigmoid", false, false,
            static x => HandWrittenRanking.RecallAtKLoss(x.Similarity(), x.PositiveIndex, clampedSigmoid: true));
        foreach (var n in settings.Sizes)
        {
            using var inputs = new RankingInputs(n);
            var generated = RankingCases.WholeGraphDiffers(n)
                ? new[] { RankingCases.GeneratedRecallAtK, RankingCases.GeneratedRecallAtKWholeGraph }
                : new[] { RankingCases.GeneratedRecallAtK };
            foreach (var side in generated)
            {
                var (lg, gg) = side.StepWithGradient(inputs);
                foreach (var hand in new[] { RankingCases.HandRecallAtK, RankingCases.HandRecallAtKStaged, clamped })
                {
                    ok &= Compare(hand, inputs, n, lg, gg, side == RankingCases.GeneratedRecallAtK ? null : "whole-graph budget");
                }
                gg.Dispose();
            }

            if (n <= settings.ApFullMax)
            {
                var (la, ga) = RankingCases.GeneratedMeanAveragePrecision.StepWithGradient(inputs);
                ok &= Compare(RankingCases.HandSmoothAp(), inputs, n, la, ga);
                ga.Dispose();
            }
            else
            {
                // The O(N³) reference on the first M queries against the generated metric on the same M lists.
                long m = settings.ApQueries;
                var subset = new RankingCase(RankingCases.SmoothAp, $"generated MeanAveragePrecision.Loss, first {m} lists", true, false,
                    x => MeanAveragePrecision.Loss(x.Similarity().gather(1, x.OtherColumns).narrow(0, 0, m), x.LabelWithoutSelf.narrow(0, 0, m)));
                var (la, ga) = subset.StepWithGradient(inputs);
                ok &= Compare(RankingCases.HandSmoothAp(m), inputs, n, la, ga);
                ga.Dispose();
            }
        }
        Console.WriteLine();
        Console.WriteLine(ok ? "All within 1e-5 (loss) and 1e-3 relative (gradient)." : "MISMATCH (see the rows above).");
        Console.WriteLine();
        ok &= CheckLeaks();
        return ok ? 0 : 1;
    }

    /// <summary>No tensor outlives a step: the live tensor count (DisposeScopeManager statistics) is unchanged after 5 steps of each side.</summary>
    private static bool CheckLeaks()
    {
        using var inputs = new RankingInputs(256);
        bool ok = true;
        var cases = new[]
        {
            RankingCases.HandRecallAtK, RankingCases.HandRecallAtKStaged, RankingCases.GeneratedRecallAtK,
            RankingCases.HandSmoothAp(), RankingCases.HandSmoothAp(16), RankingCases.GeneratedMeanAveragePrecision,
        };
        var stats = DisposeScopeManager.Statistics;
        var parts = new List<string>();
        foreach (var c in cases)
        {
            c.Step(inputs);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long before = stats.ThreadTotalLiveCount;
            for (int i = 0; i < 5; i++) c.Step(inputs);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            long grown = stats.ThreadTotalLiveCount - before;
            ok &= grown == 0;
            parts.Add(FormattableString.Invariant($"{c.Side}: {grown}"));
        }
        Console.WriteLine("Live tensors gained over 5 steps (N = 256): " + string.Join("; ", parts) + (ok ? ". No leaks." : ". LEAK."));
        Console.WriteLine();
        return ok;
    }

    private static bool Compare(RankingCase hand, RankingInputs inputs, long n, double generatedLoss, Tensor generatedGrad, string? generatedNote = null)
    {
        var (lh, gh) = hand.StepWithGradient(inputs);
        using (gh)
        using (var scope = NewDisposeScope())
        {
            double scale = gh.abs().max().item<float>();
            double dg = gh.sub(generatedGrad).abs().max().item<float>();
            double dv = Math.Abs(lh - generatedLoss);
            bool ok = dv <= 1e-5 && dg <= 1e-3 * Math.Max(scale, 1e-30);
            Console.WriteLine(FormattableString.Invariant(
                $"| {hand.Comparison}{(generatedNote is null ? "" : " (generated: " + generatedNote + ")")} | {n:N0} | {hand.Side} | {lh:F7} | {generatedLoss:F7} | {dv:E1} | {dg / Math.Max(scale, 1e-30):E1} | {(ok ? "yes" : "**NO**")} |"));
            return ok;
        }
    }

    // ------------------------------------------------------------------ paired time

    /// <summary>
    /// Forward + backward time in interleaved rounds. RS@k: generated against the official structure (one graph)
    /// and, for information, against the staged (memory-bounded) hand-written form. Smooth-AP: generated against the
    /// O(N³) official algorithm. Above <c>--ap-full-max</c> the hand-written side processes only its first M queries
    /// and 0 queries (sim, its backward and the setup), and its full time is estimated as t(0) + (t(M) − t(0))·N/M:
    /// every chunk of its loop is one query's identical [1, N, N] work at that size (its full step would take 9–17
    /// minutes at N = 4000). <c>--paired-large-ap 0</c> skips that comparison here (the peak phase still times one
    /// step of each side, <see cref="RunPeak"/>).
    /// </summary>
    private static void RunPaired(Settings settings)
    {
        RankingMeasure.SteadyMallocForTiming();
        Console.WriteLine("## Time, forward + backward (interleaved rounds; sim = E·Eᵀ inside every call; mmap threshold fixed at 32 MiB)");
        Console.WriteLine();
        Console.WriteLine("| comparison | N | hand-written side | hand-written, median per call | generated, median per call | generated / hand-written, median of rounds | IQR of round ratios | rounds | within 1.2×? |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---|");
        foreach (var n in settings.Sizes)
        {
            using var inputs = new RankingInputs(n);
            if (settings.Only != "ap")
            {
                var gen = RankingCases.GeneratedRecallAtK;
                var hand = RankingCases.HandRecallAtK;
                var staged = RankingCases.HandRecallAtKStaged;
                var whole = RankingCases.GeneratedRecallAtKWholeGraph;
                var sides = new List<RankingCase> { hand, staged, gen };
                if (RankingCases.WholeGraphDiffers(n)) sides.Add(whole);
                var r = RankingMeasure.Interleaved(sides.Select(c => c.Side).ToArray(),
                    sides.Select(c => (Action)(() => c.Step(inputs))).ToArray(),
                    settings.Budget, minRounds: 9, maxRounds: 101);
                PrintRatio(RankingCases.RsAtK, n, hand.Side, r, r.PerRound.Select(x => x[0]).ToList(), 2);
                PrintRatio(RankingCases.RsAtK, n, staged.Side + " (information)", r, r.PerRound.Select(x => x[1]).ToList(), 2);
                if (sides.Count > 3)
                {
                    PrintRatio(RankingCases.RsAtK, n, hand.Side + "; generated with " + whole.Side["generated RecallAtK.Loss, ".Length..], r, r.PerRound.Select(x => x[0]).ToList(), 3);
                }
            }
            if (settings.Only == "rs") continue;

            var generatedAp = new List<RankingCase> { RankingCases.GeneratedMeanAveragePrecision };
            if (RankingCases.HandBudgetDiffers(n)) generatedAp.Add(RankingCases.GeneratedMeanAveragePrecisionHandBudget);
            if (n <= settings.ApFullMax)
            {
                var handAp = RankingCases.HandSmoothAp();
                var sides = new[] { handAp }.Concat(generatedAp).ToList();
                var ra = RankingMeasure.Interleaved(sides.Select(c => c.Side).ToArray(), sides.Select(c => (Action)(() => c.Step(inputs))).ToArray(),
                    settings.Budget, minRounds: 9, maxRounds: 101);
                for (int g = 0; g < generatedAp.Count; g++)
                {
                    PrintRatio(RankingCases.SmoothAp, n, ApSideName(handAp.Side, generatedAp[g]), ra, ra.PerRound.Select(x => x[0]).ToList(), 1 + g);
                }
            }
            else if (settings.PairedLargeAp)
            {
                long m = settings.ApQueries;
                var handM = RankingCases.HandSmoothAp(m);
                var hand0 = RankingCases.HandSmoothAp(0);
                var sides = new[] { handM, hand0 }.Concat(generatedAp).ToList();
                var ra = RankingMeasure.Interleaved(sides.Select(c => c.Side).ToArray(), sides.Select(c => (Action)(() => c.Step(inputs))).ToArray(),
                    settings.Budget, minRounds: 9, maxRounds: 101);
                var estimate = ra.PerRound.Select(x => x[1] + (x[0] - x[1]) * n / m).ToList();
                for (int g = 0; g < generatedAp.Count; g++)
                {
                    PrintRatio(RankingCases.SmoothAp, n,
                        ApSideName(FormattableString.Invariant($"hand-written official Smooth-AP (staged), estimated from its first {m} queries: t(0) = {RankingMeasure.Seconds(ra.Median(1))}, t({m}) = {RankingMeasure.Seconds(ra.Median(0))}"), generatedAp[g]),
                        ra, estimate, 2 + g);
                }
            }
        }
        Console.WriteLine();
    }

    /// <summary>A ratio with two decimals, or two significant digits below 0.1 (Smooth-AP's are far below).</summary>
    private static string Ratio(double ratio) =>
        ratio.ToString(ratio >= 0.1 ? "F2" : "G2", CultureInfo.InvariantCulture);

    private static string ApSideName(string hand, RankingCase generated) =>
        generated == RankingCases.GeneratedMeanAveragePrecision ? hand : hand + "; generated with the same element budget";

    private static void PrintRatio(string comparison, long n, string handName, RankingMeasure.Rounds r, List<double> handTimes, int generatedIndex)
    {
        var ratios = r.PerRound.Select((x, i) => x[generatedIndex] / handTimes[i]).ToList();
        double ratio = RankingMeasure.Quantile(ratios, 0.5);
        Console.WriteLine(FormattableString.Invariant(
            $"| {comparison} | {n:N0} | {handName} | {RankingMeasure.Seconds(RankingMeasure.Quantile(handTimes, 0.5))} | {RankingMeasure.Seconds(r.Median(generatedIndex))} | {Ratio(ratio)} | {Ratio(RankingMeasure.Quantile(ratios, 0.25))}–{Ratio(RankingMeasure.Quantile(ratios, 0.75))} | {r.Count} | {(ratio <= 1.2 ? "yes" : "**no**")} |"));
    }

    // ------------------------------------------------------------------ peak memory

    private static void RunPeak(Settings settings)
    {
        RankingMeasure.FixMallocForPeak();
        Console.WriteLine("## Peak native memory of one step (forward + backward), VmHWM after clear_refs, mmap threshold 64 KiB, in a fresh process");
        Console.WriteLine();
        var rows = new List<(long N, RankingCase Case, (double Median, double Min, double Max, double Held, long Tensors, double Time) P)>();
        var warmed = new HashSet<string>();
        var expected = new Dictionary<string, double>();
        long previousN = 1;
        foreach (var n in settings.Sizes)
        {
            using var inputs = new RankingInputs(n);
            var cases = new List<RankingCase>
            {
                RankingCases.SimilarityOnly,
                RankingCases.HandRecallAtK, RankingCases.HandRecallAtKStaged, RankingCases.GeneratedRecallAtK,
                n <= settings.ApFullMax ? RankingCases.HandSmoothAp() : RankingCases.HandSmoothAp(settings.ApQueries),
                RankingCases.GeneratedMeanAveragePrecision,
            };
            if (n > settings.ApFullMax) cases.Insert(5, RankingCases.HandSmoothAp(0));
            if (RankingCases.WholeGraphDiffers(n)) cases.Insert(4, RankingCases.GeneratedRecallAtKWholeGraph);
            if (RankingCases.HandBudgetDiffers(n)) cases.Add(RankingCases.GeneratedMeanAveragePrecisionHandBudget);
            if (settings.Only == "rs") cases.RemoveAll(c => c.Comparison == RankingCases.SmoothAp);
            if (settings.Only == "ap") cases.RemoveAll(c => c.Comparison == RankingCases.RsAtK);
            foreach (var c in cases)
            {
                // Warm-up call (JIT, allocator) at the first size only: at N = 4000 a call can take minutes.
                double first = warmed.Add(c.Side) ? RankingMeasure.Time(() => c.Step(inputs), 1) : expected.GetValueOrDefault(c.Side, 0) * Math.Pow((double)n / previousN, 3);
                int reps = first < 2 ? 3 : 1;
                var watch = Stopwatch.StartNew();
                rows.Add((n, c, RankingMeasure.PeakOfStep(c, inputs, reps)));
                double perCall = watch.Elapsed.TotalSeconds / reps;
                expected[c.Side] = perCall;
                if (perCall > 5)
                {
                    Console.WriteLine(FormattableString.Invariant($"(N = {n:N0}, {c.Side}: {RankingMeasure.Seconds(perCall)} per step in this phase)"));
                }
            }
            previousN = n;
        }
        Console.WriteLine("| comparison | N | implementation | peak RSS delta, median (MB) | min–max (MB) | held from forward to backward (MB) | managed tensors per step | time of the step here | steps |");
        Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (n, c, p) in rows)
        {
            string held = double.IsNaN(p.Held) ? "– (staged)" : p.Held.ToString("F1", CultureInfo.InvariantCulture);
            Console.WriteLine(FormattableString.Invariant(
                $"| {c.Comparison} | {n:N0} | {c.Side} | {p.Median:F1} | {p.Min:F1}–{p.Max:F1} | {held} | {p.Tensors:N0} | {RankingMeasure.Seconds(p.Time)} | {(p.Time < 2 ? 3 : 1)} |"));
        }
        // Smooth-AP above --ap-full-max: its time ratio comes from these single steps (not from the paired phase).
        foreach (var g in rows.Where(r => r.Case.Comparison == RankingCases.SmoothAp && r.N > settings.ApFullMax).GroupBy(r => r.N))
        {
            var list = g.ToList();
            double tM = list[0].P.Time, t0 = list[1].P.Time, tg = list.First(r => r.Case.IsGenerated).P.Time;
            double estimate = t0 + (tM - t0) * g.Key / settings.ApQueries;
            Console.WriteLine();
            Console.WriteLine(FormattableString.Invariant(
                $"Smooth-AP, N = {g.Key:N0}, one step each (mmap threshold fixed): hand-written estimated t(0) + (t({settings.ApQueries}) − t(0))·N/{settings.ApQueries} = {RankingMeasure.Seconds(t0)} + ({RankingMeasure.Seconds(tM)} − {RankingMeasure.Seconds(t0)})·{g.Key / (double)settings.ApQueries:F0} = {RankingMeasure.Seconds(estimate)}; generated {RankingMeasure.Seconds(tg)}; generated / hand-written = {Ratio(tg / estimate)}."));
        }
        Console.WriteLine();
        Console.WriteLine("| comparison | N | peak generated / hand-written (official structure) | peak generated / hand-written staged | within 1.2×? |");
        Console.WriteLine("|---|---:|---:|---:|---|");
        foreach (var g in rows.Where(r => r.Case != RankingCases.SimilarityOnly).GroupBy(r => (r.N, r.Case.Comparison)))
        {
            var hands = g.Where(r => !r.Case.IsGenerated && !r.Case.Side.EndsWith("first 0 queries", StringComparison.Ordinal)).ToList();
            var official = hands[0].P.Median;
            foreach (var generated in g.Where(r => r.Case.IsGenerated))
            {
                var gen = generated.P.Median;
                string stagedRatio = hands.Count > 1 ? (gen / hands[1].P.Median).ToString("F2", CultureInfo.InvariantCulture) : "(the official form is staged)";
                string name = generated.Case == RankingCases.GeneratedRecallAtKWholeGraph ? g.Key.Comparison + ", whole-graph budget"
                    : generated.Case == RankingCases.GeneratedMeanAveragePrecisionHandBudget ? g.Key.Comparison + ", the hand-written budget"
                    : g.Key.Comparison;
                Console.WriteLine(FormattableString.Invariant(
                    $"| {name} | {g.Key.N:N0} | {gen / official:F2} | {stagedRatio} | {(gen / official <= 1.2 ? "yes" : "**no**")} |"));
            }
        }
        Console.WriteLine();
    }

    // ------------------------------------------------------------------ scaling

    private sealed class ScalingRow
    {
        public required string Table;
        public required long N;
        public required Func<IDisposable> MakeInputs;
        public required Action<IDisposable> Call;
        public double Time;
        public int Rounds;
        public double Peak = double.NaN;
    }

    private static List<ScalingRow> ScalingRows()
    {
        var rows = new List<ScalingRow>();
        for (int e = 14; e <= 20; e++)
        {
            long n = 1L << e;
            rows.Add(new ScalingRow
            {
                Table = "RocAuc.Exact", N = n,
                MakeInputs = () => new Inputs(n, probabilities: false, requiresGrad: false),
                Call = x => { var i = (Inputs)x; RocAuc.Exact(i.Score, i.Label); },
            });
        }
        for (int e = 14; e <= 20; e++)
        {
            long n = 1L << e;
            rows.Add(new ScalingRow
            {
                Table = "AveragePrecision.Exact", N = n,
                MakeInputs = () => new Inputs(n, probabilities: false, requiresGrad: false),
                Call = x => { var i = (Inputs)x; AveragePrecision.Exact(i.Score, i.Label); },
            });
        }
        foreach (var n in new long[] { 256, 512, 1024, 2048, 4000 })
        {
            rows.Add(new ScalingRow
            {
                Table = "RecallAtK.Loss, forward + backward", N = n,
                MakeInputs = () => new RankingInputs(n),
                Call = x => RankingCases.GeneratedRecallAtK.Step((RankingInputs)x),
            });
        }
        foreach (var n in new long[] { 256, 512, 1024, 2048, 4000 })
        {
            rows.Add(new ScalingRow
            {
                Table = "MeanAveragePrecision.Loss, forward + backward", N = n,
                MakeInputs = () => new RankingInputs(n),
                Call = x => RankingCases.GeneratedMeanAveragePrecision.Step((RankingInputs)x),
            });
        }
        return rows;
    }

    private static void ScalingTimes(Settings settings, List<ScalingRow> rows)
    {
        RankingMeasure.SteadyMallocForTiming();
        foreach (var row in rows)
        {
            using var inputs = row.MakeInputs();
            var r = RankingMeasure.Interleaved(new[] { row.Table }, new Action[] { () => row.Call(inputs) },
                settings.ScalingBudget, minRounds: 3, maxRounds: 41);
            row.Time = r.Median(0);
            row.Rounds = r.Count;
        }
    }

    private static List<ScalingRow> ScalingPeaks(List<ScalingRow> rows)
    {
        RankingMeasure.FixMallocForPeak();
        foreach (var row in rows)
        {
            using var inputs = row.MakeInputs();
            double first = RankingMeasure.Time(() => row.Call(inputs), 1);
            row.Peak = RankingMeasure.Peak(() => row.Call(inputs), first < 2 ? 3 : 1).Median;
        }
        return rows;
    }

    private static void PrintScaling(List<ScalingRow> rows)
    {
        Console.WriteLine("## Scaling of the generated code (time: median of interleaved rounds; peak: VmHWM delta in a fresh process, mmap threshold 64 KiB)");
        foreach (var table in rows.GroupBy(r => r.Table))
        {
            Console.WriteLine();
            Console.WriteLine($"{table.Key}:");
            Console.WriteLine();
            Console.WriteLine("| N | time per call | × previous row | growth exponent log(t₂/t₁)/log(N₂/N₁) | peak RSS delta (MB) | × previous row | rounds |");
            Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
            ScalingRow? previous = null;
            foreach (var row in table)
            {
                string timeRatio = "", exponent = "", peakRatio = "";
                if (previous is not null)
                {
                    timeRatio = (row.Time / previous.Time).ToString("F2", CultureInfo.InvariantCulture);
                    exponent = (Math.Log(row.Time / previous.Time) / Math.Log((double)row.N / previous.N)).ToString("F2", CultureInfo.InvariantCulture);
                    peakRatio = previous.Peak > 0.5 ? (row.Peak / previous.Peak).ToString("F2", CultureInfo.InvariantCulture) : "–";
                }
                Console.WriteLine(FormattableString.Invariant(
                    $"| {row.N:N0} | {RankingMeasure.Seconds(row.Time)} | {timeRatio} | {exponent} | {row.Peak:F1} | {peakRatio} | {row.Rounds} |"));
                previous = row;
            }
        }
        Console.WriteLine();
    }
}
