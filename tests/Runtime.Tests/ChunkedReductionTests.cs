using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// The runtime's chunked reduction alone, on a body with a pairwise [rows, d, d] intermediate: every way of
/// running it (one graph, one graph built in CPU blocks, recomputed in backward) gives the value and the gradient
/// of plain autograd, for sliced and whole leaves, for both ways of combining chunks.
/// </summary>
public class ChunkedReductionTests
{
    private const long Rows = 32, Width = 256;

    /// <summary>
    /// Row r: Σ_{a,b} σ(x[r, a] − y[b])·w[a] over a [rows, d, d] term (512 KiB of float64 per row, so CPU blocks
    /// of 2 MiB hold 4 rows). x is read through the chunk's rows (sliced), y and w whole.
    /// </summary>
    private static Tensor Body(Tensor[] leaves, long start, long length) =>
        leaves[0].unsqueeze(2).sub(leaves[1].unsqueeze(0).unsqueeze(0)).sigmoid().mul(leaves[2].unsqueeze(0).unsqueeze(2)).sum(new long[] { 1, 2 }, false);

    public static TheoryData<long, ChunkCombine, string> Plans => new()
    {
        // Budget above everything: one graph, built in blocks of 4 rows on the CPU.
        { 1L << 30, ChunkCombine.Concatenate, "one graph in blocks" },
        { 1L << 30, ChunkCombine.Sum, "one graph in blocks" },
        // Budget of 16 rows: recomputed in backward, in blocks of 4.
        { 1L << 20, ChunkCombine.Concatenate, "recomputed" },
        { 1L << 20, ChunkCombine.Sum, "recomputed" },
        // Budget of 1 row.
        { Width * Width, ChunkCombine.Concatenate, "recomputed row by row" },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Chunked_value_and_gradient_equal_plain_autograd(long budget, ChunkCombine combine, string plan)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var x = randn(Rows, Width, dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        var y = randn(Width, dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        var w = rand(Width, dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        var outer = randn(Rows, dtype: ScalarType.Float64, generator: generator);

        var expectedRows = Body(new[] { x, y, w }, 0, Rows);
        var expected = combine == ChunkCombine.Concatenate ? expectedRows.mul(outer).sum() : expectedRows.sum();
        var expectedGrads = autograd.grad(new[] { expected }, new[] { x, y, w });

        var chunk = ChunkedReduction.ChunkLength(budget, new long[] { Width, Width });
        var actualValue = ChunkedReduction.Reduce(
            combine == ChunkCombine.Concatenate ? Body : (leaves, start, length) => Body(leaves, start, length).sum(new long[] { 0 }, false),
            new[] { x, y, w }, new long[] { 0, -1, -1 }, Rows, chunk, budget, 0, combine, differentiable: true);
        var actual = combine == ChunkCombine.Concatenate ? actualValue.mul(outer).sum() : actualValue;
        var actualGrads = autograd.grad(new[] { actual }, new[] { x, y, w });

        Assert.Equal(expected.item<double>(), actual.item<double>(), 9);
        for (var k = 0; k < 3; k++)
        {
            Assert.True(expectedGrads[k].allclose(actualGrads[k], rtol: 1e-10, atol: 1e-12), $"{plan}, {combine}: gradient of leaf {k} differs");
        }
    }

    [Fact]
    public void Cpu_blocks_keep_each_intermediate_within_2_MiB_and_never_exceed_the_chunk()
    {
        using var scope = NewDisposeScope();
        var float32 = new[] { zeros(1, dtype: ScalarType.Float32), zeros(1, dtype: ScalarType.Bool) };
        var float64 = new[] { zeros(1, dtype: ScalarType.Float64) };
        // RS@k at N = 4 000 (12 000 elements per query): the default budget allows 1 398 queries, a block 43.
        var chunk = ChunkedReduction.ChunkLength(1L << 24, new long[] { 4000, 3 });
        Assert.Equal(1398, chunk);
        var block = ChunkedReduction.BlockLength(float32, chunk, 1L << 24);
        Assert.Equal(43, block);
        Assert.InRange(block * 12000L * 4, (2L << 20) - 12000L * 4, 2L << 20);
        // float64 halves the block; a budget under the block size leaves the chunk alone.
        Assert.InRange(ChunkedReduction.BlockLength(float64, chunk, 1L << 24), block / 2 - 1, block / 2);
        Assert.Equal(100, ChunkedReduction.BlockLength(float32, 100, 1L << 19));
        Assert.Equal(50, ChunkedReduction.BlockLength(float32, 100, 1L << 20));
        // A graph kept for backward keeps every block's buffers: blocks under 32 MiB per intermediate there.
        var kept = ChunkedReduction.BlockLength(float32, chunk, 1L << 24, keepsGraph: true);
        Assert.InRange(kept * 12000L * 4, (32L << 20) - (1L << 20), 32L << 20);
        // A chunk of one position is never cut further.
        Assert.Equal(1, ChunkedReduction.BlockLength(float32, 1, 1L << 40));
    }

    [Fact]
    public void Mismatched_slices_are_rejected()
    {
        using var x = zeros(4, 2);
        var error = Assert.Throws<ArgumentException>(() =>
            ChunkedReduction.Reduce((l, s, n) => l[0], new[] { x }, new long[] { 0, 0 }, 4, 2, 8, 0, ChunkCombine.Concatenate, differentiable: false));
        Assert.Contains("slice", error.Message);
    }
}
