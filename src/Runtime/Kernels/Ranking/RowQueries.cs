using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// The items of a block of rows whose smooth rank <see cref="SortedRankSums"/> computes: every item, or under a row
/// restriction the wanted ones. On the CPU the wanted items are gathered to the front of each row ([b, Q] positions,
/// Q the most wanted in a row of the block, padded with unwanted positions of weight 0), so that the band searches and
/// coefficients cost Q per row instead of N; reading Q is a read of host memory, not a device sync. On other devices
/// the count would be a sync, so every item is queried and the unwanted ones are weighted 0.
/// </summary>
internal sealed class RowQueries
{
    private RowQueries(Tensor? positions, Tensor? weights, long count)
    {
        (Positions, Weights, Count) = (positions, weights, count);
    }

    /// <summary>[b, Q] int64, the queried positions (distinct in a row), or null for every item in order.</summary>
    public Tensor? Positions { get; }

    /// <summary>[b, Q] float64, 1 for a wanted query and 0 for padding or an unwanted item, or null when all are wanted.</summary>
    public Tensor? Weights { get; }

    /// <summary>Q: the number of queries per row (0: none in the block is wanted).</summary>
    public long Count { get; }

    /// <summary>The queries of a block: <paramref name="wanted"/> is the restriction's block ([b, N], nonzero where wanted) or null.</summary>
    public static RowQueries Of(Tensor? wanted, long n)
    {
        if (wanted is null) return new RowQueries(null, null, n);
        using var zero = 0.0.ToScalar();
        var mask = wanted.ne(zero).to_type(ScalarType.Float64);
        if (wanted.device_type != DeviceType.CPU) return new RowQueries(null, mask, n);
        // The wanted items first: top-Q of a 0/1 row picks Q distinct positions, the wanted ones before the rest.
        var count = mask.sum(-1).max().item<double>();
        if (count == 0) return new RowQueries(null, null, 0);
        var (weights, positions) = mask.topk((int)count, -1, largest: true, sorted: false);
        return new RowQueries(positions, weights, (long)count);
    }

    /// <summary>Per query, the value of a [b, N] tensor at its position.</summary>
    public Tensor At(Tensor values) => Positions is null ? values : values.gather(-1, Positions);

    /// <summary>Per query values ([b, Q]) laid out as the block's rows ([b, N]), 0 at the items not queried.</summary>
    public Tensor Spread(Tensor values, long[] shape) =>
        Positions is null ? values : zeros(shape, dtype: values.dtype, device: values.device).scatter_(-1, Positions, values);
}
