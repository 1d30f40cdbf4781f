using CsCheck;
using MetricLoss.Dsl.Interpretation;
using static MetricLoss.Dsl.Tests.Interpretation.Kit;

namespace MetricLoss.Dsl.Tests.Interpretation;

/// <summary>
/// Smooth → exact as τ → 0. On tie-free scores every relaxed score comparison tends to its hard value;
/// a relaxed comparison of a count with an integer cut-off (rank ≤ k, higher &lt; k) tends to ½ where the
/// two are equal, because relax(0) = ½ for strict and non-strict comparisons alike.
/// </summary>
public class SmoothLimitTests
{
    private const double TinyTau = 1e-7;

    /// <summary>Distinct scores at least 0.1 apart (a shuffled grid), with random labels.</summary>
    private static readonly Gen<(double[] Score, int[] Label)> TieFree =
        Gen.Int[1, 8].SelectMany(n => Gen.Select(Gen.Double[0, 1].Array[n], Gen.Int[0, 1].Array[n], (keys, label) =>
        {
            var order = Enumerable.Range(0, n).OrderBy(i => keys[i]).ToArray();
            var score = new double[n];
            for (var r = 0; r < n; r++) score[order[r]] = r / 10.0 - 0.25; // never exactly 0 (F1's threshold)
            return (score, label);
        }));

    [Theory]
    [InlineData("F1")]
    [InlineData("RocAuc")]
    [InlineData("AveragePrecision")]
    public void Binary_metrics_tend_to_their_exact_values(string name)
    {
        var metric = Normative(name);
        TieFree.Sample(x =>
        {
            var inputs = Inputs(("score", Vec(x.Score)), ("label", Labels(x.Label)));
            var exact = ReferenceInterpreter.Exact(metric, inputs);
            Assert.Equal(exact, ReferenceInterpreter.Smooth(metric, inputs, Options(("tau", TinyTau))), 9);
            Assert.Equal(exact, ReferenceInterpreter.Smooth(metric, inputs, Options(("tau", TinyTau)), Linear), 9);
        }, iter: 100);
    }

    [Fact]
    public void The_gap_to_the_exact_value_shrinks_with_tau()
    {
        var metric = Normative("AveragePrecision");
        var inputs = Inputs(("score", Vec(0.35, 0.3, 0.1, -0.2, 0.05)), ("label", Labels(1, 0, 1, 0, 1)));
        var exact = ReferenceInterpreter.Exact(metric, inputs);
        var gaps = new[] { 1.0, 0.1, 0.01, 1e-3 }
            .Select(tau => Math.Abs(ReferenceInterpreter.Smooth(metric, inputs, Options(("tau", tau))) - exact))
            .ToArray();
        Assert.True(gaps[0] > 0.01, $"at τ = 1 the surrogate should differ visibly, gap {gaps[0]}");
        for (var t = 1; t < gaps.Length; t++) Assert.True(gaps[t] < gaps[t - 1], $"gaps {string.Join(", ", gaps)}");
        Assert.True(gaps[^1] < 1e-9);
    }

    [Fact]
    public void TopKAccuracy_tends_to_the_exact_value_with_one_half_where_the_count_equals_k()
    {
        var metric = Normative("TopKAccuracy");
        // Tie-free logits; `higher` = 0, 1 and 2 for the three samples.
        double[,] logit = { { 3, 1, 2 }, { 1, 3, 2 }, { 0.5, 3, 2 } };
        var inputs = Inputs(("logit", Mat(logit)), ("target", Vec(0, 2, 0)));
        foreach (var k in new[] { 1, 2, 3 })
        {
            int[] higher = { 0, 1, 2 };
            var expected = higher.Average(h => h < k ? 1 : h == k ? 0.5 : 0);
            var options = Options(("k", k), ("tau", TinyTau));
            Assert.Equal(expected, ReferenceInterpreter.Smooth(metric, inputs, options), 9);
            Assert.Equal(higher.Average(h => h < k ? 1.0 : 0), ReferenceInterpreter.Exact(metric, inputs, options), 12);
        }
    }

    [Fact]
    public void NdcgAtK_tends_to_the_exact_value_with_one_half_at_rank_k()
    {
        var metric = Normative("NdcgAtK");
        double[] s = { 0.1, 0.4, 0.3, 0.2 }, g = { 3, 2, 0, 1 };
        var inputs = Inputs(("score", new DenseArray(s, 1, 4)), ("gain", new DenseArray(g, 1, 4)));
        // By score the gains come as 2, 0, 1, 3 at ranks 1..4. With k = 3 the item at rank 3 counts ½.
        var dcg = 2 / Math.Log2(2) + 0 / Math.Log2(3) + 0.5 * 1 / Math.Log2(4);
        var idcg = 3 + 2 / Math.Log2(3) + 1 / Math.Log2(4);
        var options = Options(("k", 3), ("tau", TinyTau));
        Assert.Equal(dcg / idcg, ReferenceInterpreter.Smooth(metric, inputs, options), 9);
        Assert.Equal((2 + 1 / Math.Log2(4)) / idcg, ReferenceInterpreter.Exact(metric, inputs, options), 12);
    }
}
