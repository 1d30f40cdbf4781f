using MetricLoss.Generator.Ir;
using MetricLoss.Runtime;
using MetricLoss.Runtime.Ranking;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// The value of one lowered operation tree (Ir/Op) in an environment: numbers as C# doubles and longs, tensors by
/// the TorchSharp method or runtime helper that OpPrinter prints for the operation (helpers through
/// <see cref="IrRuntimeCall"/>), so the tree means here what its printed C# means.
/// </summary>
internal static class IrOpEvaluator
{
    public static object? Evaluate(Op op, IrEnvironment environment) => op switch
    {
        NameOp name => environment.Read(name.Text),
        LeafOp leaf => Leaf(leaf, environment),
        ListOp list => List(list, environment),
        CallOp call => WithItsAxes(call, Call(call, call.Operands.Select(o => Evaluate(o, environment)).ToArray())),
        _ => throw new InvalidOperationException($"IR evaluator: no evaluation of {op.GetType().Name}"),
    };

    /// <summary>
    /// The value of an operation that records its axes (CallOp.Axes) has one dimension per axis: the lowering's typing
    /// of the tree is checked on every value it evaluates.
    /// </summary>
    private static object? WithItsAxes(CallOp call, object? value)
    {
        if (call.Axes is { } axes && value is Tensor tensor && tensor.dim() != axes.Count)
        {
            throw new InvalidOperationException($"IR evaluator: {call.Code} records the axes [{string.Join(", ", axes)}] but its value has shape [{string.Join(", ", tensor.shape)}]");
        }
        return value;
    }

    /// <summary>Bound in a chunk's body to true while the chunk's slices are undecided (the IR before ChunkLeafSlicing).</summary>
    public const string SlicesUndecided = "#slices undecided#";

    /// <summary>
    /// <c>__L[k]</c>, narrowed to the chunk here when the slicing pass says the body narrows it itself, as printed; before
    /// the pass, every leaf arrives whole and a read with a dimension is the chunk's rows along it (LeafOp's meaning).
    /// </summary>
    private static Tensor Leaf(LeafOp leaf, IrEnvironment environment)
    {
        var leaves = (Tensor[])environment.Read(Emit.Local.Leaves)!;
        var tensor = leaves[leaf.Index];
        var narrowed = leaf.NarrowedHere || (leaf.Dimension != LeafOp.Whole && environment.Read(SlicesUndecided) is true);
        return narrowed
            ? tensor.narrow(leaf.Dimension, (long)environment.Read(Emit.Local.Start)!, (long)environment.Read(Emit.Local.Length)!)
            : tensor;
    }

    private static object List(ListOp list, IrEnvironment environment)
    {
        var items = list.Items.Select(i => Evaluate(i, environment)).ToArray();
        // Each arm boxed as it is: a switch of a double and a long[] would be typed as a Tensor (TorchSharp's implicit conversions).
        return list.Kind switch
        {
            ListKind.Longs or ListKind.Arguments => (object)items.Select(ToLong).ToArray(),
            ListKind.Tensors => (object)items.Cast<Tensor>().ToArray(),
            ListKind.Count => (object)(items.Aggregate(1L, (product, size) => product * ToLong(size)) * 1d),
            ListKind.Terms => (object)items.Aggregate(0L, (sum, term) => sum + ToLong(term)),
            _ => throw new InvalidOperationException($"IR evaluator: no evaluation of a {list.Kind} list"),
        };
    }

