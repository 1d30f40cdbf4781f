using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Lowering;
using MetricLoss.Runtime;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// What a generated entry point defines before the program's statements (Emit/EntryPointEmitter: the prologue and
/// EmitLocals), for a float64 evaluation on the CPU: the options, dtype, device, ε and relaxation; each axis's size;
/// each option's default as a number (a vector option as a tensor); each input as the caller would pass it (reals
/// float64, labels bool, indices and ints int64: a chunk reads a constant input as given), converted to the dtype
/// (<c>x__name</c>) and, for an index, as int64 (<c>ix__name</c>).
/// </summary>
internal static class IrEntryLocals
{
    public static IrEnvironment For(BoundMetric metric, IReadOnlyDictionary<string, DenseArray> inputs, IrSettings settings)
    {
        var environment = Fixed(settings);
        var dtype = ScalarType.Float64;
        var device = CPU;

        foreach (var size in metric.AxisSizes)
        {
            long value = size.FromOption
                ? metric.Options.Single(o => o.Name == size.Source).Default.Count
                : inputs[size.Source].Shape[size.Dimension];
            environment.Bind(ProgramLowering.SizeLocal(size.Axis), value);
        }
        foreach (var option in metric.Options)
        {
            // Boxed apart: a conditional of a Tensor and a double would make the double a tensor (TorchSharp's implicit conversion).
            object value = option.IsVector ? (object)DenseOps.Vector(option.Default.ToArray(), dtype, device) : option.Default[0];
            environment.Bind(ProgramLowering.OptionLocal(option.Name), value);
        }
        foreach (var input in metric.Inputs)
        {
            var given = Given(input, inputs[input.Name]);
            environment.Bind(CSharp.Identifier(input.Name), given);
            environment.Bind(ProgramLowering.InputLocal(input.Name), MetricOps.Prepare(given, dtype));
            if (input.Kind == InputKind.Index) environment.Bind(ProgramLowering.IndexLocal(input.Name), MetricOps.Prepare(given, ScalarType.Int64));
        }
        return environment;
    }

    /// <summary>The fixed locals alone: options, dtype (float64), device (CPU), ε and relaxation.</summary>
    public static IrEnvironment Fixed(IrSettings settings)
    {
        var environment = new IrEnvironment();
        environment.Bind(Local.Options, settings.Options);
        environment.Bind(Local.Dtype, ScalarType.Float64);
        environment.Bind(Local.Device, CPU);
        environment.Bind(Local.Eps, MetricOps.EpsilonFor(ScalarType.Float64, settings.Epsilon));
        environment.Bind(Local.Relaxation, settings.Relaxation);
        return environment;
    }

    /// <summary>The input as a caller passes it.</summary>
    private static Tensor Given(BoundInput input, DenseArray array)
    {
        var shape = array.Shape.Select(s => (long)s).ToArray();
        return input.Kind switch
        {
            InputKind.Bool => tensor(array.Data.Select(d => d != 0).ToArray()).reshape(shape),
            InputKind.Index or InputKind.Int => tensor(array.Data.Select(d => (long)d).ToArray()).reshape(shape),
            _ => tensor(array.Data, dtype: ScalarType.Float64).reshape(shape),
        };
    }
}
