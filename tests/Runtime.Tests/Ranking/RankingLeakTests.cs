using MetricLoss.Runtime.Ranking;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// Only the returned tensor outlives a kernel call, and it lands in the caller's dispose scope (docs/torchsharp-rules.md
/// rule 24); <see cref="TieGroups"/> frees the two tensors it owns when disposed. Counted with the thread's
/// dispose-scope statistics, so this class runs alone.
/// </summary>
[Collection(ResourceCountingCollection.Name)]
public sealed class RankingLeakTests
{
    [Fact]
    public void Each_call_leaves_exactly_its_result_alive()
    {
        using var outer = NewDisposeScope();
        var x = Tensors.Scores(new[] { 0.5, 0.25, 0.5, 1, 0, 0.25 }, ScalarType.Float32).reshape(2, 3);
        var m = Tensors.Labels(new[] { true, false, true, true, true, false }).reshape(2, 3);
        var index = tensor(new long[] { 0, 2 });
        var threshold = x.select(-1, 1);
        var longRow = rand(70_000, ScalarType.Float64); // long enough for the radix path of the row sort (with ≥ 2 threads)
        var longMask = longRow.gt(0.5.ToScalar());
        var calls = new (string What, Func<Tensor> Call)[]
        {
            ("CountAbove", () => RankCounts.CountAbove(x, m, true, true)),
            ("CountAbove, no mask", () => RankCounts.CountAbove(x, null, false, true)),
            ("StepCountAbove", () => RankCounts.StepCountAbove(x, m, false)),
            ("MannWhitney", () => PairwiseRank.MannWhitney(x, m, m)),
            ("Precision", () => PrecisionAtPositives.Precision(x, m, m)),
            ("AveragePrecision", () => PrecisionAtPositives.AveragePrecision(x, m)),
            ("CountAboveValue", () => ThresholdCounts.CountAboveValue(x, threshold, m, false)),
            ("CountAboveIndex", () => ThresholdCounts.CountAboveIndex(x, index, m, false)),
            ("CountAboveIndex, no mask", () => ThresholdCounts.CountAboveIndex(x, index, null, false)),
            ("IdealDcg", () => DiscountedGain.IdealDcg(x, 2)),
            ("IdealDcg, k = 0", () => DiscountedGain.IdealDcg(x, 0)),
            ("CountAbove, long row", () => RankCounts.CountAbove(longRow, longMask, false, true)),
            ("MannWhitney, long row", () => PairwiseRank.MannWhitney(longRow, longMask, longMask)),
            ("TieGroups", () => { using var g = new TieGroups(x); return g.StepCountAbove(m, true); }),
        };
        foreach (var (what, call) in calls)
        {
            call().Dispose(); // warm-up
            DisposeScopeManager.Statistics.Reset();

            var result = call();

            Assert.True(DisposeScopeManager.Statistics.ThreadTotalLiveCount == 1,
                $"{what}: {DisposeScopeManager.Statistics.ThreadTotalLiveCount} tensors alive after the call, expected 1 ({DisposeScopeManager.Statistics})");
            Assert.True(outer.Contains(result), $"{what}: the result is not in the caller's dispose scope");
            result.Dispose();
        }
    }
}