    private static object? Call(CallOp call, object?[] a)
    {
        if (IsNumber(call.Code)) return Number(call.Code, a.Select(ToDouble).ToArray());
        if (IrRuntimeCall.Target(call) is { } target) return IrRuntimeCall.Invoke(target.Type, target.Method, a, call.Code);
        Tensor T(int k) => (Tensor)a[k]!;
        return call.Code switch
        {
            OpCode.Negate => T(0).neg(),
            // With the kept 1 the printer passes: add(Tensor) would make a Scalar of its own that nothing keeps alive (ScalarLifetimeTests).
            OpCode.Add => T(0).add(T(1), KeptScalars.One),
            OpCode.Subtract => T(0).sub(T(1)),
            OpCode.Multiply => T(0).mul(T(1)),
            OpCode.Exp => T(0).exp(),
            OpCode.Abs => T(0).abs(),
            OpCode.Sqrt => T(0).sqrt(),
            OpCode.Log => T(0).log(),
            OpCode.Log2 => T(0).log2(),
            OpCode.Expand => T(0).expand((long[])a[1]!),
            OpCode.Permute => T(0).permute((long[])a[1]!),
            OpCode.Unsqueeze => T(0).unsqueeze(ToLong(a[1])),
            OpCode.ToType => T(0).to_type((ScalarType)a[1]!),
            OpCode.Contiguous => T(0).contiguous(),
            OpCode.Reshape => T(0).reshape(a[1] as long[] ?? new[] { ToLong(a[1]) }),
            OpCode.Sum => T(0).sum((long[])a[1]!, false),
            OpCode.Mean => T(0).mean((long[])a[1]!, false),
            OpCode.Max => T(0).amax((long[])a[1]!, false),
            OpCode.Min => T(0).amin((long[])a[1]!, false),
            OpCode.Index => T(0).index((Tensor[])a[1]!),
            OpCode.LogicalAnd => T(0).logical_and(T(1)),
            OpCode.Concatenate => cat((Tensor[])a[0]!, 0),
            OpCode.OwnAnchorGenerator => ((MetricOptions)a[0]!).Generator is null ? DenseOps.AnchorGenerator(((MetricOptions)a[0]!).Seed, (Device)a[1]!) : null,
            OpCode.AnchorGenerator => ((MetricOptions)a[0]!).Generator ?? (torch.Generator)a[1]!,
            OpCode.AnchorCount => (object)T(0).shape[0],
            OpCode.Numel => (object)T(0).numel(),
            OpCode.TieGroups => new TieGroups(T(0)),
            OpCode.CountAbove => ((TieGroups)a[0]!).CountAbove((Tensor?)a[1], strict: (bool)a[2]!, excludeSelf: (bool)a[3]!),
            OpCode.StepCountAbove => ((TieGroups)a[0]!).StepCountAbove((Tensor?)a[1], excludeSelf: (bool)a[2]!),
            _ => throw new InvalidOperationException($"IR evaluator: no evaluation of {call.Code} (printed as {OpPrinter.Print(call)})"),
        };
    }

    private static bool IsNumber(OpCode code) => code.ToString().StartsWith("Number", StringComparison.Ordinal);

    /// <summary>C#'s double arithmetic, as OpPrinter writes it.</summary>
    private static double Number(OpCode code, double[] a) => code switch
    {
        OpCode.NumberNegate => -a[0],
        OpCode.NumberNot => 1d - a[0],
        OpCode.NumberAdd => a[0] + a[1],
        OpCode.NumberSubtract => a[0] - a[1],
        OpCode.NumberMultiply => a[0] * a[1],
        OpCode.NumberReciprocal => 1d / a[0],
        OpCode.NumberPower => Math.Pow(a[0], a[1]),
        OpCode.NumberGreater => a[0] > a[1] ? 1d : 0d,
        OpCode.NumberGreaterOrEqual => a[0] >= a[1] ? 1d : 0d,
        OpCode.NumberNonZero => a[0] != 0d ? 1d : 0d,
        OpCode.NumberWhere => a[0] != 0d ? a[1] : a[2],
        OpCode.NumberExp => Math.Exp(a[0]),
        OpCode.NumberAbs => Math.Abs(a[0]),
        OpCode.NumberMin => Math.Min(a[0], a[1]),
        OpCode.NumberMax => Math.Max(a[0], a[1]),
        OpCode.NumberSqrt => Math.Sqrt(a[0]),
        OpCode.NumberLog => Math.Log(a[0]),
        OpCode.NumberLog2 => Math.Log(a[0], 2d),
        OpCode.NumberAnyOf => 1d - Math.Pow(1d - a[0], a[1]),
        _ => throw new InvalidOperationException($"IR evaluator: no evaluation of {code}"),
    };

    public static double ToDouble(object? value) => value switch
    {
        double d => d,
        long l => l,
        int i => i,
        bool b => b ? 1d : 0d,
        _ => throw new InvalidOperationException($"IR evaluator: a number was expected, found {value?.GetType().Name ?? "null"}"),
    };

    public static long ToLong(object? value) => value switch
    {
        long l => l,
        int i => i,
        _ => throw new InvalidOperationException($"IR evaluator: a size or dimension was expected, found {value?.GetType().Name ?? "null"}"),
    };
}
