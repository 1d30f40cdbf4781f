using MetricLoss.Dsl.Interpretation;
using MetricLoss.Runtime.Tests.Infrastructure;
using MetricLoss.Runtime.Tests.RankingCatalog;
using MetricLoss.Runtime.Tests.Values;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// The smooth program's sort-based variant (issue 15; Plan/SortedRanksVariant in the generator): every catalogue
/// metric whose smooth ranks the generator sorts gives, under <see cref="Relaxation.Linear"/> and
/// <see cref="Relaxation.Smoothstep"/>, the value and gradient
/// of its pairwise program (<see cref="MetricOptions.SortBasedRanks"/> = false), to 1e-9 in float64 and 1e-5 in
/// float32, on rows with ties and masks, and with ±∞ scores.
/// </summary>
public sealed class SortedRanksVariantTests
{
    /// <summary>The metrics whose generated plan lists the variant: derived from Info.Plan, so a new one is tested too.</summary>
    public static IReadOnlyList<string> VariantNames { get; } = CatalogDefinitions.Names
        .Where(name => RankingMetric.Get(name).Info.Plan.Contains("Smooth (sort-based ranks) program", StringComparison.Ordinal))
        .OrderBy(name => name, StringComparer.Ordinal)
        .ToList();

    public static TheoryData<string, string, Relaxation> Cases
    {
        get
        {
            var data = new TheoryData<string, string, Relaxation>();
            foreach (var name in VariantNames)
            foreach (var relaxation in new[] { Relaxation.Linear, Relaxation.Smoothstep })
            {
                data.Add(name, "float64", relaxation);
                data.Add(name, "float32", relaxation);
            }
            return data;
        }
    }

