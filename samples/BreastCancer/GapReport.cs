using MetricLoss.Catalog;
using MetricLoss.Training;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BreastCancer;

/// <summary>
/// <c>--gap DIR</c>: how far the soft F1 the F1 model trains on is from the exact F1 it is judged by. Per step the
/// smooth and exact F1 of the batch (SurrogateGapMonitor), per epoch the held-out F1 through F1.Evaluator; written
/// as f1_gap_steps.csv, f1_gap_epochs.csv and f1_gap.png (ScottPlot).
/// </summary>
public static class GapReport
{
    /// <summary>Records one training step of the F1 run: F1.Smooth is 1 − the loss, Exact is computed on the same batch without a graph.</summary>
    public static void Step(SurrogateGapMonitor monitor, int epoch, Tensor logits, Tensor labels, Tensor loss)
    {
        using var noGrad = no_grad();
        var value = loss.item<float>();
        monitor.Step(epoch, 1 - value, F1.Exact(logits, labels), value, F1.Options.Default.Tau);
    }

    /// <summary>The held-out F1 after an epoch, through F1.Evaluator in batches of 32 (the model is put back in training mode).</summary>
    public static void Epoch(SurrogateGapMonitor monitor, int epoch, Sequential model, Split test)
    {
        using var logits = Trainer.Logits(model, test);
        model.train();
        var evaluator = new F1.Evaluator();
        RunResult.InBatches(logits, test.Labels, evaluator.Update);
        monitor.Epoch(epoch, evaluator.Compute());
    }

    public static void Write(SurrogateGapMonitor monitor, string folder)
    {
        Directory.CreateDirectory(folder);
        using (var steps = File.CreateText(Path.Combine(folder, "f1_gap_steps.csv"))) monitor.WriteSteps(steps);
        using (var epochs = File.CreateText(Path.Combine(folder, "f1_gap_epochs.csv"))) monitor.WriteEpochs(epochs);

        var means = monitor.EpochMeans();
        var plot = new ScottPlot.Plot();
        var xs = means.Select(m => (double)m.Epoch).ToArray();
        var smooth = plot.Add.Scatter(xs, means.Select(m => m.Smooth).ToArray());
        smooth.LegendText = "soft F1 of the training batches (mean per epoch)";
        smooth.MarkerSize = 0;
        var exact = plot.Add.Scatter(xs, means.Select(m => m.Exact).ToArray());
        exact.LegendText = "exact F1 of the same batches";
        exact.MarkerSize = 0;
        var heldOut = plot.Add.Scatter(monitor.Epochs.Select(e => (double)e.Epoch).ToArray(), monitor.Epochs.Select(e => e.DataSetExact).ToArray());
        heldOut.LegendText = "exact F1 of the held-out split (F1.Evaluator)";
        heldOut.LineWidth = 0;
        plot.XLabel("epoch");
        plot.YLabel("F1");
        plot.Title("Breast cancer, the F1 model: the surrogate gap during training");
        plot.ShowLegend(ScottPlot.Alignment.LowerRight);
        plot.SavePng(Path.Combine(folder, "f1_gap.png"), 900, 560);
    }
}
