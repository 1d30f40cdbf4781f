using MetricLoss.Runtime.Ranking;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// <see cref="ThresholdCounts"/> and <see cref="DiscountedGain.IdealDcg"/> against their definitions on the seeded
/// batches of <see cref="RankingRandom"/> (the last axis plays the classes, or the items of a query).
/// </summary>
public sealed class ThresholdAndDcgBruteForceTests
{
    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void CountAboveValue_equals_the_loop(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        var rng = new Random(seed);
        var rows = RankingTensors.Rows(batch.Shape);
        // Thresholds on the same one-decimal grid as the values, so that ties with the threshold are common.
        var threshold = Enumerable.Range(0, batch.Rows).Select(_ => Math.Round(rng.NextDouble() * 2 - 1, 1)).ToArray();
        foreach (var strict in new[] { true, false })
        {
            using var scope = NewDisposeScope();
            var expected = BruteForce.CountAboveValue(batch.Values, threshold, batch.MaskA, batch.Rows, batch.Items, strict);

            var actual = ThresholdCounts.CountAboveValue(
                RankingTensors.Values(batch.Values, batch.Shape),
                RankingTensors.Values(threshold, rows),
                RankingTensors.Mask(batch.MaskA, batch.Shape, batch.Kind),
                strict);

            Assert.True(expected.SequenceEqual(RankingTensors.Read(actual, rows)), $"seed {seed}, {batch}, strict {strict}");
        }
    }

    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void CountAboveIndex_equals_the_loop_over_the_other_classes(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        var rng = new Random(seed);
        var rows = RankingTensors.Rows(batch.Shape);
        var index = Enumerable.Range(0, batch.Rows).Select(_ => (long)rng.Next(batch.Items)).ToArray();
        var ones = Enumerable.Repeat(1.0, batch.Values.Length).ToArray();
        foreach (var strict in new[] { true, false })
        foreach (var masked in new[] { true, false })
        foreach (var indexType in new[] { ScalarType.Int64, ScalarType.Int32 })
        {
            using var scope = NewDisposeScope();
            var expected = BruteForce.CountAboveIndex(batch.Values, index, masked ? batch.MaskA : ones, batch.Rows, batch.Items, strict);

            var actual = ThresholdCounts.CountAboveIndex(
                RankingTensors.Values(batch.Values, batch.Shape),
                torch.tensor(index).reshape(rows).to_type(indexType),
                masked ? RankingTensors.Mask(batch.MaskA, batch.Shape, batch.Kind) : null,
                strict);

            Assert.True(expected.SequenceEqual(RankingTensors.Read(actual, rows)), $"seed {seed}, {batch}, strict {strict}, masked {masked}, {indexType}");
        }
    }

    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void IdealDcg_equals_the_sorted_sum(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        var rows = RankingTensors.Rows(batch.Shape);
        // Finite gains with ties (the masks' dyadic weights, or the one-decimal values shifted to be non-negative).
        var gain = seed % 2 == 0 ? batch.MaskA : batch.Values.Select(v => double.IsInfinity(v) ? 3.0 : v + 1).ToArray();
        foreach (var k in new long[] { 0, 1, 3, batch.Items, batch.Items + 5 })
        {
            using var scope = NewDisposeScope();
            var expected = BruteForce.IdealDcg(gain, batch.Rows, batch.Items, k);

            var actual = DiscountedGain.IdealDcg(RankingTensors.Values(gain, batch.Shape), k);

            PairwiseAndPrecisionBruteForceTests.AssertClose(expected, RankingTensors.Read(actual, rows), $"seed {seed}, {batch}, k {k}");
        }
    }
}