    [Fact]
    public void The_rank_metrics_have_the_variant_and_the_confusion_family_does_not()
    {
        foreach (var name in new[] { "RocAuc", "AveragePrecision", "RecallAtK", "MeanAveragePrecision", "NdcgAtK", "MeanReciprocalRank", "PrecisionAtK" })
        {
            Assert.Contains(name, VariantNames);
        }
        Assert.DoesNotContain("F1", VariantNames);
        Assert.DoesNotContain("Accuracy", VariantNames);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void With_tied_scores_sorted_ranks_equal_the_pairwise_program(string name, string dtypeName, Relaxation relaxation)
    {
        var dtype = dtypeName == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        var metric = RankingMetric.Get(name);
        for (var seed = 0; seed < 4; seed++)
        {
            var arrays = Inputs(metric.Info, seed, ties: true);
            var (sortedValue, _) = Run(metric, arrays, dtype, sortBased: true, relaxation);
            var (pairwiseValue, _) = Run(metric, arrays, dtype, sortBased: false, relaxation);
            AssertClose(name, dtypeName, seed, sortedValue, pairwiseValue, dtype);
        }
    }

    /// <summary>
    /// Gradients are compared where they are defined. With tied scores a rank is often a whole number (every pair out
    /// of the band, ties counting ½), and a whole-number rank sits exactly on a kink of the next relaxation (RS@k's
    /// (k − rank)/τ_k at ±2 for τ_k = 1) or ties MRR's max with another: there the one-sided slope each program takes
    /// depends on a rounding of 10⁻¹⁶ (the kernel's rank is ½ + x/(4τ) − x/(4τ) + …). So here the scores are distinct and
    /// τ_k is 0.77, which puts the kinks between whole and half-whole ranks.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void Sorted_ranks_equal_the_pairwise_program_in_value_and_gradient(string name, string dtypeName, Relaxation relaxation)
    {
        var dtype = dtypeName == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        var tolerance = Tolerance(dtype);
        var metric = RankingMetric.Get(name);
        for (var seed = 0; seed < 4; seed++)
        {
            var arrays = Inputs(metric.Info, seed, ties: false);
            var (sortedValue, sortedGradients) = Run(metric, arrays, dtype, sortBased: true, relaxation);
            var (pairwiseValue, pairwiseGradients) = Run(metric, arrays, dtype, sortBased: false, relaxation);
            AssertClose(name, dtypeName, seed, sortedValue, pairwiseValue, dtype);
            Assert.NotEmpty(sortedGradients);
            foreach (var (input, sorted) in sortedGradients)
            {
                var pairwise = pairwiseGradients[input];
                var scale = Math.Max(1e-3, pairwise.Max(Math.Abs));
                for (var k = 0; k < sorted.Length; k++)
                {
                    Assert.True(Math.Abs(sorted[k] - pairwise[k]) <= tolerance * scale,
                        $"{name} ({dtypeName}, seed {seed}): ∂/∂{input}[{k}] sorted {sorted[k]}, pairwise {pairwise[k]}");
                }
            }
        }
    }

    /// <summary>
    /// RS@k and mAP read each query's ranks only at its positives, so their sort-based variant computes the ranks only
    /// there (RankRestrictions in the generator; SmoothRankSums' rows): the plan says so, and with queries that have
    /// no positive at all, or nothing but positives, value and gradient still equal the pairwise program's.
    /// </summary>
    [Theory]
    [InlineData("RecallAtK", "pos", "float64", Relaxation.Linear)]
    [InlineData("RecallAtK", "pos", "float32", Relaxation.Smoothstep)]
    [InlineData("RecallAtK", "pos", "float64", Relaxation.Smoothstep)]
    [InlineData("RecallAtK", "pos", "float32", Relaxation.Linear)]
    [InlineData("MeanAveragePrecision", "label", "float64", Relaxation.Linear)]
    [InlineData("MeanAveragePrecision", "label", "float32", Relaxation.Smoothstep)]
    [InlineData("MeanAveragePrecision", "label", "float64", Relaxation.Smoothstep)]
    [InlineData("MeanAveragePrecision", "label", "float32", Relaxation.Linear)]
    public void Ranks_read_only_at_the_positives_are_restricted_to_them(string name, string positives, string dtypeName, Relaxation relaxation)
    {
        var dtype = dtypeName == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        var metric = RankingMetric.Get(name);
        Assert.Contains($"sort-based smooth rank sum, only at the items of {positives} (read only there)", metric.Info.Plan, StringComparison.Ordinal);
        for (var seed = 0; seed < 3; seed++)
        {
            var arrays = Inputs(metric.Info, seed, ties: false);
            // Query 0 has no positive, query 1 nothing else.
            var mask = arrays[positives];
            var data = (double[])mask.Data.Clone();
            var columns = mask.Shape[1];
            for (var k = 0; k < columns; k++) (data[k], data[columns + k]) = (0, 1);
            arrays[positives] = new DenseArray(data, mask.Shape);
            var (sortedValue, sortedGradients) = Run(metric, arrays, dtype, sortBased: true, relaxation);
            var (pairwiseValue, pairwiseGradients) = Run(metric, arrays, dtype, sortBased: false, relaxation);
            AssertClose(name, dtypeName, seed, sortedValue, pairwiseValue, dtype);
            foreach (var (input, sorted) in sortedGradients)
            {
                var pairwise = pairwiseGradients[input];
                var scale = Math.Max(1e-3, pairwise.Max(Math.Abs));
                Assert.Contains(pairwise, g => g != 0);
                for (var k = 0; k < sorted.Length; k++)
                {
                    Assert.True(Math.Abs(sorted[k] - pairwise[k]) <= Tolerance(dtype) * scale,
                        $"{name} ({dtypeName}, seed {seed}): ∂/∂{input}[{k}] sorted {sorted[k]}, pairwise {pairwise[k]}");
                }
            }
        }
    }

    private static double Tolerance(ScalarType dtype) => dtype == ScalarType.Float32 ? 1e-5 : 1e-9;

    private static void AssertClose(string name, string dtypeName, int seed, double sorted, double pairwise, ScalarType dtype) =>
        Assert.True(Math.Abs(sorted - pairwise) <= Tolerance(dtype) * Math.Max(1, Math.Abs(pairwise)),
            $"{name} ({dtypeName}, seed {seed}): sorted {sorted}, pairwise {pairwise}");

    [Theory]
    [MemberData(nameof(Cases))]
    public void With_infinite_scores_sorted_ranks_equal_the_pairwise_program(string name, string dtypeName, Relaxation relaxation)
    {
        var dtype = dtypeName == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        var metric = RankingMetric.Get(name);
        for (var seed = 0; seed < 3; seed++)
        {
            var arrays = CatalogInputs.Build(metric.Info, seed, infinities: true);
            var (sortedValue, sortedGradients) = Run(metric, arrays, dtype, sortBased: true, relaxation);
            var (pairwiseValue, _) = Run(metric, arrays, dtype, sortBased: false, relaxation);
            AssertClose(name, dtypeName, seed, sortedValue, pairwiseValue, dtype);
            Assert.All(sortedGradients.Values.SelectMany(g => g), g => Assert.True(double.IsFinite(g), $"{name}: gradient {g}"));
        }
    }

    [Fact]
    public void Under_sigma_the_option_changes_nothing()
    {
        var metric = RankingMetric.Get("AveragePrecision");
        var arrays = Inputs(metric.Info, seed: 7, ties: true);
        var on = Run(metric, arrays, ScalarType.Float64, sortBased: true, Relaxation.Sigmoid);
        var off = Run(metric, arrays, ScalarType.Float64, sortBased: false, Relaxation.Sigmoid);
        Assert.Equal(off.Value, on.Value);
        Assert.Equal(off.Gradients["score"], on.Gradients["score"]);
    }

    private static (double Value, Dictionary<string, double[]> Gradients) Run(RankingMetric metric, IReadOnlyDictionary<string, DenseArray> arrays,
        ScalarType dtype, bool sortBased, Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        var inputs = metric.Tensors(arrays, dtype, requiresGrad: true);
        var options = metric.Options(TauK(metric), relaxation);
        typeof(MetricOptions).GetProperty(nameof(MetricOptions.SortBasedRanks))!.SetValue(options, sortBased);
        var loss = metric.Loss(inputs, options);
        var value = Tensors.Value(loss);
        loss.backward();
        var gradients = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var (input, tensor) in metric.Info.Inputs.Zip(inputs))
        {
            if (input.IsDifferentiable && tensor.grad is { } grad) gradients[input.Name] = Tensors.Values(grad);
        }
        return (value, gradients);
    }

