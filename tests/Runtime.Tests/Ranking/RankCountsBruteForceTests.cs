using TorchSharp;
using static TorchSharp.torch;
using MetricLoss.Runtime.Ranking;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// <see cref="RankCounts"/> and <see cref="TieGroups"/> against their O(N²) definitions (<see cref="BruteForce"/>)
/// on <see cref="RankingRandom.SeedCount"/> seeded batches: N = 1..60, heavy ties, ±∞, masks from empty to full
/// as bool, 0/1 numbers or dyadic weights. Counts of such masks are exact, so equality is exact.
/// </summary>
public sealed class RankCountsBruteForceTests
{
    private static readonly ScalarType[] Dtypes = { ScalarType.Float64, ScalarType.Float32 };

    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void CountAbove_equals_the_double_loop(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        foreach (var dtype in Dtypes)
        foreach (var strict in new[] { true, false })
        foreach (var excludeSelf in new[] { true, false })
        {
            using var scope = NewDisposeScope();
            var values = RankingTensors.AsSeenIn(batch.Values, dtype);
            var expected = BruteForce.CountAbove(values, batch.MaskA, batch.Rows, batch.Items, strict, excludeSelf);
            var x = RankingTensors.Values(batch.Values, batch.Shape, dtype);
            var mask = RankingTensors.Mask(batch.MaskA, batch.Shape, batch.Kind);

            var actual = RankingTensors.Read(RankCounts.CountAbove(x, mask, strict, excludeSelf), batch.Shape);

            Assert.True(expected.SequenceEqual(actual), $"seed {seed}, {batch}, {dtype}, strict {strict}, excludeSelf {excludeSelf}");
        }
    }

    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void CountAbove_without_mask_counts_every_item(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        var ones = Enumerable.Repeat(1.0, batch.Values.Length).ToArray();
        foreach (var strict in new[] { true, false })
        foreach (var excludeSelf in new[] { true, false })
        {
            using var scope = NewDisposeScope();
            var expected = BruteForce.CountAbove(batch.Values, ones, batch.Rows, batch.Items, strict, excludeSelf);
            var x = RankingTensors.Values(batch.Values, batch.Shape);

            var actual = RankingTensors.Read(RankCounts.CountAbove(x, null, strict, excludeSelf), batch.Shape);

            Assert.True(expected.SequenceEqual(actual), $"seed {seed}, {batch}, strict {strict}, excludeSelf {excludeSelf}");
        }
    }

    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void StepCountAbove_equals_the_double_loop(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        foreach (var dtype in Dtypes)
        foreach (var excludeSelf in new[] { true, false })
        {
            using var scope = NewDisposeScope();
            var values = RankingTensors.AsSeenIn(batch.Values, dtype);
            var expected = BruteForce.StepCountAbove(values, batch.MaskA, batch.Rows, batch.Items, excludeSelf);
            var x = RankingTensors.Values(batch.Values, batch.Shape, dtype);
            var mask = RankingTensors.Mask(batch.MaskA, batch.Shape, batch.Kind);

            var actual = RankingTensors.Read(RankCounts.StepCountAbove(x, mask, excludeSelf), batch.Shape);

            Assert.True(expected.SequenceEqual(actual), $"seed {seed}, {batch}, {dtype}, excludeSelf {excludeSelf}");
        }
    }

    /// <summary>One sort serves several counts: the shared <see cref="TieGroups"/> gives what separate calls give.</summary>
    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void One_TieGroups_serves_counts_under_several_masks(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        using var scope = NewDisposeScope();
        var x = RankingTensors.Values(batch.Values, batch.Shape);
        using var groups = new TieGroups(x);
        foreach (var maskValues in new[] { batch.MaskA, batch.MaskB })
        {
            var mask = RankingTensors.Mask(maskValues, batch.Shape, batch.Kind);
            Assert.Equal(
                BruteForce.CountAbove(batch.Values, maskValues, batch.Rows, batch.Items, strict: false, excludeSelf: true),
                RankingTensors.Read(groups.CountAbove(mask, strict: false, excludeSelf: true), batch.Shape));
            Assert.Equal(
                BruteForce.CountAbove(batch.Values, maskValues, batch.Rows, batch.Items, strict: true, excludeSelf: false),
                RankingTensors.Read(groups.CountAbove(mask, strict: true, excludeSelf: false), batch.Shape));
            Assert.Equal(
                BruteForce.StepCountAbove(batch.Values, maskValues, batch.Rows, batch.Items, excludeSelf: true),
                RankingTensors.Read(groups.StepCountAbove(mask, excludeSelf: true), batch.Shape));
        }
    }

    /// <summary>RecallAtK's and NdcgAtK's rank: 1 + Σ_{j≠i} valid_j·[sim_j &gt; sim_i], over queries as rows.</summary>
    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void Retrieval_rank_is_one_plus_the_strict_count(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        using var scope = NewDisposeScope();
        var sim = RankingTensors.Values(batch.Values, batch.Shape);
        var valid = RankingTensors.Mask(batch.MaskA, batch.Shape, MaskKind.Bool);
        var expected = new double[batch.Values.Length];
        for (var r = 0; r < batch.Rows; r++)
        for (var i = 0; i < batch.Items; i++)
        {
            expected[r * batch.Items + i] = 1;
            for (var j = 0; j < batch.Items; j++)
            {
                if (j != i && batch.MaskA[r * batch.Items + j] != 0 && batch.Values[r * batch.Items + j] > batch.Values[r * batch.Items + i])
                    expected[r * batch.Items + i] += 1;
            }
        }

        var rank = MetricOps.Add(RankCounts.CountAbove(sim, valid, strict: true, excludeSelf: true), 1.0);

        Assert.Equal(expected, RankingTensors.Read(rank, batch.Shape));
    }
}
