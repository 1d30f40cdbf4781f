using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Per-query ranking metrics composed from the pieces the smooth lowering rewrites (a constant condition in a
/// masked pairwise sum, a relaxed comparison of scores, a demand-driven outer mask, a function of the soft rank,
/// a nested comparison of the rank with a constant), drawn with a fixed seed: whole and chunked programs equal the
/// reference interpreter (exact and smooth), and chunked gradients equal whole ones.
/// </summary>
public class PairwiseCompositionTests
{
    private static readonly string[] Conditions =
    {
        "valid[q, j]", "label[q, j]", "!label[q, j]", "label[q, j] & valid[q, j]", "!label[q, j] & valid[q, j]",
        "weight[q, j]", "label[q, j] | valid[q, j]",
    };

    private static readonly string[] Comparisons = { ">", ">=" };

    // Sums select with a bool mask (and take constant conditions into it); the other reducers weigh by a float mask.
    private static readonly string[] Reducers = { "sum", "sum", "mean", "max", "min" };

    private static readonly string[] OuterMasks = { "label[q, i]", "valid[q, i]", "label[q, i] & valid[q, i]" };

    private static readonly string[] OfRank = { "rank[q, i]", "1 / rank[q, i]", "((rank[q, i] <= 2) @ 1)", "weight[q, i] / rank[q, i]" };

    /// <summary>
    /// 20 distinct compositions. A repeated draw would be a theory case with the same data, hence the same test
    /// case id, which xUnit skips ("duplicate ID"): so a repeat is drawn again instead of added.
    /// </summary>
    public static TheoryData<string> Metrics()
    {
        var random = new Random(20261125);
        var drawn = new HashSet<string>(StringComparer.Ordinal);
        while (drawn.Count < 20)
        {
            var condition = Conditions[random.Next(Conditions.Length)];
            var comparison = Comparisons[random.Next(Comparisons.Length)];
            var reducer = Reducers[random.Next(Reducers.Length)];
            var outer = OuterMasks[random.Next(OuterMasks.Length)];
            var ofRank = OfRank[random.Next(OfRank.Length)];
            drawn.Add($$"""
                metric Composed(score: real[q, i], label: bool[q, i], valid: bool[q, i], weight: const real[q, i], tau: real = 0.2) {
                    rank[q, i] = 1 + {{reducer}}[j != i](({{condition}}) * ((score[q, j] {{comparison}} score[q, i]) @ tau));
                    per[q] = sum[i](({{outer}}) * {{ofRank}});
                    maximize sum[q](per[q]) / (1 + sum[q, i]({{outer}}));
                }
                """);
        }
        var data = new TheoryData<string>();
        foreach (var text in drawn.Order(StringComparer.Ordinal)) data.Add(text);
        return data;
    }

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Whole_and_chunked_programs_equal_the_interpreter(string text)
    {
        // The smooth program takes the rewritten paths under test: the outer mask's support, a chunked masked sum.
        var source = Assert.Single(GeneratorHarness.Run(text, "composed.metric").Sources).Value;
        Assert.Contains("DenseOps.Support(", source);
        Assert.Contains("ChunkedReduction.Reduce(", source);
        Assert.Contains(text.Contains("1 + sum[j", StringComparison.Ordinal) ? "DenseOps.SumWhere(" : "Masked(", source);

        var metric = CompiledMetric.Compile(text, "Composed");
        var sizes = new Dictionary<string, int> { ["q"] = 4, ["i"] = 6 };
        var random = new Random(text.Length);
        var chunked = metric.Options(maxPairwiseElements: 10);
        for (var trial = 0; trial < 3; trial++)
        {
            var (tensors, arrays) = metric.RandomInputs(random, sizes, float64);
            var exact = ReferenceInterpreter.Exact(metric.Bound, arrays);
            Assert.Equal(exact, metric.Exact(tensors), 12);
            Assert.Equal(exact, metric.Exact(tensors, chunked), 12);

            var smooth = ReferenceInterpreter.Smooth(metric.Bound, arrays);
            var (wholeValue, wholeGradient) = metric.SmoothWithGradient(tensors);
            var (chunkedValue, chunkedGradient) = metric.SmoothWithGradient(tensors, chunked);
            Assert.Equal(smooth, wholeValue, 10);
            Assert.Equal(smooth, chunkedValue, 10);
            Assert.True(wholeGradient.allclose(chunkedGradient, rtol: 1e-9, atol: 1e-12), $"chunked gradient differs for:\n{text}");
        }
    }
}
