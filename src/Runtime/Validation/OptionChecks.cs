using System;
using System.ComponentModel;

namespace MetricLoss.Runtime;

/// <summary>Checks of option values, called from each generated Options record.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OptionChecks
{
    public static void Finite(string metric, string option, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{metric}: option {option} must be a finite number, found {value}.", option);
        }
    }

    public static void NonNegative(string metric, string option, int value)
    {
        if (value < 0)
        {
            throw new ArgumentException($"{metric}: option {option} must be 0 or more, found {value}.", option);
        }
    }

    /// <summary>A temperature divides a difference, so it must be positive.</summary>
    public static void Temperature(string metric, string option, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{metric}: option {option} is a temperature and must be a positive finite number, found {value}.", option);
        }
    }

    public static void NotEmpty<T>(string metric, string option, System.Collections.Immutable.ImmutableArray<T> values)
    {
        if (values.IsDefaultOrEmpty)
        {
            throw new ArgumentException($"{metric}: vector option {option} must have at least one value.", option);
        }
    }
}
