using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Values;

/// <summary>
/// The runtime side of "Infinite scores" (docs/language.md): <see cref="MetricOps.RelaxPairwise"/>, which generated
/// pairwise comparisons call, equals relax((a − b)/τ) on finite scores, makes equal infinities a tie, keeps NaN, and
/// leaves its operands alone; <see cref="MetricOps.Difference"/> and <see cref="MetricOps.StepDifference"/> likewise.
/// </summary>
public sealed class PairwiseDifferenceTests
{
    private const double Inf = double.PositiveInfinity;

    [Theory]
    [InlineData(Relaxation.Sigmoid)]
    [InlineData(Relaxation.Linear)]
    public void On_finite_scores_it_is_the_relaxation_of_the_difference(Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var a = randn(new long[] { 4, 6, 1 }, dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        var b = randn(new long[] { 4, 1, 3 }, dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        var aBefore = a.detach().clone();
        var weights = randn(new long[] { 4, 6, 3 }, dtype: ScalarType.Float64, generator: generator);

        var expected = MetricOps.Relax(a.sub(b), 0.3, relaxation);
        var expectedGrads = autograd.grad(new[] { expected.mul(weights).sum() }, new[] { a, b });
        var actual = MetricOps.RelaxPairwise(a, b, 0.3, relaxation);
        var actualGrads = autograd.grad(new[] { actual.mul(weights).sum() }, new[] { a, b });

        // The operands are scaled before they are subtracted: equal up to rounding, not bit for bit.
        Assert.True(actual.allclose(expected, rtol: 1e-13, atol: 1e-15));
        Assert.True(actualGrads[0].allclose(expectedGrads[0], rtol: 1e-12, atol: 1e-15));
        Assert.True(actualGrads[1].allclose(expectedGrads[1], rtol: 1e-12, atol: 1e-15));
        Assert.True(a.detach().allclose(aBefore, rtol: 0, atol: 0));
    }

    [Theory]
    [InlineData(ScalarType.Float32, Relaxation.Sigmoid)]
    [InlineData(ScalarType.Float64, Relaxation.Sigmoid)]
    [InlineData(ScalarType.Float32, Relaxation.Linear)]
    [InlineData(ScalarType.Float64, Relaxation.Linear)]
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
