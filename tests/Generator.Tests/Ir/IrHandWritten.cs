using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Lowering;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// Hand-written chunked reductions for the passes' unit tests: a body over leaves named leaf0, leaf1, … chunked along
/// an axis of size <c>size__n</c>, each chunk's rows concatenated along dimension 0, and its evaluation as a program
/// whose goal is Σ_i w_i·c_i, so that every row of the result counts with a weight of its own.
/// </summary>
internal static class IrHandWritten
{
    public static ChunkedReduction Chunk(int leafCount, Op result, params Let[] locals) => new(
        "c__0",
        locals.ToEquatableArray(),
        result,
        Enumerable.Range(0, leafCount).Select(k => $"leaf{k}").ToEquatableArray(),
        EquatableArray<int>.Empty,
        Op.Name("size__n"),
        new[] { new[] { "size__n" }.ToEquatableArray() }.ToEquatableArray(),
        0,
        Concatenate: true,
        Differentiable: false);

    public static Let Local(int k, Op value) => new($"b__{k}", value);

    public static Op Read(int k) => Op.Name($"b__{k}");

    /// <summary>Σ_i w_i·c_i of the chunked reduction on <paramref name="leaves"/>, with the budget <paramref name="maxPairwiseElements"/>.</summary>
    public static double Evaluate(ChunkedReduction chunked, Tensor[] leaves, Tensor weights, long maxPairwiseElements, IrTrace? trace = null)
    {
        var environment = IrEntryLocals.Fixed(new IrSettings(MaxPairwiseElements: maxPairwiseElements));
        environment.Bind("size__n", weights.shape[0]);
        environment.Bind("w", weights);
        for (var k = 0; k < leaves.Length; k++) environment.Bind($"leaf{k}", leaves[k]);
        var goal = Op.Call(OpCode.Sum, Op.Call(OpCode.Multiply, Op.Name(chunked.Name), Op.Name("w")), Op.Longs(new[] { Op.Int(0) }));
        var program = new LoweredProgram(new Statement[] { chunked }, ProgramValue.Tensor(goal, Array.Empty<string>()));
        return IrEvaluator.Evaluate(program, environment, trace);
    }
}
