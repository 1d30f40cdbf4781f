using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Values;

/// <summary>
/// The runtime side of "Infinite scores" (docs/language.md): <see cref="MetricOps.RelaxPairwise"/>, which generated
/// pairwise comparisons call, makes equal infinities a tie, keeps NaN, and (RelaxationTests: it equals relax((a − b)/τ) on finite scores)
/// leaves its operands alone; <see cref="MetricOps.Difference"/> and <see cref="MetricOps.StepDifference"/> likewise.
/// </summary>
public sealed class PairwiseDifferenceTests
{
    private const double Inf = double.PositiveInfinity;

    [Theory]
    [InlineData(ScalarType.Float32, Relaxation.Sigmoid)]
    [InlineData(ScalarType.Float64, Relaxation.Sigmoid)]
    [InlineData(ScalarType.Float32, Relaxation.Linear)]
    [InlineData(ScalarType.Float64, Relaxation.Linear)]
    [InlineData(ScalarType.Float32, Relaxation.Smoothstep)]
    [InlineData(ScalarType.Float64, Relaxation.Smoothstep)]
    public void Equal_infinities_tie_and_an_infinity_beats_every_finite_score(ScalarType dtype, Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { Inf, -Inf, Inf, 1, -Inf, 3e38, double.NaN }, dtype: dtype).requires_grad_(true);
        var b = tensor(new[] { Inf, -Inf, 1, Inf, 1, -3e38, 0 }, dtype: dtype).requires_grad_(true);

        var relaxed = MetricOps.RelaxPairwise(a, b, 0.01, relaxation);
        var values = Tensors.Values(relaxed);

        Assert.Equal(new[] { 0.5, 0.5, 1, 0, 0, 1 }, values.Take(6));
        Assert.True(double.IsNaN(values[6])); // NaN is not an order: it is not hidden
        relaxed.narrow(0, 0, 6).sum().backward();
        // An infinite score cannot move: gradient 0 (the ties included); the decided finite pairs have σ′ = 0 too. (The
        // NaN pair, left out of the sum, still has a NaN gradient under σ: 0·σ′(NaN); it is not an order.)
        Assert.All(Tensors.Values(a.grad!).Take(6), g => Assert.Equal(0, g));
        Assert.All(Tensors.Values(b.grad!).Take(6), g => Assert.Equal(0, g));
    }

    [Fact]
    public void A_tiny_temperature_keeps_the_order_of_moderate_scores_and_makes_no_NaN()
    {
        // 1/τ is capped at max, so the bound is ½: scores within ±½ keep their order, a tie stays ½.
        using var scope = NewDisposeScope();
        var a = tensor(new[] { 0.0f, 0.25f, -0.25f, 0.0f });
        var b = tensor(new[] { 0.0f, 0.0f, 0.0f, float.PositiveInfinity });
        var relaxed = MetricOps.RelaxPairwise(a, b, 1e-45, Relaxation.Sigmoid);
        Assert.Equal(new[] { 0.5f, 1f, 0f, 0f }, relaxed.data<float>().ToArray());
    }

    [Fact]
    public void Difference_and_the_exact_step_make_equal_infinities_a_tie()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new[] { Inf, -Inf, Inf, 1, 2, double.NaN });
        var b = tensor(new[] { Inf, -Inf, -Inf, 2, 2, 0 });

        var difference = Tensors.Values(MetricOps.Difference(a, b));
        Assert.Equal(0, difference[0]);
        Assert.Equal(0, difference[1]);
        Assert.True(difference[2] > 0);
        Assert.Equal(-1, difference[3]);
        Assert.Equal(0, difference[4]);
        Assert.True(double.IsNaN(difference[5]));

        Assert.Equal(new[] { 0.5, 0.5, 1, 0, 0.5 }, Tensors.Values(MetricOps.StepDifference(a, b)).Take(5));
    }
}
