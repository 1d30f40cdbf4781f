using System;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>
/// Value checks of the exact evaluator (which returns a number and so may read the device): NaN
/// scores, labels that are not 0/1, indices out of range. The surrogate never calls these.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class InputValues
{
    public static void RequireNoNaN(string metric, string input, Tensor tensor)
    {
        if (!is_floating_point(tensor)) return;
        using var nan = tensor.isnan().any();
        if (nan.item<bool>())
        {
            throw new ArgumentException($"{metric}: input '{input}' contains NaN; the exact evaluator needs numbers.", input);
        }
    }

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
