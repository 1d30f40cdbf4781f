using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Shape-only checks and conversions shared by the ranking kernels. Nothing here reads tensor values, so
/// nothing syncs with the device (docs/torchsharp-rules.md, rule 9).
/// </summary>
internal static class RankingArguments
{
    /// <summary>A values tensor: at least one axis (the last is the one ranked), a real or integer dtype, not disposed.</summary>
    public static void RequireValues(string kernel, string name, Tensor? values)
    {
        RequireLive(kernel, name, values);
        if (values!.dim() < 1)
        {
            throw new ArgumentException($"{kernel}: '{name}' must have at least one axis (rows..., items); it is 0-dimensional.", name);
        }
        if (values.is_complex())
        {
            throw new ArgumentException($"{kernel}: '{name}' must be real; it has dtype {values.dtype}.", name);
        }
    }

    /// <summary>A tensor that must have exactly the shape of <paramref name="likeName"/>.</summary>
    public static void RequireSameShape(string kernel, string name, Tensor? tensor, string likeName, Tensor like)
    {
        RequireLive(kernel, name, tensor);
        if (!tensor!.shape.SequenceEqual(like.shape))
        {
            throw new ArgumentException(
                $"{kernel}: '{name}' has shape {Show(tensor.shape)} but '{likeName}' has shape {Show(like.shape)}; they must be equal.", name);
        }
        if (tensor.is_complex())
        {
            throw new ArgumentException($"{kernel}: '{name}' must be real or bool; it has dtype {tensor.dtype}.", name);
        }
    }

    /// <summary>A per-row tensor: the shape of <paramref name="likeName"/> without its last axis.</summary>
    public static void RequireRowShape(string kernel, string name, Tensor? tensor, string likeName, Tensor like)
    {
        RequireLive(kernel, name, tensor);
        var rows = like.shape.Take(like.shape.Length - 1);
        if (!tensor!.shape.SequenceEqual(rows))
        {
            throw new ArgumentException(
                $"{kernel}: '{name}' has shape {Show(tensor.shape)} but must have shape {Show(rows.ToArray())} " +
                $"('{likeName}' {Show(like.shape)} without its last axis).", name);
        }
    }

    public static void RequireLive(string kernel, string name, Tensor? tensor)
    {
        if (tensor is null)
        {
            throw new ArgumentNullException(name, $"{kernel}: '{name}' is null.");
        }
        if (tensor.IsInvalid)
        {
            throw new ArgumentException($"{kernel}: '{name}' is a disposed tensor.", name);
        }
    }

    /// <summary>
    /// The values in a dtype that sort and compare exactly like the input: float32, float64 and the integer
    /// types are kept; float16, bfloat16 and bool become float64 (an exact conversion).
    /// </summary>
    public static Tensor Sortable(Tensor values) => values.dtype switch
    {
        ScalarType.Float32 or ScalarType.Float64 or ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16
            or ScalarType.Int8 or ScalarType.Byte => values.alias(),
        _ => values.to_type(ScalarType.Float64),
    };

    /// <summary>A mask or weight as float64 on <paramref name="device"/>; never modify the result in place (it may alias the caller's tensor).</summary>
    public static Tensor Weights(Tensor mask, Device device) => mask.to(ScalarType.Float64, device);

    public static string Show(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