    /// <summary>τ_k = 0.77 where the metric has it (see the gradient test); the other options at their defaults.</summary>
    private static Dictionary<string, double[]> TauK(RankingMetric metric) =>
        metric.Info.Options.Where(o => o.Name == "tau_k").ToDictionary(o => o.Name, _ => new[] { 0.77 });

    /// <summary>
    /// Inputs with every axis of 23 positions (5 for a query axis), scores in [0, 0.3] (so that many pairs fall within
    /// the relaxation's band): with ties, drawn from a pool of 9 values per input; without, all distinct. The values are
    /// arbitrary, not on a grid, so that no score difference lands exactly on the linear relaxation's kink at ±2τ.
    /// Labels and masks random.
    /// </summary>
    private static Dictionary<string, DenseArray> Inputs(MetricInfo info, int seed, bool ties)
    {
        var random = new Random(seed);
        var arrays = new Dictionary<string, DenseArray>(StringComparer.Ordinal);
        foreach (var input in info.Inputs)
        {
            var shape = input.Axes.Select(axis => axis == "q" ? 5 : 23).ToArray();
            var pool = Enumerable.Range(0, 9).Select(_ => random.NextDouble() * 0.3).ToArray();
            var data = new double[shape.Aggregate(1, (a, b) => a * b)];
            for (var k = 0; k < data.Length; k++)
            {
                data[k] = input.Type switch
                {
                    "real" => ties ? pool[random.Next(pool.Length)] : random.NextDouble() * 0.3,
                    "bool" => random.NextDouble() < 0.4 ? 1 : 0,
                    _ => Math.Round(random.NextDouble(), 1),
                };
            }
            arrays[input.Name] = new DenseArray(data, shape);
        }
        return arrays;
    }
}
