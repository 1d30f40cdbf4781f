using System;
using System.Collections.Generic;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>What an input is for, which decides the dtypes it may have. Called by generated code (the role of each
/// input in <see cref="InputShapes.Require"/>).</summary>
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
/// <remarks>Called by generated code: every entry point makes one per call and requires each input in order, so the
/// first input fixes the device and each axis's size comes from the first input that has it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class InputShapes
{
    private readonly string _metric;
    private readonly Dictionary<string, (long Size, string Owner)> _axes = new(StringComparer.Ordinal);
    private Device? _device;
    private string? _deviceOwner;

    /// <summary>Starts the checks of one call.</summary>
    /// <param name="metric">The metric's name, which starts every message.</param>
    public InputShapes(string metric) => _metric = metric;

    /// <summary>
    /// Checks one input: not null nor disposed, a dtype its role allows, one dimension per declared axis, the device of
    /// the first input, and for each axis the size it had in the inputs before (recording it when it is new).
    /// </summary>
    /// <param name="input">The input's name in the definition, for the messages.</param>
    /// <param name="tensor">The tensor the caller passed.</param>
    /// <param name="role">What the input is for (<see cref="InputRole"/>), which decides the dtypes it may have.</param>
    /// <param name="axes">The declared axes, in order: <c>"q", "i"</c> for <c>sim: real[q, i]</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="tensor"/> is null.</exception>
    /// <exception cref="ArgumentException">The tensor is disposed, has a dtype its role does not allow, the wrong number
    /// of dimensions, another device than the first input, a size of 0 along an axis, or a size along an axis that differs
    /// from an earlier input's.</exception>
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
    /// <param name="option">The option's name in the definition, for the messages.</param>
    /// <param name="axis">The axis the vector option spans (<c>m</c> for <c>k: int[m]</c>).</param>
    /// <param name="length">The number of values the caller gave.</param>
    /// <exception cref="ArgumentException">The option has no value, or an input gave the axis another size.</exception>
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

    /// <summary>The size of an axis, as recorded by <see cref="Require"/> or <see cref="RequireOptionLength"/>.</summary>
    /// <param name="axis">An axis of the definition.</param>
    /// <exception cref="KeyNotFoundException">No input or vector option has recorded that axis.</exception>
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
