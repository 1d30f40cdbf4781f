using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// The mask kernels of the demand-driven and masked lowering, against their definitions on small masks:
/// the support of a constant mask (per row, its non-zero positions, padded) and the exclusion mask with a condition.
/// </summary>
public class DenseMaskOpsTests
{
    private static readonly bool[,] Mask =
    {
        { false, true, false, true, false, true },
        { false, false, false, false, false, false },   // no positives: all padding
        { true, false, false, false, false, false },
        { true, true, true, true, true, true },          // the largest count sizes the support
    };

    [Theory]
    [InlineData(ScalarType.Bool)]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    public void Support_lists_each_rows_positions_in_order_then_padding(ScalarType maskType)
    {
        using var scope = NewDisposeScope();
        var mask = tensor(Mask).to_type(maskType);
        var (index, valid, size) = DenseOps.Support(mask, ScalarType.Float32);

        Assert.Equal(6, size);
        Assert.Equal(new long[] { 4, 6 }, index.shape);
        Assert.Equal(ScalarType.Float32, valid.dtype);
        var positions = index.data<long>().ToArray();
        var validity = valid.data<float>().ToArray();
        for (var row = 0; row < 4; row++)
        {
            var expected = Enumerable.Range(0, 6).Where(i => Mask[row, i]).Select(i => (long)i).ToList();
            var listed = Enumerable.Range(0, 6).Where(k => validity[row * 6 + k] == 1).Select(k => positions[row * 6 + k]).ToList();
            Assert.Equal(expected, listed);
            // Padding points at real positions where the mask is zero (safe to gather), with validity 0.
            foreach (var k in Enumerable.Range(0, 6).Where(k => validity[row * 6 + k] == 0))
            {
                Assert.InRange(positions[row * 6 + k], 0, 5);
                Assert.False(Mask[row, positions[row * 6 + k]]);
            }
        }
    }

    [Fact]
    public void Support_of_an_all_zero_mask_has_one_padding_position()
    {
        using var scope = NewDisposeScope();
        var (index, valid, size) = DenseOps.Support(zeros(3, 5, dtype: ScalarType.Bool), ScalarType.Float64);
        Assert.Equal(1, size);
        Assert.Equal(new long[] { 3, 1 }, index.shape);
        Assert.Equal(0, valid.sum().item<double>());
    }

    [Theory]
    [InlineData(ScalarType.Bool)]
    [InlineData(ScalarType.Float32)]
    public void KeepWhere_is_the_exclusion_and_the_condition(ScalarType conditionType)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(11);
        var positions = arange(0L, 7L, 1L, ScalarType.Int64).view(1, 7, 1);           // j
        var excluded = randint(0, 7, new long[] { 3, 1, 2 }, generator: generator);    // e[q, p]
        var condition = rand(new long[] { 3, 7, 1 }, generator: generator).gt(0.5).to_type(conditionType); // c[q, j]

        var actual = DenseOps.KeepWhere(positions, excluded, condition);
        var expected = DenseOps.Exclude(positions, excluded, ScalarType.Float64).mul(condition.to_type(ScalarType.Float64));
        Assert.Equal(ScalarType.Bool, actual.dtype);
        Assert.Equal(new long[] { 3, 7, 2 }, actual.shape);
        Assert.True(actual.to_type(ScalarType.Float64).allclose(expected, rtol: 0, atol: 0));

        // A condition over an axis the exclusion lacks broadcasts the mask up to it.
        var wider = rand(new long[] { 3, 7, 2, 4 }, generator: generator).gt(0.5).to_type(conditionType);
        var broadcast = DenseOps.KeepWhere(positions.unsqueeze(3), excluded.unsqueeze(3), wider);
        Assert.Equal(new long[] { 3, 7, 2, 4 }, broadcast.shape);
        var broadcastExpected = DenseOps.Exclude(positions.unsqueeze(3), excluded.unsqueeze(3), ScalarType.Float32).mul(wider.to_type(ScalarType.Float32));
        Assert.True(broadcast.to_type(ScalarType.Float32).allclose(broadcastExpected, rtol: 0, atol: 0));
    }

    [Fact]
    public void SumWhere_sums_the_kept_entries_and_ignores_infinite_dropped_ones()
    {
        using var scope = NewDisposeScope();
        var body = tensor(new[,] { { 1.0, double.PositiveInfinity, 2.0 }, { double.NegativeInfinity, 3.0, 4.0 } }).requires_grad_(true);
        var keep = tensor(new[,] { { true, false, true }, { false, true, true } });
        var sum = DenseOps.SumWhere(body, keep, new long[] { 1 });
        Assert.Equal(new[] { 3.0, 7.0 }, sum.data<double>().ToArray());
        sum.sum().backward();
        Assert.Equal(new[] { 1.0, 0, 1, 0, 1, 1 }, body.grad!.data<double>().ToArray());
    }
}
