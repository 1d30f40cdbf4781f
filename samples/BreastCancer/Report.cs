using System.Globalization;
using Catalog = MetricLoss.Catalog;
using Spectre.Console;
using static TorchSharp.torch;

namespace BreastCancer;

/// <summary>Exact held-out metrics of one trained model, and how long its training took.</summary>
public sealed record RunResult(string Loss, double F1, double Accuracy, double Mcc, double Informedness, TimeSpan TrainingTime)
{
    /// <summary>
    /// Every model is evaluated the same way: hard predictions <c>logit &gt; 0</c> (the generated
    /// <c>Exact</c> evaluators, default Threshold = 0). For the AnyLoss model this is the same rule as
    /// <c>sigmoid(logit) &gt; 0.5</c>, the threshold AnyLoss trains for, without float32 rounding of
    /// the sigmoid near 0.5. The test split goes through each metric's <c>Evaluator</c> in batches of 32, as a
    /// validation loader would deliver it: the evaluator joins the batches, so each value is the metric of the whole
    /// split (not a mean of batch values).
    /// </summary>
    public static RunResult Evaluate(string loss, Tensor logits, Tensor labels, TimeSpan trainingTime)
    {
        var f1 = new Catalog.F1.Evaluator();
        var accuracy = new Catalog.Accuracy.Evaluator();
        var mcc = new Catalog.Mcc.Evaluator();
        var informedness = new BreastCancer.Informedness.Evaluator(); // this sample's own [Metric]
        InBatches(logits, labels, (x, y) =>
        {
            f1.Update(x, y);
            accuracy.Update(x, y);
            mcc.Update(x, y);
            informedness.Update(x, y);
        });
        return new(loss, f1.Compute(), accuracy.Compute(), mcc.Compute(), informedness.Compute(), trainingTime);
    }

    /// <summary>Hands (logits, labels) to <paramref name="update"/> in batches of 32 rows, as a validation loader would.</summary>
    public static void InBatches(Tensor logits, Tensor labels, Action<Tensor, Tensor> update)
    {
        const long batch = 32;
        for (long start = 0; start < logits.shape[0]; start += batch)
        {
            using var scope = NewDisposeScope();
            var length = Math.Min(batch, logits.shape[0] - start);
            update(logits.narrow(0, start, length), labels.narrow(0, start, length));
        }
    }
}

public static class Report
{
    static string Number(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
    static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) + " s";

    /// <summary>A Spectre table; on a terminal it is boxed, when redirected Spectre falls back to plain characters.</summary>
    public static void Print(IReadOnlyList<RunResult> results)
    {
        // Narrow enough for an 80-column log: Spectre assumes 80 columns when output is redirected.
        var table = new Table()
            .Title("Held-out exact metrics (positive = malignant, predicted: logit > 0)")
            .AddColumn("Trained on")
            .AddColumn(new TableColumn("F1").RightAligned())
            .AddColumn(new TableColumn("Accuracy").RightAligned())
            .AddColumn(new TableColumn("MCC").RightAligned())
            .AddColumn(new TableColumn("Informedness").RightAligned())
            .AddColumn(new TableColumn("Time").RightAligned());

        foreach (var r in results)
            table.AddRow(
                Markup.Escape(r.Loss), Number(r.F1), Number(r.Accuracy), Number(r.Mcc), Number(r.Informedness),
                Seconds(r.TrainingTime));

        AnsiConsole.Write(table);
    }

    /// <summary>The same numbers as tab-separated text, for scripts and for diffing two runs.</summary>
    public static void PrintPlain(IReadOnlyList<RunResult> results)
    {
        Console.WriteLine("loss\tf1\taccuracy\tmcc\tinformedness\ttrain_seconds");
        foreach (var r in results)
            Console.WriteLine(string.Join('\t', r.Loss, Number(r.F1), Number(r.Accuracy), Number(r.Mcc),
                Number(r.Informedness), r.TrainingTime.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture)));
    }
}
