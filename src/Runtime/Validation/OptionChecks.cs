using System;
using System.ComponentModel;

namespace MetricLoss.Runtime;

/// <summary>
/// Checks of option values. Called by generated code: each generated Options record's <c>ValidateOwn</c> calls one
/// per option that has a rule (<see cref="MetricOptions.Validate"/>).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class OptionChecks
{
    /// <summary>A real option must be a number: NaN and ±∞ would make every result NaN.</summary>
    /// <param name="metric">The metric's name, which starts the message.</param>
    /// <param name="option">The option's property name.</param>
    /// <param name="value">Its value.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is NaN or infinite.</exception>
    public static void Finite(string metric, string option, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{metric}: option {option} must be a finite number, found {value}.", option);
        }
    }

    /// <summary>A count option (the number of UniLoss anchors of one kind) cannot be negative.</summary>
    /// <param name="metric">The metric's name, which starts the message.</param>
    /// <param name="option">The option's property name.</param>
    /// <param name="value">Its value.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is below 0.</exception>
    public static void NonNegative(string metric, string option, int value)
    {
        if (value < 0)
        {
            throw new ArgumentException($"{metric}: option {option} must be 0 or more, found {value}.", option);
        }
    }

    /// <summary>A temperature divides a difference, so it must be positive.</summary>
    /// <param name="metric">The metric's name, which starts the message.</param>
    /// <param name="option">The option's property name.</param>
    /// <param name="value">Its value.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is not a positive finite number.</exception>
    public static void Temperature(string metric, string option, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentException($"{metric}: option {option} is a temperature and must be a positive finite number, found {value}.", option);
        }
    }

    /// <summary>A vector option sizes its axis, which must have at least one position.</summary>
    /// <typeparam name="T">The element type (int, double or bool).</typeparam>
    /// <param name="metric">The metric's name, which starts the message.</param>
    /// <param name="option">The option's property name.</param>
    /// <param name="values">Its values.</param>
    /// <exception cref="ArgumentException"><paramref name="values"/> is empty or default.</exception>
    public static void NotEmpty<T>(string metric, string option, System.Collections.Immutable.ImmutableArray<T> values)
    {
        if (values.IsDefaultOrEmpty)
        {
            throw new ArgumentException($"{metric}: vector option {option} must have at least one value.", option);
        }
    }
}
