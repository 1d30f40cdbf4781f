using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using MetricLoss.Catalog;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks;

/// <summary>
/// <c>--paired</c>: the generated / hand-written time ratio measured in interleaved rounds.
/// <para>
/// BenchmarkDotNet measures one case to the end before it starts the next, so on a machine shared with
/// other work a change of load between the two sides of a comparison goes straight into the ratio. Here
/// each round times a batch of calls of one side, then a batch of the other (the order alternates from
/// round to round), on the same inputs, after a warm-up; a round's ratio compares two batches run within
/// a few tens of milliseconds of each other. The reported ratio is the median over the rounds, with its
/// interquartile range.
/// </para>
/// </summary>
public static class Paired
{
    private const double BatchSeconds = 0.02;

    public static int Run(string[] args)
    {
        int rounds = 41;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i], CultureInfo.InvariantCulture);
        }
        Console.WriteLine($"Interleaved rounds: {rounds}, batches of about {BatchSeconds * 1000:F0} ms per side and round.");
        Console.WriteLine();
        Console.WriteLine("| comparison | N | hand-written, median per call | generated, median per call | ratio generated / hand-written: median of rounds | IQR of round ratios |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var group in Comparisons.Surrogates.GroupBy(c => c.Comparison))
        {
            var hand = group.First(c => !c.IsGenerated);
            var gen = group.First(c => c.IsGenerated);
            foreach (var n in new long[] { 1_000, 100_000, 1_000_000 })
            {
                using var inputs = new Inputs(n, hand.Probabilities, requiresGrad: true);
                Action a = () => Step(hand, inputs);
                Action b = () => Step(gen, inputs);
                Print(group.Key, n, Measure(a, b, rounds));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| exact F1 | N | hand-written TorchSharp, median per call | generated F1.Exact | plain C# loop | generated / hand-written TorchSharp (median of rounds) | IQR |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var n in new long[] { 1_000, 1_000_000 })
        {
            using var inputs = new Inputs(n, probabilities: false, requiresGrad: false);
            var score = inputs.Score.data<float>().ToArray();
            var label = inputs.Label.data<bool>().ToArray();
            double sink = 0;
            Action torchSide = () => sink += HandWritten.ExactF1(inputs.Score, inputs.Label);
            Action genSide = () => sink += F1.Exact(inputs.Score, inputs.Label);
            Action loopSide = () => sink += HandWritten.ExactF1(score, label);
            var r = Measure(torchSide, genSide, rounds);
            var loop = Measure(torchSide, loopSide, rounds);
            Console.WriteLine(FormattableString.Invariant(
                $"| F1 | {n:N0} | {Time(r.A)} | {Time(r.B)} | {Time(loop.B)} | {r.Ratio:F2} | {r.Q1:F2}–{r.Q3:F2} |"));
            GC.KeepAlive(sink);
        }
        return 0;
    }

    private static void Step(SurrogateCase c, Inputs inputs)
    {
        using (var scope = NewDisposeScope())
        {
            var loss = c.Loss(inputs.Score, inputs.Target);
            loss.backward();
        }
        inputs.Score.grad = null;
    }

    private readonly record struct Result(double A, double B, double Ratio, double Q1, double Q3);

    private static Result Measure(Action a, Action b, int rounds)
    {
        // Warm-up (JIT tiers, allocator) and calibration of the batch size from the slower side.
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.Elapsed.TotalSeconds < 0.3 || calls < 5) { a(); b(); calls++; }
        double perPair = watch.Elapsed.TotalSeconds / calls;
        int batch = Math.Max(1, (int)(BatchSeconds / (perPair / 2)));

        var ta = new List<double>();
        var tb = new List<double>();
        var ratios = new List<double>();
        for (int r = 0; r < rounds; r++)
        {
            double x, y;
            if (r % 2 == 0) { x = Time(a, batch); y = Time(b, batch); }
            else { y = Time(b, batch); x = Time(a, batch); }
            ta.Add(x);
            tb.Add(y);
            ratios.Add(y / x);
        }
        ta.Sort();
        tb.Sort();
        ratios.Sort();
        return new Result(Median(ta), Median(tb), Median(ratios), Quantile(ratios, 0.25), Quantile(ratios, 0.75));
    }

    private static double Time(Action action, int batch)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < batch; i++) action();
        return Stopwatch.GetElapsedTime(start).TotalSeconds / batch;
    }

    private static double Median(List<double> sorted) => Quantile(sorted, 0.5);

    private static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }

    private static void Print(string comparison, long n, Result r) =>
        Console.WriteLine(FormattableString.Invariant(
            $"| {comparison} | {n:N0} | {Time(r.A)} | {Time(r.B)} | {r.Ratio:F2} | {r.Q1:F2}–{r.Q3:F2} |"));

    private static string Time(double seconds) =>
        seconds >= 1e-3
            ? (seconds * 1e3).ToString("F2", CultureInfo.InvariantCulture) + " ms"
            : (seconds * 1e6).ToString("F1", CultureInfo.InvariantCulture) + " μs";
}
