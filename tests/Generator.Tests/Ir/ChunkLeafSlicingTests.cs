using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Ir;
using static MetricLoss.Generator.Tests.Ir.IrHandWritten;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// Ir/ChunkLeafSlicing on a hand-written pairwise body, chunked along i: r_i = Σ_j M[i, j]·(x_i − x_j) + S[i, j]·S[j, i].
/// M is always read narrowed along dimension 0 (sliced); x is read narrowed and whole, S narrowed along both of its
/// dimensions (both arrive whole and are narrowed in the body); y is not read. Evaluated before and after the pass,
/// in one chunk and in several, it equals the dense value; a wrong slicing does not.
/// </summary>
public class ChunkLeafSlicingTests
{
    private const int XLeaf = 0, MLeaf = 1, YLeaf = 2, SLeaf = 3;

    private static ChunkedReduction Body()
    {
        var row = Op.Longs(new[] { Op.Int(1) });
        var difference = Op.Call(OpCode.Subtract,
            Op.Call(OpCode.Unsqueeze, new LeafOp(XLeaf, 0), Op.Int(1)),
            Op.Call(OpCode.Unsqueeze, new LeafOp(XLeaf, LeafOp.Whole), Op.Int(0)));
        var transposed = Op.Call(OpCode.Permute, new LeafOp(SLeaf, 1), Op.Arguments(new[] { Op.Int(1), Op.Int(0) }));
        var terms = Op.Call(OpCode.Add,
            Op.Call(OpCode.Multiply, new LeafOp(MLeaf, 0), difference),
            Op.Call(OpCode.Multiply, new LeafOp(SLeaf, 0), transposed));
        return Chunk(4, Op.Call(OpCode.Sum, terms, row));
    }

    [Fact]
    public void Leaves_are_sliced_only_when_always_read_narrowed_along_one_dimension()
    {
        var sliced = ChunkLeafSlicing.Run(Body());
        Assert.Equal(new[] { LeafOp.Whole, 0, LeafOp.Whole, LeafOp.Whole }, sliced.Slices.ToArray());

        var reads = new List<LeafOp>();
        OpWalk.Visit(sliced.Result, node =>
        {
            if (node is LeafOp leaf) reads.Add(leaf);
        });
        // The sliced leaf's read arrives narrowed; the other leaves' narrowed reads narrow in the body; a whole read stays whole.
        Assert.Contains(new LeafOp(MLeaf, 0, NarrowedHere: false), reads);
        Assert.Contains(new LeafOp(XLeaf, 0, NarrowedHere: true), reads);
        Assert.Contains(new LeafOp(XLeaf, LeafOp.Whole, NarrowedHere: false), reads);
        Assert.Contains(new LeafOp(SLeaf, 0, NarrowedHere: true), reads);
        Assert.Contains(new LeafOp(SLeaf, 1, NarrowedHere: true), reads);
        Assert.DoesNotContain(reads, r => r.Index == YLeaf);
    }

    [Fact]
    public void Reads_in_the_locals_count_as_reads_of_the_body()
    {
        // M narrowed along 0 in the result and along 1 in a local: it reads both ways, so it arrives whole.
        var chunked = Chunk(1, Op.Call(OpCode.Add, new LeafOp(0, 0), Read(0)), Local(0, Op.Call(OpCode.Permute, new LeafOp(0, 1), Op.Arguments(new[] { Op.Int(1), Op.Int(0) }))));
        var sliced = ChunkLeafSlicing.Run(chunked);
        Assert.Equal(new[] { LeafOp.Whole }, sliced.Slices.ToArray());
        Assert.Equal(new LeafOp(0, 1, NarrowedHere: true), ((CallOp)sliced.Locals[0].Value).Operands[0]);
        Assert.Equal(ChunkLeafSlicing.Decide(2, new[] { new LeafOp(1, 2) }), new[] { LeafOp.Whole, 2 });
    }

    [Fact]
    public void The_body_has_its_dense_value_before_and_after_slicing_in_any_number_of_chunks()
    {
        using var scope = NewDisposeScope();
        var (leaves, w, expected) = Inputs();
        var before = Body();
        var after = ChunkLeafSlicing.Run(before);
        foreach (var budget in new[] { 1L << 24, 10L, 1L })
        {
            var trace = new IrTrace();
            Assert.Equal(expected, Evaluate(before, leaves, w, budget, trace), 12);
            Assert.Equal(expected, Evaluate(after, leaves, w, budget, trace), 12);
            Assert.Equal(budget == 1L << 24 ? 0 : 2, trace.Split);
        }
    }

    [Fact]
    public void A_wrong_slicing_changes_the_value()
    {
        // Not a blind evaluator: S sliced along 0 while the body also reads it along 1 (narrowing the narrowed leaf
        // again), or M left whole while its read is not narrowed in the body, and the value is no longer the dense one.
        using var scope = NewDisposeScope();
        var (leaves, w, expected) = Inputs();
        var right = ChunkLeafSlicing.Run(Body());
        var wrongS = right with { Slices = new[] { LeafOp.Whole, 0, LeafOp.Whole, 0 }.ToEquatableArray() };
        var wrongM = right with { Slices = new[] { LeafOp.Whole, LeafOp.Whole, LeafOp.Whole, LeafOp.Whole }.ToEquatableArray() };
        foreach (var wrong in new[] { wrongS, wrongM })
        {
            double value;
            try
            {
                value = Evaluate(wrong, leaves, w, 2);
            }
            catch (System.Runtime.InteropServices.ExternalException)
            {
                // Shapes that no longer broadcast (LibTorch's error): as wrong as a wrong value.
                value = double.NaN;
            }
            Assert.NotEqual(expected, value, 6);
        }
    }

    /// <summary>x, M, y, S with n = 6, weights w, and Σ_i w_i·r_i computed densely.</summary>
    private static (Tensor[] Leaves, Tensor W, double Expected) Inputs()
    {
        using var generator = new torch.Generator(20261204);
        var x = randn(6, dtype: ScalarType.Float64, generator: generator);
        var m = randn(6, 6, dtype: ScalarType.Float64, generator: generator);
        var y = randn(6, dtype: ScalarType.Float64, generator: generator);
        var s = randn(6, 6, dtype: ScalarType.Float64, generator: generator);
        var w = randn(6, dtype: ScalarType.Float64, generator: generator);
        var r = m.mul(x.unsqueeze(1).sub(x.unsqueeze(0))).add(s.mul(s.t()), MetricLoss.Runtime.KeptScalars.One).sum(1);
        return (new[] { x, m, y, s }, w, r.mul(w).sum().item<double>());
    }
}
