using MetricLoss.Baselines;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static MetricLoss.Runtime.Tests.Baselines.BaselineReference;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Baselines;

/// <summary>
/// Gradients of the baselines with respect to the (unnormalised) embeddings: autograd against float64 central
/// differences, and finite gradients on degenerate batches.
/// </summary>
public sealed class BaselineGradientTests
{
    public static TheoryData<string, int> GradientCases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "Contrastive", "TripletSemiHard", "Circle(γ=4)", "Circle" })
            foreach (var seed in new[] { 11, 12, 13 })
                data.Add(name, seed);
        return data;
    }

    [Theory]
    [MemberData(nameof(GradientCases))]
    public void Autograd_matches_float64_central_differences(string name, int seed)
    {
        var loss = BaselineLoss.Get(name);
        var (x, y) = Random(seed, 10, 4, 3);
        using var scope = NewDisposeScope();
        var labels = Labels(y);
        var flat = x.SelectMany(r => r).ToArray();
        var result = GradientCheck.Compute(e => loss.Loss(e.reshape(x.Length, x[0].Length), labels), flat);
        Assert.True(result.MaxAbsAnalytic > 1e-6, $"{name}: the gradient is zero everywhere, the check would be vacuous");
        // Circle at γ = 256 has second derivatives of order γ²: a relative tolerance covers the central-difference error.
        var rtol = name == "Circle" ? 1e-3 : 1e-4;
        if (name.StartsWith("Circle", StringComparison.Ordinal))
        {
            // Circle detaches α_p, α_n (as pytorch-metric-learning; the paper treats them as constants), so its
            // gradient is the derivative with the α factors held at their current values, not the derivative of
            // the value itself: compare with central differences of the reference loop with frozen α.
            var gamma = name == "Circle" ? 256.0 : 4.0;
            result = result with { Numeric = FrozenAlphaDifferences(x, y, gamma) };
        }
        GradientCheck.AssertClose(result, atol: 1e-6, rtol: rtol, context: $"{name}, seed {seed}");
    }

    private static double[] FrozenAlphaDifferences(double[][] x, int[] y, double gamma, double h = 1e-6)
    {
        var rows = x.Length;
        var columns = x[0].Length;
        var numeric = new double[rows * columns];
        for (var i = 0; i < numeric.Length; i++)
        {
            double Shifted(double delta)
            {
                var copy = x.Select(r => (double[])r.Clone()).ToArray();
                copy[i / columns][i % columns] += delta;
                return BaselineReference.CircleLoss(copy, y, 0.25, gamma, alphasFrom: x);
            }
            numeric[i] = (Shifted(h) - Shifted(-h)) / (2 * h);
        }
        return numeric;
    }

    [Fact]
    public void Circle_gradient_is_not_the_derivative_of_its_value()
    {
        // Documents the detached α: with them differentiated the gradient would differ.
        var (x, y) = Random(11, 10, 4, 3);
        using var scope = NewDisposeScope();
        var labels = Labels(y);
        var result = GradientCheck.Compute(e => Circle.Loss(e.reshape(x.Length, x[0].Length), labels, new Circle.Options { Gamma = 4 }), x.SelectMany(r => r).ToArray());
        var gap = result.Analytic.Zip(result.Numeric, (a, n) => Math.Abs(a - n)).Max();
        Assert.True(gap > 1e-2, $"largest difference {gap}");
    }

    public static TheoryData<string, string> DegenerateCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var name in new[] { "Contrastive", "TripletSemiHard", "Circle" })
            foreach (var batch in new[] { "no positives", "all one class", "one item", "coincident embeddings", "a zero embedding" })
                data.Add(name, batch);
        return data;
    }

    private static (double[][] X, int[] Y) Degenerate(string batch) => batch switch
    {
        "no positives" => (Random(21, 5, 3, 1).Embeddings, [0, 1, 2, 3, 4]),
        "all one class" => (Random(22, 6, 3, 1).Embeddings, [7, 7, 7, 7, 7, 7]),
        "one item" => ([[0.3, -1.2, 0.5]], [0]),
        // Same point twice, once per class, plus a positive of each: D = 0 between classes.
        "coincident embeddings" => ([[1, 2, 3], [1, 2, 3], [1, 2, 2.5], [0.5, 2, 3]], [0, 1, 0, 1]),
        "a zero embedding" => ([[0, 0, 0], [1, 0, 0], [0, 1, 0], [1, 1, 0]], [0, 0, 1, 1]),
        _ => throw new ArgumentException(batch),
    };

    [Theory]
    [MemberData(nameof(DegenerateCases))]
    public void Degenerate_batches_give_finite_values_and_gradients(string name, string batch)
    {
        var loss = BaselineLoss.Get(name);
        var (x, y) = Degenerate(batch);
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var scope = NewDisposeScope();
            var e = Embeddings(x, dtype, requiresGrad: true);
            var value = loss.Loss(e, Labels(y));
            var gradient = torch.autograd.grad(new[] { value }, new[] { e })[0];
            Assert.True(double.IsFinite(Tensors.Value(value)), $"{name}, {batch}, {dtype}: value {Tensors.Value(value)}");
            Assert.All(Tensors.Values(gradient), g => Assert.True(double.IsFinite(g), $"{name}, {batch}, {dtype}: gradient {g}"));
        }
    }

    [Theory]
    [InlineData("TripletSemiHard", "no positives", 0.0)]
    [InlineData("TripletSemiHard", "all one class", 0.0)]
    [InlineData("TripletSemiHard", "one item", 0.0)]
    [InlineData("Circle", "no positives", 0.0)]
    [InlineData("Circle", "all one class", 0.0)]
    [InlineData("Circle", "one item", 0.0)]
    [InlineData("Contrastive", "one item", 0.0)]
    public void Batches_without_a_usable_pair_or_triplet_give_zero(string name, string batch, double expected)
    {
        var (x, y) = Degenerate(batch);
        using var scope = NewDisposeScope();
        var e = Embeddings(x, requiresGrad: true);
        var value = BaselineLoss.Get(name).Loss(e, Labels(y));
        Assert.Equal(expected, Tensors.Value(value));
        var gradient = torch.autograd.grad(new[] { value }, new[] { e })[0];
        Assert.All(Tensors.Values(gradient), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Contrastive_keeps_the_remaining_term_on_one_sided_batches()
    {
        // All one class: only the pull term; all classes distinct: only the push term.
        var (same, sameLabels) = Degenerate("all one class");
        var (distinct, distinctLabels) = Degenerate("no positives");
        using var scope = NewDisposeScope();
        Assert.Equal(BaselineReference.ContrastiveLoss(same, sameLabels), Tensors.Value(Contrastive.Loss(Embeddings(same), Labels(sameLabels))), 12);
        Assert.Equal(BaselineReference.ContrastiveLoss(distinct, distinctLabels), Tensors.Value(Contrastive.Loss(Embeddings(distinct), Labels(distinctLabels))), 12);
        Assert.True(BaselineReference.ContrastiveLoss(same, sameLabels) > 0);
    }
}
