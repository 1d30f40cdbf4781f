using System;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>
/// Value checks of the entry points: NaN scores, labels that are not 0/1, indices out of range. The exact evaluator
/// makes them by default (it returns a number and so reads the device anyway); the surrogate only when asked
/// (<see cref="MetricOptions.ValidateValues"/>), with the same messages.
/// </summary>
/// <remarks>Called by generated code after <see cref="InputShapes"/>, when <see cref="MetricOptions.ChecksValues"/>
/// says so. Each reads a reduction of the tensor back to the host, one synchronisation per check.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class InputValues
{
    /// <summary>Refuses a floating tensor that holds a NaN; other dtypes cannot hold one and pass unread.</summary>
    /// <param name="metric">The metric's name, which starts the message.</param>
    /// <param name="input">The input's name in the definition.</param>
    /// <param name="tensor">The input, already checked by <see cref="InputShapes.Require"/>.</param>
    /// <exception cref="ArgumentException">The tensor holds a NaN.</exception>
    public static void RequireNoNaN(string metric, string input, Tensor tensor)
    {
        if (!is_floating_point(tensor)) return;
        using var nan = tensor.isnan().any();
        if (nan.item<bool>())
        {
            throw new ArgumentException($"{metric}: input '{input}' contains NaN; the metric needs numbers.", input);
        }
    }

    /// <summary>Refuses a label given as numbers other than 0 and 1; a bool tensor passes unread.</summary>
    /// <param name="metric">The metric's name, which starts the message.</param>
    /// <param name="input">The input's name in the definition.</param>
    /// <param name="tensor">The label input, already checked by <see cref="InputShapes.Require"/>.</param>
    /// <exception cref="ArgumentException">An element is neither 0 nor 1 (NaN included).</exception>
    public static void RequireZeroOne(string metric, string input, Tensor tensor)
    {
        if (tensor.dtype == ScalarType.Bool) return;
        using var zero = 0.ToScalar();
        using var one = 1.ToScalar();
        using var isZero = tensor.eq(zero);
        using var isOne = tensor.eq(one);
        using var valid = isZero.logical_or(isOne);
        using var all = valid.all();
        if (!all.item<bool>())
        {
            throw new ArgumentException($"{metric}: input '{input}' is a label and must hold only 0 and 1 (or be a bool tensor).", input);
        }
    }

    /// <summary>Refuses an <c>index&lt;c&gt;</c> input with a position outside [0, size of c).</summary>
    /// <param name="metric">The metric's name, which starts the message.</param>
    /// <param name="input">The input's name in the definition.</param>
    /// <param name="tensor">The index input (int64 or int32), already checked by <see cref="InputShapes.Require"/>
    /// (so not empty).</param>
    /// <param name="size">The size of the axis the positions point into.</param>
    /// <param name="axis">That axis's name, for the message.</param>
    /// <exception cref="ArgumentException">The smallest position is negative or the largest is ≥ <paramref name="size"/>.</exception>
    public static void RequireIndexRange(string metric, string input, Tensor tensor, long size, string axis)
    {
        using var min = tensor.min();
        using var max = tensor.max();
        var low = min.item<long>();
        var high = max.item<long>();
        if (low < 0 || high >= size)
        {
            throw new ArgumentException(
                $"{metric}: input '{input}' holds positions along axis '{axis}' of size {size}, but its values range from {low} to {high}.", input);
        }
    }
}
