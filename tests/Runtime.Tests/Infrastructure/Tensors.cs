using MetricLoss.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>How a test passes labels: the language accepts bool tensors and 0/1 numbers.</summary>
public enum LabelKind
{
    Bool,
    Float32,
    Float64,
    Int64,
}

/// <summary>Building and reading tensors in tests (after making sure the native backend is loaded).</summary>
public static class Tensors
{
    public static readonly LabelKind[] LabelKinds = { LabelKind.Bool, LabelKind.Float32, LabelKind.Float64, LabelKind.Int64 };

    public static Tensor Scores(double[] values, ScalarType dtype, Device? device = null, bool requiresGrad = false)
    {
        TorchNative.EnsureLoaded();
        var t = torch.tensor(values, ScalarType.Float64).to(dtype, device ?? CPU);
        return requiresGrad ? t.requires_grad_(true) : t;
    }

    public static Tensor Labels(bool[] values, LabelKind kind = LabelKind.Bool, Device? device = null)
    {
        TorchNative.EnsureLoaded();
        var t = torch.tensor(values);
        var typed = kind switch
        {
            LabelKind.Bool => t,
            LabelKind.Float32 => t.to_type(ScalarType.Float32),
            LabelKind.Float64 => t.to_type(ScalarType.Float64),
            _ => t.to_type(ScalarType.Int64),
        };
        return device is null ? typed : typed.to(device);
    }

    /// <summary>The elements of <paramref name="t"/> as doubles (any dtype, any device).</summary>
    public static double[] Values(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    public static double Value(Tensor t)
    {
        using var scope = torch.NewDisposeScope();
        return t.detach().cpu().to_type(ScalarType.Float64).item<double>();
    }

    public static bool[] ToBools(IEnumerable<int> labels) => labels.Select(l => l != 0).ToArray();

    /// <summary>CPU, plus CUDA when this machine has it (TorchSharp's AvailableDevices convention).</summary>
    public static IReadOnlyList<Device> AvailableDevices()
    {
        TorchNative.EnsureLoaded();
        var devices = new List<Device> { CPU };
        if (torch.cuda.is_available()) devices.Add(CUDA);
        return devices;
    }
}
