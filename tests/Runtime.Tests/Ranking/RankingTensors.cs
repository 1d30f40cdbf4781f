using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>Tensors for the ranking tests, built in the caller's dispose scope.</summary>
internal static class RankingTensors
{
    public static Tensor Values(double[] values, long[] shape, ScalarType dtype = ScalarType.Float64, Device? device = null) =>
        Tensors.Scores(values, dtype, device).reshape(shape);

    public static Tensor Mask(double[] mask, long[] shape, MaskKind kind, Device? device = null)
    {
        var t = Tensors.Scores(mask, ScalarType.Float64, device).reshape(shape);
        return kind switch
        {
            MaskKind.Bool => t.ne(0.0.ToScalar()),
            MaskKind.Float32 => t.to_type(ScalarType.Float32),
            MaskKind.Int64 => t.to_type(ScalarType.Int64),
            _ => t,
        };
    }

    /// <summary>The values as the kernels see them in <paramref name="dtype"/> (float32 rounds), for the brute force.</summary>
    public static double[] AsSeenIn(double[] values, ScalarType dtype) =>
        dtype == ScalarType.Float32 ? values.Select(v => (double)(float)v).ToArray() : values;

    /// <summary>Asserts a float64 result on the expected device and shape, then returns its elements.</summary>
    public static double[] Read(Tensor result, long[] shape, DeviceType device = DeviceType.CPU)
    {
        Assert.Equal(ScalarType.Float64, result.dtype);
        Assert.Equal(device, result.device_type);
        Assert.Equal(shape, result.shape);
        return Tensors.Values(result);
    }

    public static long[] Rows(long[] shape) => shape.Take(shape.Length - 1).ToArray();
}
