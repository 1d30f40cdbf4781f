using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Pairwise and ranking examples of the language, lowered densely, agree with the reference interpreter
/// on random inputs with ties: exact to 1e-12, smooth to 1e-10 (float64).
/// </summary>
public class DenseLoweringDifferentialTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "RocAuc", "n=7" },
        { "AveragePrecision", "n=9" },
        { "RecallAtK", "q=4,i=6,m=5" },
        { "TopKAccuracy", "n=6,c=5" },
        { "NdcgAtK", "q=3,i=7" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_programs_equal_the_reference_interpreter(string name, string sizeText)
    {
        var metric = CompiledMetric.Compile(TestFiles.NormativeMetric(name).Replace("namespace MetricLoss.Catalog;", "namespace Dense.Tests;"), name);
        var sizes = sizeText.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1]));
        var random = new Random(name.Length * 7919);
        for (var trial = 0; trial < 25; trial++)
        {
            var (tensors, arrays) = metric.RandomInputs(random, sizes, float64);
            var exact = ReferenceInterpreter.Exact(metric.Bound, arrays);
            Assert.Equal(exact, metric.Exact(tensors), 12);
            var smooth = ReferenceInterpreter.Smooth(metric.Bound, arrays);
            using var generated = metric.Smooth(tensors);
            Assert.Equal(smooth, generated.item<double>(), 10);
        }
    }

    /// <summary>
    /// Constant 0/1 factors of a masked pairwise sum join its mask (KeepWhere), and inside a chunk bool inputs are
    /// read as given: a negated, a conjoined and a plain label condition must all work, whole and chunked.
    /// </summary>
    [Theory]
    [InlineData("!label[q, j] & valid[q, j]")]
    [InlineData("valid[q, j]")]
    [InlineData("label[q, j] | valid[q, j]")]
    [InlineData("weight[q, j] * valid[q, j]")]
    public void Constant_conditions_of_masked_pairwise_sums_match_the_interpreter(string condition)
    {
        var text = $$"""
            metric Conditioned(score: real[q, i], label: bool[q, i], valid: bool[q, i], weight: const real[q, i], tau: real = 0.1) {
                above[q, i] = 1 + sum[j != i](({{condition}}) * ((score[q, j] > score[q, i]) @ tau));
                maximize sum[q, i](label[q, i] * above[q, i]) / (1 + sum[q, i](label[q, i]));
            }
            """;
        var metric = CompiledMetric.Compile(text, "Conditioned");
        var sizes = new Dictionary<string, int> { ["q"] = 5, ["i"] = 7 };
        var random = new Random(condition.Length * 104729);
        foreach (var budget in new long[] { 1L << 24, 12 })
        {
            var options = metric.Options(maxPairwiseElements: budget);
            for (var trial = 0; trial < 5; trial++)
            {
                var (tensors, arrays) = metric.RandomInputs(random, sizes, float64);
                Assert.Equal(ReferenceInterpreter.Exact(metric.Bound, arrays), metric.Exact(tensors, options), 12);
                using var generated = metric.Smooth(tensors, options);
                Assert.Equal(ReferenceInterpreter.Smooth(metric.Bound, arrays), generated.item<double>(), 10);
            }
        }
    }

    [Fact]
    public void A_pairwise_statement_beyond_the_budget_is_an_argument_exception()
    {
        // A pairwise value kept as a statement (not reduced at once) cannot be chunked: it is checked instead.
        const string text = """
            metric Pairs(score: real[n], label: bool[n], tau: real = 0.1) {
                wins[i, j] = label[i] & !label[j] & (score[i] > score[j]);
                maximize sum[i, j](wins[i, j]) / sum[i, j](label[i] & !label[j]);
            }
            """;
        var metric = CompiledMetric.Compile(text, "Pairs");
        using var score = rand(5000, dtype: float64);
        using var label = rand(5000).gt(0.5);
        var error = Assert.Throws<ArgumentException>(() => metric.Exact(new[] { score, label }));
        Assert.Contains("Pairs", error.Message);
        Assert.Contains("[i, j]", error.Message);
        Assert.Contains("MaxPairwiseElements", error.Message);
    }

    public static TheoryData<string, string> ChunkedCases => new()
    {
        { "RocAuc", "n=23" },
        { "AveragePrecision", "n=17" },
        { "RecallAtK", "q=6,i=9,m=5" },
        { "NdcgAtK", "q=5,i=8" },
        // Catalogue metrics whose chunks read their inputs through supports and gathers of the chunk's rows.
        { "MeanAveragePrecision", "q=7,i=9" },
        { "RetrievalRecallAtK", "q=6,i=9,m=3" },
        { "PrecisionAtK", "q=5,i=8" },
        { "MeanReciprocalRank", "q=5,i=8" },
    };

    /// <summary>
    /// A tiny MaxPairwiseElements forces many chunks: value and gradient must equal the one-chunk program
    /// (the chunks are recomputed in backward, so this also checks the checkpointed gradient).
    /// </summary>
    [Theory]
    [MemberData(nameof(ChunkedCases))]
    public void Chunked_programs_equal_the_whole_ones_in_value_and_gradient(string name, string sizeText)
    {
        var text = name is "MeanAveragePrecision" or "RetrievalRecallAtK" or "PrecisionAtK" or "MeanReciprocalRank"
            ? TestFiles.CatalogMetric("Ranking.metric", name)
            : TestFiles.NormativeMetric(name);
        var metric = CompiledMetric.Compile(text.Replace("namespace MetricLoss.Catalog;", "namespace Chunked.Tests;"), name);
        var sizes = sizeText.Split(',').Select(p => p.Split('=')).ToDictionary(p => p[0], p => int.Parse(p[1]));
        var random = new Random(name.Length * 31);
        var small = metric.Options(maxPairwiseElements: 40);
        for (var trial = 0; trial < 5; trial++)
        {
            var (tensors, _) = metric.RandomInputs(random, sizes, float64);
            Assert.Equal(metric.Exact(tensors), metric.Exact(tensors, small), 12);

            var whole = metric.SmoothWithGradient(tensors);
            var chunked = metric.SmoothWithGradient(tensors, small);
            Assert.Equal(whole.Value, chunked.Value, 10);
            Assert.True(whole.Gradient.allclose(chunked.Gradient, rtol: 1e-9, atol: 1e-12), $"{name}: chunked gradient differs");
        }
    }

    [Fact]
    public void Gathers_and_exclusions_keep_gradients_flowing_to_the_scores()
    {
        var metric = CompiledMetric.Compile(TestFiles.NormativeMetric("TopKAccuracy").Replace("namespace MetricLoss.Catalog;", "namespace Dense.Grad;"), "TopKAccuracy");
        using var logit = randn(5, 4, dtype: float64).requires_grad_(true);
        using var target = tensor(new long[] { 0, 1, 2, 3, 0 });
        using var smooth = metric.Smooth(new[] { logit, target });
        smooth.backward();
        Assert.True(logit.grad is not null && logit.grad.abs().sum().item<double>() > 0);
        Assert.False(double.IsNaN(logit.grad!.sum().item<double>()));
    }
}
