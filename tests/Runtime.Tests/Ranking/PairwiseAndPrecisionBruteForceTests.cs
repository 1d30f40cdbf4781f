using MetricLoss.Runtime.Ranking;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// <see cref="PairwiseRank.MannWhitney"/> and <see cref="PrecisionAtPositives"/> against their O(N²) definitions on
/// the seeded batches of <see cref="RankingRandom"/> (heavy ties, overlapping masks, empty rows).
/// </summary>
public sealed class PairwiseAndPrecisionBruteForceTests
{
    private const double Tolerance = 1e-12;

    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void MannWhitney_equals_the_double_loop(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
        {
            using var scope = NewDisposeScope();
            var values = RankingTensors.AsSeenIn(batch.Values, dtype);
            // Independent masks: they overlap, so the i = j terms (½ each) are exercised too.
            var expected = BruteForce.MannWhitney(values, batch.MaskA, batch.MaskB, batch.Rows, batch.Items);
            var s = RankingTensors.Values(batch.Values, batch.Shape, dtype);

            var actual = PairwiseRank.MannWhitney(s,
                RankingTensors.Mask(batch.MaskA, batch.Shape, batch.Kind),
                RankingTensors.Mask(batch.MaskB, batch.Shape, batch.Kind));

            Assert.True(expected.SequenceEqual(RankingTensors.Read(actual, RankingTensors.Rows(batch.Shape))), $"seed {seed}, {batch}, {dtype}");
        }
    }

    /// <summary>The RocAuc example's wins with pos = label, neg = !label, and its value wins / (P·N).</summary>
    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void RocAuc_composition_equals_the_pairwise_definition(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        using var scope = NewDisposeScope();
        var label = batch.MaskA.Select(m => m != 0 ? 1.0 : 0.0).ToArray();
        var negative = label.Select(l => 1 - l).ToArray();
        var wins = BruteForce.MannWhitney(batch.Values, label, negative, batch.Rows, batch.Items);
        var expected = new double[batch.Rows];
        for (var r = 0; r < batch.Rows; r++)
        {
            var p = label.Skip(r * batch.Items).Take(batch.Items).Sum();
            var pairs = p * (batch.Items - p);
            expected[r] = pairs == 0 ? 0 : wins[r] / pairs;
        }

        var auc = RankingCompositions.RocAuc(
            RankingTensors.Values(batch.Values, batch.Shape),
            RankingTensors.Mask(label, batch.Shape, MaskKind.Bool));

        AssertClose(expected, RankingTensors.Read(auc, RankingTensors.Rows(batch.Shape)), $"seed {seed}");
    }

    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void Precision_equals_the_double_loop(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        var ones = Enumerable.Repeat(1.0, batch.Values.Length).ToArray();
        using var scope = NewDisposeScope();
        var s = RankingTensors.Values(batch.Values, batch.Shape);
        var positive = RankingTensors.Mask(batch.MaskA, batch.Shape, batch.Kind);
        var valid = RankingTensors.Mask(batch.MaskB, batch.Shape, batch.Kind);

        AssertClose(BruteForce.Precision(batch.Values, batch.MaskA, batch.MaskB, batch.Rows, batch.Items),
            RankingTensors.Read(PrecisionAtPositives.Precision(s, positive, valid), batch.Shape), $"seed {seed}, {batch}, with valid");
        AssertClose(BruteForce.Precision(batch.Values, batch.MaskA, ones, batch.Rows, batch.Items),
            RankingTensors.Read(PrecisionAtPositives.Precision(s, positive), batch.Shape), $"seed {seed}, {batch}");
    }

    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void AveragePrecision_equals_the_double_loop(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        var ones = Enumerable.Repeat(1.0, batch.Values.Length).ToArray();
        var rows = RankingTensors.Rows(batch.Shape);
        using var scope = NewDisposeScope();
        var s = RankingTensors.Values(batch.Values, batch.Shape);
        var positive = RankingTensors.Mask(batch.MaskA, batch.Shape, batch.Kind);
        var valid = RankingTensors.Mask(batch.MaskB, batch.Shape, batch.Kind);

        AssertClose(BruteForce.AveragePrecision(batch.Values, batch.MaskA, batch.MaskB, batch.Rows, batch.Items),
            RankingTensors.Read(PrecisionAtPositives.AveragePrecision(s, positive, valid), rows), $"seed {seed}, {batch}, with valid");
        AssertClose(BruteForce.AveragePrecision(batch.Values, batch.MaskA, ones, batch.Rows, batch.Items),
            RankingTensors.Read(PrecisionAtPositives.AveragePrecision(s, positive), rows), $"seed {seed}, {batch}");
    }

    /// <summary>
    /// The AveragePrecision example of docs/language.md, evaluated literally (double loop), equals both the composition of
    /// two CountAbove calls (as a generated program computes above and pos_above) and the one-sort helper.
    /// </summary>
    [Theory]
    [MemberData(nameof(RankingRandom.Seeds), MemberType = typeof(RankingRandom))]
    public void AveragePrecision_example_equals_both_compositions(int seed)
    {
        var batch = RankingRandom.Draw(seed);
        var rows = RankingTensors.Rows(batch.Shape);
        var label = batch.MaskA.Select(m => m != 0 ? 1.0 : 0.0).ToArray();
        var expected = BruteForce.AveragePrecisionExample(batch.Values, label, batch.Rows, batch.Items);
        using var scope = NewDisposeScope();
        var s = RankingTensors.Values(batch.Values, batch.Shape);
        var l = RankingTensors.Mask(label, batch.Shape, MaskKind.Bool);

        AssertClose(expected, RankingTensors.Read(RankingCompositions.AveragePrecision(s, l), rows), $"seed {seed}: CountAbove composition");
        AssertClose(expected, RankingTensors.Read(PrecisionAtPositives.AveragePrecision(s, l), rows), $"seed {seed}: PrecisionAtPositives");
    }

    internal static void AssertClose(double[] expected, double[] actual, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance, $"{context}: element {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }
}
