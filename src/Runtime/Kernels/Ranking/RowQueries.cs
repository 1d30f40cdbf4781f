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

    /// <summary>1 for a wanted item and 0 for padding or an unwanted one, float64: [b, Q] along <see cref="Positions"/>, [b, N]
    /// in the items' order when every item is queried, or null when all are wanted.</summary>
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

    /// <summary>The weights per query of <paramref name="bands"/> (whose queries are every item in sorted order when <see cref="Positions"/> is null), or null.</summary>
    public Tensor? WeightsOf(SortedBands bands) => Weights is null ? null : Positions is null ? bands.At(Weights) : Weights;
}
