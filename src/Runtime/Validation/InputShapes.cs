using System;
using System.Collections.Generic;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>What an input is for, which decides the dtypes it may have.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum InputRole
{
    /// <summary>A differentiable <c>real</c> input: a floating dtype.</summary>
    Score,
    /// <summary>A <c>const real</c> input: any numeric dtype.</summary>
    Constant,
    /// <summary>A <c>bool</c> input: bool, or 0/1 numbers.</summary>
    Label,
    /// <summary>An <c>int</c> input: integer dtypes.</summary>
    Integer,
    /// <summary>An <c>index&lt;c&gt;</c> input: int64 or int32.</summary>
    Index,
}

/// <summary>
/// Checks the inputs of one call against the metric's declaration (rank, dtype, device, and the same
/// size for every use of an axis) and records each axis's size. Shape-only, so it never syncs with the
/// device: the surrogate's validation (docs/architecture.md, "Generated API"). Errors are ArgumentExceptions
/// naming the metric, the input and the problem.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class InputShapes
{
    private readonly string _metric;
    private readonly Dictionary<string, (long Size, string Owner)> _axes = new(StringComparer.Ordinal);
    private Device? _device;
    private string? _deviceOwner;

    public InputShapes(string metric) => _metric = metric;

    public void Require(string input, Tensor? tensor, InputRole role, params string[] axes)
    {
        if (tensor is null)
        {
            throw new ArgumentNullException(input, $"{_metric}: input '{input}' is null.");
        }
        if (tensor.IsInvalid)
        {
            throw new ArgumentException($"{_metric}: input '{input}' is a disposed tensor.", input);
        }
        RequireDtype(input, tensor.dtype, role);
        if (tensor.dim() != axes.Length)
        {
            throw new ArgumentException(
                $"{_metric}: input '{input}' must have {axes.Length} dimension{(axes.Length == 1 ? "" : "s")} [{string.Join(", ", axes)}], but has shape [{string.Join(", ", tensor.shape)}].",
                input);
        }
        var device = tensor.device;
        if (_device is null)
        {
            _device = device;
            _deviceOwner = input;
        }
        else if (_device.type != device.type || _device.index != device.index)
        {
            throw new ArgumentException(
                $"{_metric}: input '{input}' is on {device}, but '{_deviceOwner}' is on {_device}; move both to one device.", input);
        }
        for (var d = 0; d < axes.Length; d++)
        {
            RecordAxis(input, axes[d], tensor.shape[d]);
        }
    }

    /// <summary>Records the length of a vector option as the size of its axis.</summary>
    public void RequireOptionLength(string option, string axis, int length)
    {
        if (length == 0)
        {
            throw new ArgumentException($"{_metric}: vector option '{option}' must have at least one value.", option);
        }
        RecordAxis(option, axis, length);
    }

    private void RecordAxis(string owner, string axis, long size)
    {
        if (size == 0)
        {
            throw new ArgumentException($"{_metric}: input '{owner}' is empty along axis '{axis}'; the metric needs at least one item.", owner);
        }
        if (_axes.TryGetValue(axis, out var known))
        {
            if (known.Size != size)
            {
                throw new ArgumentException(
                    $"{_metric}: axis '{axis}' has size {known.Size} in '{known.Owner}' but {size} in '{owner}'; the same axis must have the same size in every input.",
                    owner);
            }
            return;
        }
        _axes[axis] = (size, owner);
    }

    public long Size(string axis) => _axes[axis].Size;

    private void RequireDtype(string input, ScalarType dtype, InputRole role)
    {
        var ok = role switch
        {
            InputRole.Score => is_floating_point(dtype),
            InputRole.Constant => is_floating_point(dtype) || is_integral(dtype),
            InputRole.Label => dtype == ScalarType.Bool || is_floating_point(dtype) || is_integral(dtype),
            InputRole.Integer => is_integral(dtype),
            _ => dtype is ScalarType.Int64 or ScalarType.Int32,
        };
        if (ok) return;
        var expected = role switch
        {
            InputRole.Score => "a floating-point dtype (float16, bfloat16, float32 or float64)",
            InputRole.Constant => "a numeric dtype",
            InputRole.Label => "bool or 0/1 numbers",
            InputRole.Integer => "an integer dtype",
            _ => "int64 or int32",
        };
        throw new ArgumentException($"{_metric}: input '{input}' has dtype {dtype}; expected {expected}.", input);
    }

    private static bool is_integral(ScalarType dtype) =>
        dtype is ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64;
}
