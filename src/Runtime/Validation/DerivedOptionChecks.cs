using System;
using System.ComponentModel;
using System.Globalization;
using System.Linq;

namespace MetricLoss.Runtime;

/// <summary>
/// Checks of values computed from options (a temperature written as arithmetic, a cut-off compared with a count,
/// a constant divisor), called from each generated Options record; the binder checked the defaults at build time.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DerivedOptionChecks
{
    /// <summary>Finite and at least (or, when <paramref name="strict"/>, greater than) <paramref name="bound"/>.</summary>
    public static bool Holds(double value, double bound, bool strict) =>
        !double.IsNaN(value) && !double.IsInfinity(value) && (strict ? value > bound : value >= bound);

    /// <summary>"F1: the temperature `tau - 1` must be positive and finite; it is -0.5 with Tau = 0.5".</summary>
    /// <param name="parameter">The options read, for <see cref="ArgumentException.ParamName"/>.</param>
    public static ArgumentException Failure(string metric, string subject, string condition, double value, string[] names, double[] values, string parameter)
    {
        var options = string.Join(", ", names.Select((name, i) => $"{name} = {Format(values[i])}"));
        return new ArgumentException($"{metric}: {subject} must be {condition}; it is {Format(value)} with {options}", parameter);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
