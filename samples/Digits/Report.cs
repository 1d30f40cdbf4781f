using System.Globalization;
using MetricLoss.Catalog;
using Spectre.Console;
using static TorchSharp.torch;

namespace Digits;

/// <summary>Exact held-out (and training) accuracy of one trained model, and how long its training took.</summary>
public sealed record RunResult(string Loss, long Seed, double TestAccuracy, double TrainAccuracy, TimeSpan TrainingTime)
{
    /// <summary>
    /// Accuracy from the generated exact evaluator <c>TopKAccuracy.Exact</c> with k = 1: a row is correct when no
    /// other class's logit is strictly greater than the target's. <c>AccuracyInterpolated.Exact</c> (strict: the
    /// target must beat every other class) is computed too; the two differ only on exact ties, which
    /// <see cref="Ties"/> reports.
    /// </summary>
    public static RunResult Evaluate(string loss, long seed, Tensor testLogits, Tensor testLabels,
        Tensor trainLogits, Tensor trainLabels, TimeSpan trainingTime)
    {
        double test = TopKAccuracy.Exact(testLogits, testLabels);
        double strict = AccuracyInterpolated.Exact(testLogits, testLabels);
        double train = TopKAccuracy.Exact(trainLogits, trainLabels);
        return new(loss, seed, test, train, trainingTime) { Ties = test != strict };
    }

    /// <summary>True when some held-out row's target logit ties with another class's (never seen in practice).</summary>
    public bool Ties { get; init; }
}

/// <summary>One loss over all seeds.</summary>
public sealed record Summary(string Loss, double Mean, double Std, double[] PerSeed, double TrainMean, TimeSpan MeanTime)
{
    public static IReadOnlyList<Summary> Of(IReadOnlyList<RunResult> results) =>
        results.GroupBy(r => r.Loss).Select(g =>
        {
            var test = g.Select(r => r.TestAccuracy).ToArray();
            double mean = test.Average();
            // Sample standard deviation (n − 1), the spread a reader would compute from the per-seed column.
            double std = test.Length > 1 ? Math.Sqrt(test.Sum(a => (a - mean) * (a - mean)) / (test.Length - 1)) : 0;
            return new Summary(g.Key, mean, std, test, g.Average(r => r.TrainAccuracy),
                TimeSpan.FromTicks((long)g.Average(r => r.TrainingTime.Ticks)));
        }).ToList();
}

public static class Report
{
    static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
    static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    /// <summary>A Spectre table; on a terminal it is boxed, when redirected Spectre falls back to 80 columns.</summary>
    public static void Print(IReadOnlyList<RunResult> results, IReadOnlyList<long> seeds)
    {
        var table = new Table()
            .Title($"Held-out exact accuracy, seeds {string.Join(", ", seeds)}")
            .AddColumn("Trained on")
            .AddColumn(new TableColumn("mean ± std").RightAligned())
            .AddColumn(new TableColumn("per seed").RightAligned())
            .AddColumn(new TableColumn("train").RightAligned())
            .AddColumn(new TableColumn("time/run").RightAligned());

        foreach (var s in Summary.Of(results))
            table.AddRow(
                Markup.Escape(s.Loss),
                $"{Number(s.Mean)} ± {Number(s.Std)}",
                string.Join(" ", s.PerSeed.Select(a => a.ToString("0.000", CultureInfo.InvariantCulture))),
                Number(s.TrainMean),
                Seconds(s.MeanTime));

        AnsiConsole.Write(table);
        if (results.Any(r => r.Ties))
            AnsiConsole.WriteLine("Note: some held-out rows have tied logits; they count as correct above (no strictly greater class).");
    }

    /// <summary>The numbers of every run as tab-separated text, for scripts and for diffing two runs.</summary>
    public static void PrintPlain(IReadOnlyList<RunResult> results)
    {
        Console.WriteLine("loss\tseed\ttest_accuracy\ttrain_accuracy\ttrain_seconds");
        foreach (var r in results)
            Console.WriteLine(string.Join('\t', r.Loss, r.Seed.ToString(CultureInfo.InvariantCulture),
                Number(r.TestAccuracy), Number(r.TrainAccuracy),
                r.TrainingTime.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)));
        foreach (var s in Summary.Of(results))
            Console.WriteLine($"{s.Loss}\tmean\t{Number(s.Mean)}\t{Number(s.TrainMean)}\tstd {Number(s.Std)}");
    }
}
