using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace MetricLoss.Training;

/// <summary>One training step as the monitor saw it: the smooth and the exact metric of the same batch, the loss and τ.</summary>
/// <param name="Step">0 for the first step recorded.</param>
/// <param name="Epoch">The epoch the step belongs to.</param>
/// <param name="Smooth">The surrogate's value on the batch (<c>Smooth</c>).</param>
/// <param name="Exact">The metric's exact value on the same batch (<c>Exact</c>, no graph).</param>
/// <param name="Loss">The loss trained on.</param>
/// <param name="Temperature">The temperature in force (a schedule's scaled τ, or the definition's).</param>
public sealed record GapStep(long Step, int Epoch, double Smooth, double Exact, double Loss, double Temperature)
{
    /// <summary>Exact − Smooth: how far the surrogate trained on is from the metric judged by, on this batch.</summary>
    public double Gap => Exact - Smooth;
}

/// <summary>One epoch's value of the metric on a whole data set (an <c>Evaluator</c>'s Compute).</summary>
public sealed record GapEpoch(int Epoch, double DataSetExact);

/// <summary>
/// The surrogate gap over training: per step the smooth and exact values of the same batch, the loss and τ; per epoch
/// the exact metric of a data set (from a metric's <c>Evaluator</c>). Written as CSV for plots and logs; the samples
/// plot it (samples/BreastCancer, <c>--gap</c>). Records only numbers: the caller computes them, so the monitor holds
/// no tensor and adds no host sync of its own.
/// </summary>
public sealed class SurrogateGapMonitor
{
    private readonly List<GapStep> _steps = new();
    private readonly List<GapEpoch> _epochs = new();

    /// <summary>A monitor of <paramref name="metric"/> (its name labels the files and errors).</summary>
    public SurrogateGapMonitor(string metric)
    {
        Metric = string.IsNullOrWhiteSpace(metric) ? throw new ArgumentException("A monitor needs the metric's name.", nameof(metric)) : metric;
    }

    /// <summary>The metric monitored.</summary>
    public string Metric { get; }

    /// <summary>The steps recorded, in order.</summary>
    public IReadOnlyList<GapStep> Steps => _steps;

    /// <summary>The epochs recorded, in order.</summary>
    public IReadOnlyList<GapEpoch> Epochs => _epochs;

    /// <summary>Records one step.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite, or the epoch is negative.</exception>
    public void Step(int epoch, double smooth, double exact, double loss, double temperature)
    {
        RequireEpoch(epoch);
        RequireFinite(smooth, nameof(smooth));
        RequireFinite(exact, nameof(exact));
        RequireFinite(loss, nameof(loss));
        RequireFinite(temperature, nameof(temperature));
        _steps.Add(new GapStep(_steps.Count, epoch, smooth, exact, loss, temperature));
    }

    /// <summary>Records the exact metric of a whole data set at the end of an epoch.</summary>
    /// <exception cref="ArgumentException">The value is NaN or infinite, or the epoch is negative.</exception>
    public void Epoch(int epoch, double dataSetExact)
    {
        RequireEpoch(epoch);
        RequireFinite(dataSetExact, nameof(dataSetExact));
        _epochs.Add(new GapEpoch(epoch, dataSetExact));
    }

    /// <summary>Per epoch, the mean smooth and exact values and the mean gap of its steps.</summary>
    public IReadOnlyList<(int Epoch, double Smooth, double Exact, double Gap)> EpochMeans() =>
        _steps.GroupBy(s => s.Epoch)
            .Select(g => (g.Key, g.Average(s => s.Smooth), g.Average(s => s.Exact), g.Average(s => s.Gap)))
            .ToList();

    /// <summary>The steps as CSV: <c>step,epoch,smooth,exact,gap,loss,tau</c>, invariant culture, round-trip numbers.</summary>
    public void WriteSteps(TextWriter writer)
    {
        if (writer is null) throw new ArgumentNullException(nameof(writer));
        writer.WriteLine("step,epoch,smooth,exact,gap,loss,tau");
        foreach (var s in _steps)
        {
            writer.WriteLine(string.Join(",", s.Step.ToString(CultureInfo.InvariantCulture), s.Epoch.ToString(CultureInfo.InvariantCulture),
                Number(s.Smooth), Number(s.Exact), Number(s.Gap), Number(s.Loss), Number(s.Temperature)));
        }
    }

    /// <summary>The epochs as CSV: <c>epoch,dataset_exact</c>.</summary>
    public void WriteEpochs(TextWriter writer)
    {
        if (writer is null) throw new ArgumentNullException(nameof(writer));
        writer.WriteLine("epoch,dataset_exact");
        foreach (var e in _epochs) writer.WriteLine($"{e.Epoch.ToString(CultureInfo.InvariantCulture)},{Number(e.DataSetExact)}");
    }

    private void RequireEpoch(int epoch)
    {
        if (epoch < 0) throw new ArgumentException($"{Metric}: the epoch must not be negative, found {epoch}.", nameof(epoch));
    }

    private void RequireFinite(double value, string name)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) throw new ArgumentException($"{Metric}: {name} is {value}; the monitor records finite values.", name);
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
