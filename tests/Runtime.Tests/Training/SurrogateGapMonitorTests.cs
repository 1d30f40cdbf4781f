using MetricLoss.Catalog;
using MetricLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Training;

public class SurrogateGapMonitorTests
{
    /// <summary>
    /// A linear model trained on ROC AUC with τ annealed from 0.5 to 0.005: the monitor records every step and each
    /// epoch's held-out value from an Evaluator, the gap |exact − smooth| of the last epoch is far below the first's,
    /// and the CSVs hold exactly what was recorded.
    /// </summary>
    [Fact]
    public void A_training_run_records_the_gap_shrinking_as_tau_anneals()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var labels = rand(new long[] { 256 }, generator: generator).lt(0.3);
        var features = randn(new long[] { 256, 2 }, generator: generator).add(labels.unsqueeze(1).to_type(ScalarType.Float32), KeptScalars.One);
        var (train, test) = (Enumerable.Range(0, 192).ToArray(), Enumerable.Range(192, 64).ToArray());
        var weights = new TorchSharp.Modules.Parameter(zeros(new long[] { 2 }));
        using var optimizer = optim.Adam(new[] { weights }, lr: 0.05);
        const int epochs = 10;
        var schedule = TemperatureSchedule.Exponential(finalScale: 0.01, steps: epochs * 3 - 1);
        var baseOptions = new RocAuc.Options { Tau = 0.5 };
        var monitor = new SurrogateGapMonitor("RocAuc");

        var step = 0L;
        for (var epoch = 0; epoch < epochs; epoch++)
        {
            foreach (var batch in train.Chunk(64))
            {
                using var stepScope = NewDisposeScope();
                using var rows = tensor(batch.Select(b => (long)b).ToArray());
                var x = features.index_select(0, rows);
                var y = labels.index_select(0, rows);
                var scores = x.mv(weights);
                var options = schedule.Apply(baseOptions, step++);
                var loss = RocAuc.Loss(scores, y, options);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                var smooth = 1 - loss.item<float>();
                monitor.Step(epoch, smooth, RocAuc.Exact(scores, y), loss.item<float>(), options.Tau);
            }
            var evaluator = new RocAuc.Evaluator();
            using (var noGrad = no_grad())
            using (var rows = tensor(test.Select(b => (long)b).ToArray()))
            {
                evaluator.Update(features.index_select(0, rows).mv(weights), labels.index_select(0, rows));
            }
            monitor.Epoch(epoch, evaluator.Compute());
        }

        Assert.Equal(epochs * 3, monitor.Steps.Count);
        Assert.Equal(epochs, monitor.Epochs.Count);
        var means = monitor.EpochMeans();
        Assert.True(Math.Abs(means[^1].Gap) < Math.Abs(means[0].Gap) / 5, $"mean gap per epoch: {string.Join(", ", means.Select(m => m.Gap))}");
        Assert.True(monitor.Epochs[^1].DataSetExact > 0.7, $"held-out AUC {monitor.Epochs[^1].DataSetExact}");

        var steps = new StringWriter();
        monitor.WriteSteps(steps);
        var lines = steps.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("step,epoch,smooth,exact,gap,loss,tau", lines[0]);
        Assert.Equal(epochs * 3 + 1, lines.Length);
        var last = monitor.Steps[^1];
        Assert.Equal(FormattableString.Invariant($"{last.Step},{last.Epoch},{last.Smooth:R},{last.Exact:R},{last.Gap:R},{last.Loss:R},{last.Temperature:R}"), lines[^1]);
        var epochLines = new StringWriter();
        monitor.WriteEpochs(epochLines);
        Assert.StartsWith("epoch,dataset_exact\n0,", epochLines.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Values_that_are_not_finite_are_refused_by_name()
    {
        var monitor = new SurrogateGapMonitor("F1");
        Assert.Equal("smooth", Assert.Throws<ArgumentException>(() => monitor.Step(0, double.NaN, 0.5, 0.5, 1)).ParamName);
        Assert.Equal("temperature", Assert.Throws<ArgumentException>(() => monitor.Step(0, 0.5, 0.5, 0.5, double.PositiveInfinity)).ParamName);
        Assert.Equal("epoch", Assert.Throws<ArgumentException>(() => monitor.Epoch(-1, 0.5)).ParamName);
        Assert.StartsWith("F1: dataSetExact is NaN", Assert.Throws<ArgumentException>(() => monitor.Epoch(0, double.NaN)).Message);
        Assert.Throws<ArgumentException>(() => new SurrogateGapMonitor(" "));
        Assert.Empty(monitor.Steps);
    }
}
