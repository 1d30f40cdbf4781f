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
    /// <param name="value">The value computed from the options.</param>
    /// <param name="bound">The least value allowed (excluded when <paramref name="strict"/>).</param>
    /// <param name="strict">Whether the value must exceed the bound rather than reach it.</param>
    public static bool Holds(double value, double bound, bool strict) =>
        !double.IsNaN(value) && !double.IsInfinity(value) && (strict ? value > bound : value >= bound);

    /// <summary>"F1: the temperature `tau - 1` must be positive and finite; it is -0.5 with Tau = 0.5".</summary>
    /// <param name="metric">The metric's name, first in the message.</param>
    /// <param name="subject">What the value is: "the temperature `tau - 1`".</param>
    /// <param name="condition">What it must be: "positive and finite".</param>
    /// <param name="value">The value computed from the options.</param>
    /// <param name="names">The options (or option entries) it read, as properties: "Tau", "K[2]".</param>
    /// <param name="values">Their values, in the order of <paramref name="names"/>.</param>
    /// <param name="parameter">The options read, for <see cref="ArgumentException.ParamName"/>.</param>
    /// <returns>The exception for the caller to throw.</returns>
    public static ArgumentException Failure(string metric, string subject, string condition, double value, string[] names, double[] values, string parameter)
    {
        var options = string.Join(", ", names.Select((name, i) => $"{name} = {Format(values[i])}"));
        return new ArgumentException($"{metric}: {subject} must be {condition}; it is {Format(value)} with {options}", parameter);
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
