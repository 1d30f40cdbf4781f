using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// One block of rows of <see cref="SortedRankSums"/>, as forward and backward both start it: the rows' slice of the
/// output, the items queried, the scores, their sort and bands at the queries, and the weights m in the items' and in
/// the sorted order (float64). Made inside the block's dispose scope, so everything here is freed with the block.
/// </summary>
internal sealed record RankBlock(Tensor Target, RowQueries Queries, Tensor Scores, SortedBands Bands, Tensor? Weights, Tensor SortedWeights)
{
    /// <summary>
    /// The block of rows [start, start + length) of the flat scores [rows, N], or null when no item of it is wanted
    /// (its slice of <paramref name="output"/> is then set to 0).
    /// </summary>
    public static RankBlock? Of(Tensor scores, Tensor output, Tensor? mask, Tensor? rows, long start, long length, double temperature, double halfWidth)
    {
        var n = scores.shape[^1];
        var target = output.narrow(0, start, length);
        var queries = RowQueries.Of(rows?.narrow(0, start, length), n);
        if (queries.Count == 0)
        {
            target.zero_();
            return null;
        }
        var block = scores.narrow(0, start, length);
        var bands = SortedBands.Of(block, queries.Positions, temperature, halfWidth);
        var weights = mask?.narrow(0, start, length).to_type(ScalarType.Float64);
        // m in each row's sorted order (all 1 without a mask).
        var sortedWeights = weights is null ? ones(new[] { length, n }, dtype: ScalarType.Float64, device: scores.device) : weights.gather(-1, bands.Order);
        return new RankBlock(target, queries, block, bands, weights, sortedWeights);
    }
}
