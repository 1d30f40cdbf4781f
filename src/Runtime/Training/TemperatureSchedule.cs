using System;
using System.Linq;
using System.Reflection;

namespace MetricLoss.Training;

/// <summary>
/// How a metric's temperatures change over training: a scale s(step) of the temperatures of a base
/// <see cref="MetricOptions"/> (every option the definition uses as a temperature, <see cref="MetricOptionInfo.IsTemperature"/>).
/// A smaller τ makes the surrogate closer to the metric it relaxes (the surrogate gap shrinks: the relaxed comparison
/// σ(d/τ) tends to the step) but its gradient vanishes away from the ties (σ′(d/τ)/τ is about e^(−|d|/τ)/τ): start
/// from the definition's τ and anneal towards a small fraction of it, not to 0 (docs/training.md).
/// </summary>
/// <example>
/// <code>
/// var schedule = TemperatureSchedule.Cosine(finalScale: 0.1, steps: epochs * batchesPerEpoch);
/// var options = schedule.Apply(new RocAuc.Options(), step);   // from the base options each step
/// using var loss = RocAuc.Loss(scores, labels, options);
/// </code>
/// </example>
public abstract record TemperatureSchedule
{
    private protected TemperatureSchedule()
    {
    }

    /// <summary>The scale of the base temperatures at <paramref name="step"/> (0 for the first step).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public double Scale(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), step, "The step of a temperature schedule counts from 0.");
        return ScaleAt(step);
    }

    private protected abstract double ScaleAt(long step);

    /// <summary>s = <paramref name="scale"/> at every step (1: the base temperatures).</summary>
    /// <exception cref="ArgumentException"><paramref name="scale"/> is not a positive finite number.</exception>
    public static TemperatureSchedule Constant(double scale = 1) => new ConstantSchedule(RequireScale(scale, nameof(scale)));

    /// <summary>
    /// Geometric decay from 1 to <paramref name="finalScale"/> over <paramref name="steps"/> steps, then constant:
    /// s = finalScale^(min(step, steps)/steps), the same factor every step.
    /// </summary>
    /// <exception cref="ArgumentException">A scale that is not a positive finite number, or <paramref name="steps"/> below 1.</exception>
    public static TemperatureSchedule Exponential(double finalScale, long steps) =>
        new ExponentialSchedule(RequireScale(finalScale, nameof(finalScale)), RequireSteps(steps, nameof(steps)));

    /// <summary>
    /// Cosine annealing from 1 to <paramref name="finalScale"/> over <paramref name="steps"/> steps, then constant:
    /// s = f + (1 − f)·(1 + cos(π·min(step, steps)/steps))/2 (the learning-rate schedule of Loshchilov and Hutter,
    /// SGDR, ICLR 2017, without restarts): slow at both ends, fastest in the middle.
    /// </summary>
    /// <exception cref="ArgumentException">A scale that is not a positive finite number, or <paramref name="steps"/> below 1.</exception>
    public static TemperatureSchedule Cosine(double finalScale, long steps) =>
        new CosineSchedule(RequireScale(finalScale, nameof(finalScale)), RequireSteps(steps, nameof(steps)));

    /// <summary>
    /// s multiplied by <paramref name="factor"/> every <paramref name="every"/> steps, never below
    /// <paramref name="minimumScale"/>: s = max(factor^⌊step/every⌋, minimumScale).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="factor"/> not in (0, 1], a scale that is not a positive finite
    /// number, or <paramref name="every"/> below 1.</exception>
    public static TemperatureSchedule Step(double factor, long every, double minimumScale)
    {
        if (!(factor > 0 && factor <= 1)) throw new ArgumentException($"The factor of a step schedule must be in (0, 1], found {factor}.", nameof(factor));
        return new StepSchedule(factor, RequireSteps(every, nameof(every)), RequireScale(minimumScale, nameof(minimumScale)));
    }

    /// <summary>
    /// <paramref name="options"/> with each temperature option scaled by <see cref="Scale"/>(<paramref name="step"/>); the
    /// other settings as they are. Pass the base options every step (not the previous step's result, which would
    /// compound the scale).
    /// </summary>
    /// <typeparam name="TOptions">A generated metric's <c>Options</c> record.</typeparam>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">The options are not a generated metric's, or its definition has no temperature
    /// option (a temperature written as a number, <c>@ 0.1</c>, cannot be scheduled: declare it as an option).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public TOptions Apply<TOptions>(TOptions options, long step) where TOptions : MetricOptions
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        var scale = Scale(step);
        var info = InfoOf(options.GetType());
        var temperatures = info.Options.Where(o => o.IsTemperature).ToList();
        if (temperatures.Count == 0)
        {
            throw new ArgumentException(
                $"{info.Name}: no option is a temperature, so a schedule has nothing to set (a temperature written as a number, such as @ 0.1, cannot be scheduled: declare it as an option).",
                nameof(options));
        }
        var copy = (TOptions)options.GetType().GetMethod("<Clone>$")!.Invoke(options, null)!;
        foreach (var temperature in temperatures)
        {
            var property = options.GetType().GetProperty(temperature.Property)!;
            property.SetValue(copy, property.GetValue(options) switch
            {
                double value => value * scale,
                double[] values => values.Select(v => v * scale).ToArray(),
                var other => throw new ArgumentException($"{info.Name}: temperature option {temperature.Property} has type {other?.GetType().Name}, not a real number.", nameof(options)),
            });
        }
        return copy;
    }

    /// <summary>The metric an Options record belongs to: the static Info of the generated class that declares it.</summary>
    private static MetricInfo InfoOf(Type options) =>
        options.DeclaringType?.GetProperty("Info", BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as MetricInfo
        ?? throw new ArgumentException($"{options.FullName} is not the Options record of a generated metric (no static Info beside it).", nameof(options));

    private static double RequireScale(double scale, string name) =>
        scale > 0 && !double.IsInfinity(scale) ? scale : throw new ArgumentException($"A temperature scale must be a positive finite number, found {scale}.", name);

    private static long RequireSteps(long steps, string name) =>
        steps >= 1 ? steps : throw new ArgumentException($"A temperature schedule needs at least one step, found {steps}.", name);

    private sealed record ConstantSchedule(double Value) : TemperatureSchedule
    {
        private protected override double ScaleAt(long step) => Value;
    }

    private sealed record ExponentialSchedule(double FinalScale, long Steps) : TemperatureSchedule
    {
        private protected override double ScaleAt(long step) => Math.Pow(FinalScale, Math.Min(step, Steps) / (double)Steps);
    }

    private sealed record CosineSchedule(double FinalScale, long Steps) : TemperatureSchedule
    {
        private protected override double ScaleAt(long step) =>
            FinalScale + (1 - FinalScale) * (1 + Math.Cos(Math.PI * Math.Min(step, Steps) / Steps)) / 2;
    }

    private sealed record StepSchedule(double Factor, long Every, double MinimumScale) : TemperatureSchedule
    {
        private protected override double ScaleAt(long step) => Math.Max(Math.Pow(Factor, step / Every), MinimumScale);
    }
}
