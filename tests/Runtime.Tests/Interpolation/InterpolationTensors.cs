using MetricLoss.Native;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Interpolation;

/// <summary>Small helpers for the interpolation tests.</summary>
internal static class InterpolationTensors
{
    public static Tensor Vector(double[] values, ScalarType dtype = ScalarType.Float64, Device? device = null, bool requiresGrad = false) =>
        Tensors.Scores(values, dtype, device, requiresGrad);

    public static Tensor Mask(bool[] values, Device? device = null) => Tensors.Labels(values, LabelKind.Bool, device);

    public static Tensor Matrix(double[,] values, ScalarType dtype = ScalarType.Float64)
    {
        TorchNative.EnsureLoaded();
        return torch.tensor(values, ScalarType.Float64).to_type(dtype);
    }

    /// <summary>Rows of a [K, D] tensor as double arrays.</summary>
    public static double[][] Rows(Tensor matrix)
    {
        var k = (int)matrix.shape[0];
        var d = (int)matrix.shape[1];
        if (d == 0) return Enumerable.Range(0, k).Select(_ => Array.Empty<double>()).ToArray();
        var flat = Tensors.Values(matrix);
        return Enumerable.Range(0, k).Select(r => flat.Skip(r * d).Take(d).ToArray()).ToArray();
    }

    public static double[] Uniform(Random random, int count, double low, double high) =>
        Enumerable.Range(0, count).Select(_ => low + (high - low) * random.NextDouble()).ToArray();

    public static bool[] Bools(params int[] bits) => bits.Select(b => b != 0).ToArray();
}
