using MetricLoss.Generator.Ir;
using static MetricLoss.Generator.Tests.Ir.IrHandWritten;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// Ir/ChunkLocalInlining on hand-written bodies: a local read once goes back into its reader, one read twice stays,
/// kept locals are renumbered from b__0, reads nested through other locals count where they end up; and the body
/// evaluates to the same value before and after, in several chunks.
/// </summary>
public class ChunkLocalInliningTests
{
    /// <summary>x[i] narrowed to the chunk: the body's only leaf.</summary>
    private static readonly Op X = new LeafOp(0, 0);

    [Fact]
    public void A_local_read_once_is_put_back_into_its_reader()
    {
        var chunked = Chunk(1, Op.Call(OpCode.Multiply, Read(0), X), Local(0, Op.Call(OpCode.Exp, X)));
        var inlined = ChunkLocalInlining.Run(chunked);
        Assert.Empty(inlined.Locals);
        Assert.Equal(Op.Call(OpCode.Multiply, Op.Call(OpCode.Exp, X), X), inlined.Result);
        AssertSameValue(chunked, inlined);
    }

    [Fact]
    public void A_local_read_twice_stays_a_local()
    {
        var chunked = Chunk(1, Op.Call(OpCode.Multiply, Read(0), Read(0)), Local(0, Op.Call(OpCode.Exp, X)));
        var inlined = ChunkLocalInlining.Run(chunked);
        Assert.Equal(chunked, inlined);
        AssertSameValue(chunked, inlined);
    }

    [Fact]
    public void Kept_locals_are_renumbered_in_order_with_the_locals_read_once_inside_them()
    {
        // b__0 is read once (by b__1), b__1 twice (by b__3), b__2 and b__3 once (by the result), b__4 never.
        var chunked = Chunk(1,
            Op.Call(OpCode.Subtract, Read(3), Read(2)),
            Local(0, Op.Call(OpCode.Exp, X)),
            Local(1, Op.Call(OpCode.Add, Read(0), X)),
            Local(2, Op.Call(OpCode.Abs, X)),
            Local(3, Op.Call(OpCode.Multiply, Read(1), Read(1))),
            Local(4, Op.Call(OpCode.Negate, X)));
        var inlined = ChunkLocalInlining.Run(chunked);

        // Only b__1 stays, as b__0, with b__0's code put back into it; the result reads it through b__3's code.
        var kept = Assert.Single(inlined.Locals);
        Assert.Equal(new Let("b__0", Op.Call(OpCode.Add, Op.Call(OpCode.Exp, X), X)), kept);
        Assert.Equal(Op.Call(OpCode.Subtract, Op.Call(OpCode.Multiply, Read(0), Read(0)), Op.Call(OpCode.Abs, X)), inlined.Result);
        AssertSameValue(chunked, inlined);
    }

    [Fact]
    public void A_kept_local_reads_another_by_its_new_name()
    {
        // b__0 goes back into b__1; b__1 and b__2 stay as b__0 and b__1, and b__2's read of b__1 becomes b__0.
        var chunked = Chunk(1,
            Op.Call(OpCode.Subtract, Read(2), Op.Call(OpCode.Abs, Read(2))),
            Local(0, Op.Call(OpCode.Exp, X)),
            Local(1, Op.Call(OpCode.Add, Read(0), X)),
            Local(2, Op.Call(OpCode.Multiply, Read(1), Op.Call(OpCode.Negate, Read(1)))));
        var inlined = ChunkLocalInlining.Run(chunked);
        Assert.Equal(new[]
        {
            new Let("b__0", Op.Call(OpCode.Add, Op.Call(OpCode.Exp, X), X)),
            new Let("b__1", Op.Call(OpCode.Multiply, Read(0), Op.Call(OpCode.Negate, Read(0)))),
        }, inlined.Locals.ToArray());
        Assert.Equal(Op.Call(OpCode.Subtract, Read(1), Op.Call(OpCode.Abs, Read(1))), inlined.Result);
        AssertSameValue(chunked, inlined);
    }

    [Fact]
    public void A_read_nested_in_a_local_read_twice_counts_once()
    {
        // b__0 is read once, inside b__1, which the result reads twice: b__0 goes into b__1, b__1 stays.
        var chunked = Chunk(1,
            Op.Call(OpCode.Add, Read(1), Op.Call(OpCode.Exp, Read(1))),
            Local(0, Op.Call(OpCode.Abs, X)),
            Local(1, Op.Call(OpCode.Multiply, Read(0), X)));
        var inlined = ChunkLocalInlining.Run(chunked);
        Assert.Equal(new Let("b__0", Op.Call(OpCode.Multiply, Op.Call(OpCode.Abs, X), X)), Assert.Single(inlined.Locals));
        Assert.Equal(Op.Call(OpCode.Add, Read(0), Op.Call(OpCode.Exp, Read(0))), inlined.Result);
        AssertSameValue(chunked, inlined);
    }

    /// <summary>Both bodies give Σ_i w_i·c_i alike, in one chunk and in a chunk a position.</summary>
    private static void AssertSameValue(ChunkedReduction before, ChunkedReduction after)
    {
        using var scope = NewDisposeScope();
        var x = randn(5, dtype: ScalarType.Float64);
        var w = randn(5, dtype: ScalarType.Float64);
        foreach (var budget in new[] { 1L << 24, 1L })
        {
            var trace = new IrTrace();
            var expected = Evaluate(before, new[] { x }, w, budget, trace);
            Assert.Equal(expected, Evaluate(after, new[] { x }, w, budget, trace), 12);
            Assert.Equal(budget == 1 ? 2 : 0, trace.Split);
        }
    }
}
