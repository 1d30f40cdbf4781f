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

    [Fact]
    public void A_pairwise_term_beyond_the_budget_is_an_argument_exception()
    {
        var metric = CompiledMetric.Compile(TestFiles.NormativeMetric("RocAuc").Replace("namespace MetricLoss.Catalog;", "namespace Dense.Budget;"), "RocAuc");
        using var score = rand(5000, dtype: float64);
        using var label = rand(5000).gt(0.5);
        var error = Assert.Throws<ArgumentException>(() => metric.Exact(new[] { score, label }));
        Assert.Contains("RocAuc", error.Message);
        Assert.Contains("[i, j]", error.Message);
        Assert.Contains("MaxPairwiseElements", error.Message);
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
