using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using MetricLoss.Benchmarks.Ranking;

namespace MetricLoss.Benchmarks.Pairwise;

/// <summary>
/// <c>--pairwise</c>: peak resident memory and time of smooth RocAuc and AveragePrecision (forward + backward) on one
/// list of N float32 scores, N = 10⁴ … 10⁵, generated against hand-written TorchSharp (<see cref="HandWrittenPairwise"/>);
/// docs/benchmarks.md, "Peak memory of the pairwise surrogates". Every measurement runs in a child process of its own
/// (this program again, <see cref="PairwiseChild"/>), with glibc's malloc left at its defaults, so that nothing one
/// measurement leaves in the heap counts in another. The parent watches each child's resident set and stops it above
/// <c>--cap-gb</c> (default 12), on a machine other work shares.
/// Options: <c>--sizes 10000,20000,40000,60000,80000,100000</c>, <c>--steps 2</c> (per peak child), <c>--rounds 5</c>
/// (paired rounds up to 20 000, <c>--rounds-large 3</c> above), <c>--only RocAuc|AveragePrecision</c>,
/// <c>--skip-peak</c>, <c>--skip-paired</c>, <c>--one-graph-max 20000</c>, <c>--check-n 3000</c>.
/// </summary>
public static class PairwiseModes
{
    public static int Run(string[] args)
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("--pairwise reads /proc; it runs on Linux only.");
            return 2;
        }
        string Option(string name, string fallback)
        {
            int i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        long n = long.Parse(Option("--n", "0"), CultureInfo.InvariantCulture);
        if (args.Contains("--pairwise-peak-one")) return PairwiseChild.Peak(PairwiseCases.Get(Option("--metric", ""), Option("--side", "")), n, int.Parse(Option("--steps", "2"), CultureInfo.InvariantCulture));
        if (args.Contains("--pairwise-paired-one")) return PairwiseChild.Paired(Option("--metric", ""), n, int.Parse(Option("--rounds", "5"), CultureInfo.InvariantCulture));
        if (args.Contains("--pairwise-check")) return PairwiseChild.Check(long.Parse(Option("--check-n", "3000"), CultureInfo.InvariantCulture));

        var sizes = Option("--sizes", "10000,20000,40000,60000,80000,100000").Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var metrics = Option("--only", "RocAuc,AveragePrecision").Split(',');
        double capGb = double.Parse(Option("--cap-gb", "12"), CultureInfo.InvariantCulture);
        string steps = Option("--steps", "2");
        int rounds = int.Parse(Option("--rounds", "5"), CultureInfo.InvariantCulture);
        int roundsLarge = int.Parse(Option("--rounds-large", "3"), CultureInfo.InvariantCulture);
        long oneGraphMax = long.Parse(Option("--one-graph-max", "20000"), CultureInfo.InvariantCulture);
        var total = Stopwatch.StartNew();

        Console.WriteLine("Machine: " + RankingMeasure.MachineLine());
        Console.WriteLine();
        int rc = 0;
        var check = new List<string>();
        rc |= Child(new[] { "--pairwise-check", "--check-n", Option("--check-n", "3000") }, capGb, line => check.Add(line)).ExitCode;
        Console.WriteLine("## Agreement (N = " + Option("--check-n", "3000") + ", float32)");
        Console.WriteLine();
        Console.WriteLine("| metric | hand-written side | generated loss | hand-written loss | abs. difference | max abs. Δ∂L/∂s / max abs. ∂L/∂s | agree? |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---|");
        foreach (var parts in check.Where(l => l.StartsWith("@check|", StringComparison.Ordinal)).Select(l => l.Split('|')))
        {
            Console.WriteLine($"| {parts[1]} | {parts[2]} | {parts[4]} | {parts[5]} | {parts[6]} | {parts[7]} | {parts[8]} |");
        }
        Console.WriteLine();

        if (!args.Contains("--skip-peak"))
        {
            Console.WriteLine($"## Peak resident memory of {steps} steps (forward + backward) in a fresh process: VmHWM − VmRSS before the first step; glibc malloc defaults; children stopped above {capGb:F0} GB");
            Console.WriteLine();
            Console.WriteLine("| metric | N | side | peak RSS delta (MB) | peak RSS, whole process (MB) | CPU s per step | wall s per step | loss |");
            Console.WriteLine("|---|---:|---|---:|---:|---|---|---:|");
            var peaks = new Dictionary<(string, long, string), double>();
            foreach (var metric in metrics)
            {
                foreach (var size in sizes)
                {
                    foreach (var c in PairwiseCases.For(metric))
                    {
                        if (!c.IsGenerated && !c.Staged && size > oneGraphMax) continue;
                        var lines = new List<string>();
                        var result = Child(new[] { "--pairwise-peak-one", "--metric", metric, "--side", c.Side, "--n", size.ToString(CultureInfo.InvariantCulture), "--steps", steps }, capGb, lines.Add);
                        var line = lines.FirstOrDefault(l => l.StartsWith("@peak|", StringComparison.Ordinal));
                        if (line is null)
                        {
                            Console.WriteLine(FormattableString.Invariant(
                                $"| {metric} | {size:N0} | {c.Side} | {(result.Killed ? $"> {capGb * 1000:F0} (stopped)" : "failed (exit " + result.ExitCode + ")")} | {result.MaxRssMb:F0} seen | | | |"));
                            if (!result.Killed) rc |= 1;
                            continue;
                        }
                        var p = line.Split('|');
                        peaks[(metric, size, c.Side)] = double.Parse(p[4], CultureInfo.InvariantCulture);
                        Console.WriteLine($"| {metric} | {size:N0} | {c.Side} | {p[4]} | {p[5]} | {p[6].Replace(";", " / ")} | {p[7].Replace(";", " / ")} | {p[8]} |");
                    }
                }
            }
            Console.WriteLine();
            Console.WriteLine("| metric | N | peak RSS delta generated / hand-written staged | generated / hand-written one graph |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var metric in metrics)
            {
                var generated = PairwiseCases.For(metric).First(c => c.IsGenerated).Side;
                var staged = PairwiseCases.For(metric).First(c => !c.IsGenerated && c.Staged).Side;
                var whole = PairwiseCases.For(metric).First(c => !c.IsGenerated && !c.Staged).Side;
                foreach (var size in sizes)
                {
                    string Ratio(string side) => peaks.TryGetValue((metric, size, generated), out var g) && peaks.TryGetValue((metric, size, side), out var h) && h > 0
                        ? (g / h).ToString("F2", CultureInfo.InvariantCulture) : "–";
                    Console.WriteLine(FormattableString.Invariant($"| {metric} | {size:N0} | {Ratio(staged)} | {Ratio(whole)} |"));
                }
            }
            Console.WriteLine();
        }

        if (!args.Contains("--skip-paired"))
        {
            Console.WriteLine("## Time, generated / hand-written staged: paired rounds in one process (one step of each side per round, order alternating), process CPU time and wall time");
            Console.WriteLine();
            Console.WriteLine("| metric | N | generated, median CPU s | hand-written staged, median CPU s | CPU ratio, median of rounds | min–max of round ratios | wall ratio, median of rounds | rounds |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var metric in metrics)
            {
                foreach (var size in sizes)
                {
                    var lines = new List<string>();
                    int r = size <= 20_000 ? rounds : roundsLarge;
                    var result = Child(new[] { "--pairwise-paired-one", "--metric", metric, "--n", size.ToString(CultureInfo.InvariantCulture), "--rounds", r.ToString(CultureInfo.InvariantCulture) }, capGb, lines.Add);
                    var rows = lines.Where(l => l.StartsWith("@paired|", StringComparison.Ordinal)).Select(l => l.Split('|').Skip(4).Select(x => double.Parse(x, CultureInfo.InvariantCulture)).ToArray()).ToList();
                    if (rows.Count == 0)
                    {
                        Console.WriteLine(FormattableString.Invariant($"| {metric} | {size:N0} | {(result.Killed ? "stopped above the cap" : "failed")} | | | | | 0 |"));
                        continue;
                    }
                    var cpuRatios = rows.Select(x => x[0] / x[1]).ToList();
                    var wallRatios = rows.Select(x => x[2] / x[3]).ToList();
                    Console.WriteLine(FormattableString.Invariant(
                        $"| {metric} | {size:N0} | {Median(rows.Select(x => x[0])):F2} | {Median(rows.Select(x => x[1])):F2} | {Median(cpuRatios):F2} | {cpuRatios.Min():F2}–{cpuRatios.Max():F2} | {Median(wallRatios):F2} | {rows.Count} |"));
                }
            }
            Console.WriteLine();
        }
        Console.WriteLine(FormattableString.Invariant($"Total: {total.Elapsed.TotalMinutes:F1} min; load average at the end {RankingMeasure.LoadAverage()}."));
        return rc;
    }

    private static double Median(IEnumerable<double> values) => RankingMeasure.Quantile(values.ToList(), 0.5);

    private sealed record ChildResult(int ExitCode, bool Killed, double MaxRssMb);

    /// <summary>Runs this program with <paramref name="arguments"/>; each output line goes to <paramref name="line"/>; stopped above the cap.</summary>
    private static ChildResult Child(string[] arguments, double capGb, Action<string> line)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        bool killed = false;
        double maxRss = 0;
        var watchdog = new Thread(() =>
        {
            while (!process.HasExited)
            {
                try
                {
                    var rssLine = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
                    if (rssLine is not null)
                    {
                        double mb = long.Parse(rssLine.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024 / 1e6;
                        maxRss = Math.Max(maxRss, mb);
                        if (mb > capGb * 1000)
                        {
                            killed = true;
                            process.Kill();
                            return;
                        }
                    }
                }
                catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException) { }
                Thread.Sleep(100);
            }
        }) { IsBackground = true };
        watchdog.Start();
        string? text;
        while ((text = process.StandardOutput.ReadLine()) is not null) line(text);
        process.WaitForExit();
        watchdog.Join();
        return new ChildResult(process.ExitCode, killed, maxRss);
    }
}
