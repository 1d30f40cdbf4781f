using System.Globalization;
using Spectre.Console;

namespace Imbalanced;

/// <summary>One (task, loss, seed) run's held-out scores and training time (evaluation excluded).</summary>
public sealed record RunResult(string Task, string Loss, long Seed, Scores Scores, TimeSpan TrainingTime);

public static class Report
{
    private static readonly (string Name, Func<Scores, double> Value)[] Columns =
    [
        ("F1 @0", s => s.F1Fixed),
        ("F1 tuned", s => s.F1Tuned),
        ("ROC AUC", s => s.RocAuc),
        ("AP", s => s.AveragePrecision),
    ];

    /// <summary>Mean and sample standard deviation (n − 1; 0 for one value).</summary>
    public static (double Mean, double Std) MeanStd(IReadOnlyList<double> values)
    {
        double mean = values.Average();
        double std = values.Count > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1)) : 0;
        return (mean, std);
    }

    static string Signed(IReadOnlyList<double> values)
    {
        var (mean, std) = MeanStd(values);
        return FormattableString.Invariant($"{mean:+0.000;-0.000;0.000}±{std:0.000}");
    }

    static string Cell(IEnumerable<double> values)
    {
        var (mean, std) = MeanStd(values.ToList());
        return FormattableString.Invariant($"{mean:0.000}±{std:0.000}");
    }

    /// <summary>
    /// The task's table: mean ± std over seeds of each score, and in how many seeds the loss's tuned-threshold F1
    /// beats tuned-threshold BCE of the same seed (a paired count: same data draw, same initial weights).
    /// </summary>
    public static void Print(string task, IReadOnlyList<string> order, IReadOnlyList<RunResult> runs, int seeds)
    {
        var table = new Table().Title($"{task}: test scores, mean±std of {seeds} seeds")
            .AddColumn("Trained on");
        foreach (var (name, _) in Columns) table.AddColumn(new TableColumn(name).RightAligned());
        table.AddColumn(new TableColumn("s/run").RightAligned());
        var reference = runs.Where(r => r.Loss == "BCE").ToDictionary(r => r.Seed);
        foreach (var loss in order)
        {
            var mine = runs.Where(r => r.Loss == loss).OrderBy(r => r.Seed).ToList();
            table.AddRow(new[] { Markup.Escape(loss) }
                .Concat(Columns.Select(c => Cell(mine.Select(r => c.Value(r.Scores)))))
                .Append(mine.Average(r => r.TrainingTime.TotalSeconds).ToString("0.0", CultureInfo.InvariantCulture))
                .ToArray());
        }
        AnsiConsole.Write(table);
        AnsiConsole.WriteLine("F1 @0: logit > 0. F1 tuned: threshold maximising validation F1. s/run: training time of one run.");
        if (reference.Count == 0) return;

        // Paired differences: the same seed means the same data draw and the same initial weights, so the spread of
        // the difference is much smaller than the spread of either score.
        var pairedTable = new Table().Title($"{task}: minus BCE of the same seed, mean±std of the {seeds} differences (seeds above BCE)")
            .AddColumn("Trained on");
        foreach (var (name, _) in Columns) pairedTable.AddColumn(new TableColumn(name).RightAligned());
        foreach (var loss in order.Where(l => l != "BCE"))
        {
            var mine = runs.Where(r => r.Loss == loss && reference.ContainsKey(r.Seed)).ToList();
            pairedTable.AddRow(new[] { Markup.Escape(loss) }.Concat(Columns.Select(c =>
            {
                var d = mine.Select(r => c.Value(r.Scores) - c.Value(reference[r.Seed].Scores)).ToList();
                return $"{Signed(d)} ({d.Count(v => v > 0)})";
            })).ToArray());
        }
        AnsiConsole.Write(pairedTable);
    }

    /// <summary>The same as tab-separated text (one row per loss: mean and std of each column).</summary>
    public static void PrintPlain(string task, IReadOnlyList<string> order, IReadOnlyList<RunResult> runs)
    {
        Console.WriteLine("task\tloss\t" + string.Join('\t', Columns.SelectMany(c => new[] { c.Name + " mean", c.Name + " std" })) + "\tseconds_per_run");
        foreach (var loss in order)
        {
            var mine = runs.Where(r => r.Loss == loss).ToList();
            var cells = Columns.SelectMany(c =>
            {
                var (m, sd) = MeanStd(mine.Select(r => c.Value(r.Scores)).ToList());
                return new[] { m, sd };
            }).Select(v => v.ToString("0.0000", CultureInfo.InvariantCulture));
            Console.WriteLine($"{task}\t{loss}\t{string.Join('\t', cells)}\t{mine.Average(r => r.TrainingTime.TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture)}");
        }
    }

    /// <summary>Reads back the runs written by <see cref="WriteRuns"/> (to print the tables again without training).</summary>
    public static List<RunResult> ReadRuns(string path) =>
        File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(line =>
        {
            var f = line.Split('\t');
            double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
            return new RunResult(f[0], f[1], long.Parse(f[2], CultureInfo.InvariantCulture),
                new Scores(D(3), D(4), D(5), D(6), D(7)), TimeSpan.FromSeconds(D(8)));
        }).ToList();

    /// <summary>Every run as one line (for per-seed and paired comparisons).</summary>
    public static void WriteRuns(string path, IReadOnlyList<RunResult> runs)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("task\tloss\tseed\tf1_fixed\tf1_tuned\tthreshold\troc_auc\tap\tseconds");
        foreach (var r in runs.OrderBy(r => r.Task, StringComparer.Ordinal).ThenBy(r => r.Loss, StringComparer.Ordinal).ThenBy(r => r.Seed))
        {
            var s = r.Scores;
            writer.WriteLine(string.Join('\t', new object[] { r.Task, r.Loss, r.Seed, s.F1Fixed, s.F1Tuned, s.Threshold, s.RocAuc, s.AveragePrecision, r.TrainingTime.TotalSeconds }
                .Select(v => v is double d ? d.ToString("R", CultureInfo.InvariantCulture) : Convert.ToString(v, CultureInfo.InvariantCulture))));
        }
    }
}
