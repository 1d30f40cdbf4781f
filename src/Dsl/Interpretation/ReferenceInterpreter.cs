using System;
using System.Collections.Generic;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// The reference interpreter: evaluates any bound metric in double precision on small inputs, as the
/// exact evaluator and as the smooth surrogate, following docs/language.md's semantics table literally.
/// It is the oracle of the differential tests of generated code, so it favours plainness over speed:
/// dense loops over every index assignment, statements materialised in full.
/// </summary>
/// <remarks>
/// Inputs are keyed by parameter name; <c>bool</c> inputs hold 0/1, <c>int</c> and <c>index&lt;c&gt;</c>
/// inputs whole numbers. Options are keyed by name (a scalar option is a one-element array); an option
/// not given takes its default. Every problem with the arguments is an <see cref="ArgumentException"/>
/// naming the metric and the input or option.
/// </remarks>
public static class ReferenceInterpreter
{
    /// <summary>The exact value of the metric: hard comparisons, a / 0 = 0. NaN in any input is rejected.</summary>
    /// <exception cref="ArgumentException">Missing, extra or ill-shaped inputs, bad label/index values, NaN, bad options.</exception>
    public static double Exact(BoundMetric metric, IReadOnlyDictionary<string, DenseArray> inputs, IReadOnlyDictionary<string, double[]>? options = null)
    {
        var run = InputValidator.Validate(metric, inputs, options, rejectNaN: true);
        // The exact program never reads the settings (no relaxation, no ε); the interpolation of an
        // `interpolate` metric replaces only its smooth program, so its exact value is computed as usual.
        return ProgramEvaluator.Run(run, EvaluationMode.Exact, InterpreterSettings.Default);
    }

    /// <summary>
    /// The smooth surrogate's value of the metric (before the maximize/minimize direction is applied):
    /// score-dependent comparisons and steps relaxed, divisions and sqrt/log/log2 guarded by ε.
    /// </summary>
    /// <exception cref="ArgumentException">As for <see cref="Exact"/> (NaN scores excepted), or a temperature that is not positive.</exception>
    /// <exception cref="NotSupportedException">The metric is an <c>interpolate</c> (UniLoss) metric.</exception>
    public static double Smooth(
        BoundMetric metric,
        IReadOnlyDictionary<string, DenseArray> inputs,
        IReadOnlyDictionary<string, double[]>? options = null,
        InterpreterSettings? settings = null)
    {
        if (metric is null) throw new ArgumentNullException(nameof(metric));
        if (metric.IsInterpolated)
        {
            throw new NotSupportedException(
                $"metric `{metric.Name}` is an `interpolate` (UniLoss) metric: its smooth surrogate is the interpolation through " +
                "randomly drawn anchor configurations, which is implemented by the generated code only (not yet available); " +
                "the reference interpreter evaluates it exactly only (ReferenceInterpreter.Exact)");
        }
        settings ??= InterpreterSettings.Default;
        settings.Validate();
        var run = InputValidator.Validate(metric, inputs, options, rejectNaN: false);
        return ProgramEvaluator.Run(run, EvaluationMode.Smooth, settings);
    }

    /// <summary>The surrogate loss: 1 − <see cref="Smooth"/> for a <c>maximize</c> metric, <see cref="Smooth"/> for <c>minimize</c>.</summary>
    /// <exception cref="ArgumentException">As for <see cref="Smooth"/>.</exception>
    /// <exception cref="NotSupportedException">The metric is an <c>interpolate</c> (UniLoss) metric.</exception>
    public static double Loss(
        BoundMetric metric,
        IReadOnlyDictionary<string, DenseArray> inputs,
        IReadOnlyDictionary<string, double[]>? options = null,
        InterpreterSettings? settings = null)
    {
        var smooth = Smooth(metric, inputs, options, settings);
        return metric.Direction == GoalDirection.Maximize ? 1 - smooth : smooth;
    }
}
