using System.Globalization;
using Spectre.Console;

namespace Retrieval;

/// <summary>Mean and standard deviation over seeds of one loss's results.</summary>
public sealed record Summary(string Loss, double[] Mean, double[] Std, double[] RecallAt1CurveMean, double SecondsPerRun, int StepsPerRun, int Seeds)
{
    public static Summary Of(IReadOnlyList<RunResult> runs)
    {
        int ks = runs[0].FinalRecall.Length;
        var mean = new double[ks];
        var std = new double[ks];
        for (int k = 0; k < ks; k++)
            (mean[k], std[k]) = MeanStd(runs.Select(r => r.FinalRecall[k]).ToArray());
        int epochs = runs[0].RecallAt1ByEpoch.Length;
        var curve = Enumerable.Range(0, epochs).Select(e => runs.Average(r => r.RecallAt1ByEpoch[e])).ToArray();
        return new Summary(runs[0].Loss, mean, std, curve, runs.Average(r => r.TrainingTime.TotalSeconds), runs[0].Steps, runs.Count);
    }

    /// <summary>The reference row: the untrained network of each seed (epoch 0, before any step).</summary>
    public static Summary Untrained(IReadOnlyList<RunResult> oneRunPerSeed)
    {
        int ks = oneRunPerSeed[0].InitialRecall.Length;
        var mean = new double[ks];
        var std = new double[ks];
        for (int k = 0; k < ks; k++)
            (mean[k], std[k]) = MeanStd(oneRunPerSeed.Select(r => r.InitialRecall[k]).ToArray());
        return new Summary(UntrainedName, mean, std, [], 0, 0, oneRunPerSeed.Count);
    }

    public const string UntrainedName = "(untrained network)";

    /// <summary>Mean and sample standard deviation (n − 1; 0 for a single run).</summary>
    public static (double Mean, double Std) MeanStd(double[] values)
    {
        double mean = values.Average();
        double std = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return (mean, std);
    }
}

public static class Report
{
    static string Percent(double value) => (100 * value).ToString("0.0", CultureInfo.InvariantCulture);

    static string Cell(Summary s, int k) => $"{Percent(s.Mean[k])}±{Percent(s.Std[k])}";

    static string Seconds(double seconds) => seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";

    /// <summary>
    /// The results table (Spectre: boxed on a terminal, plain characters when redirected). Narrow enough for an
    /// 80-column log, the width Spectre assumes when output is redirected; the steps per run are in the text above.
    /// </summary>
    public static void Print(IReadOnlyList<Summary> summaries, int seeds, string dataName)
    {
        var table = new Table()
            .Title($"Test Recall@k (%), {dataName} 5–9: mean±std of {seeds} seeds")
            .AddColumn("Trained on")
            .AddColumn(new TableColumn("R@1").RightAligned())
            .AddColumn(new TableColumn("R@2").RightAligned())
            .AddColumn(new TableColumn("R@4").RightAligned())
            .AddColumn(new TableColumn("R@8").RightAligned())
            .AddColumn(new TableColumn("Time").RightAligned());
        foreach (var s in summaries)
        {
            table.AddRow(
                Markup.Escape(s.Loss), Cell(s, 0), Cell(s, 1), Cell(s, 2), Cell(s, 3),
                s.StepsPerRun == 0 ? "" : Seconds(s.SecondsPerRun));
        }
        AnsiConsole.Write(table);
    }

    /// <summary>The same numbers as tab-separated text (fractions, not percent), for scripts and diffs.</summary>
    public static void PrintPlain(IReadOnlyList<Summary> summaries, IReadOnlyList<RunResult> runs)
    {
        string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
        Console.WriteLine("loss\tr1_mean\tr1_std\tr2_mean\tr2_std\tr4_mean\tr4_std\tr8_mean\tr8_std\tsteps\tseconds_per_run");
        foreach (var s in summaries)
        {
            Console.WriteLine(string.Join('\t',
                new[] { s.Loss }
                    .Concat(Enumerable.Range(0, 4).SelectMany(k => new[] { F(s.Mean[k]), F(s.Std[k]) }))
                    .Concat([s.StepsPerRun.ToString(CultureInfo.InvariantCulture), s.SecondsPerRun.ToString("0.0", CultureInfo.InvariantCulture)])));
        }
        Console.WriteLine();
        Console.WriteLine("loss\tmean test R@1 after epoch 0 (untrained), 1, 2, ...");
        foreach (var s in summaries.Where(s => s.RecallAt1CurveMean.Length > 0))
            Console.WriteLine(string.Join('\t', new[] { s.Loss }.Concat(s.RecallAt1CurveMean.Select(F))));
        Console.WriteLine();
        Console.WriteLine("loss\tseed\tr1\tr2\tr4\tr8");
        foreach (var r in runs)
            Console.WriteLine(string.Join('\t', new[] { r.Loss, r.Seed.ToString(CultureInfo.InvariantCulture) }.Concat(r.FinalRecall.Select(F))));
    }

    /// <summary>Test Recall@1 against epoch, mean over seeds, one line per loss (ScottPlot), written as a PNG.</summary>
    public static void Plot(IReadOnlyList<Summary> summaries, string path, int seeds, string dataName)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var untrained = summaries.FirstOrDefault(s => s.Loss == Summary.UntrainedName);
        if (untrained is not null)
        {
            var reference = plot.Add.HorizontalLine(100 * untrained.Mean[0], 1, ScottPlot.Colors.Gray, ScottPlot.LinePattern.Dotted);
            reference.LegendText = "untrained network";
        }
        var curves = summaries.Where(s => s.RecallAt1CurveMean.Length > 0).ToList();
        for (int i = 0; i < curves.Count; i++)
        {
            var s = curves[i];
            double[] xs = Enumerable.Range(0, s.RecallAt1CurveMean.Length).Select(e => (double)e).ToArray();
            double[] ys = s.RecallAt1CurveMean.Select(v => 100 * v).ToArray();
            var line = plot.Add.Scatter(xs, ys, palette.GetColor(i));
            line.LegendText = s.Loss;
            line.LineWidth = 2;
            line.MarkerSize = 4;
            if (s.Loss.Contains("full batch", StringComparison.Ordinal)) line.LinePattern = ScottPlot.LinePattern.Dashed;
        }
        plot.Title($"{(dataName == "digits" ? "Digits" : dataName)} 5–9 retrieval (trained on 0–4): test Recall@1, mean of {seeds} seeds");
        plot.XLabel("epoch (full batch: 1 step per epoch)");
        plot.YLabel("Recall@1 (%)");
        plot.ShowLegend(ScottPlot.Alignment.LowerLeft);
        plot.Axes.SetLimitsX(0, curves.Max(c => c.RecallAt1CurveMean.Length - 1));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SavePng(path, 900, 560);
    }
}
