using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// The in-place relaxation of a fresh difference (what generated pairwise comparisons call) against the plain one:
/// the same values and gradients for both relaxations, the difference's operands untouched, autograd's version
/// checks satisfied.
/// </summary>
public class RelaxationTests
{
    /// <summary>
    /// RelaxDifference (a fresh difference relaxed in place) is Relax of it bit for bit; RelaxPairwise (two operands,
    /// scaled before they are subtracted so that ∞ − ∞ is a tie) is equal up to rounding.
    /// </summary>
    [Theory]
    [InlineData(Relaxation.Sigmoid, false)]
    [InlineData(Relaxation.Linear, false)]
    [InlineData(Relaxation.Sigmoid, true)]
    [InlineData(Relaxation.Linear, true)]
    [InlineData(Relaxation.Smoothstep, false)]
    [InlineData(Relaxation.Smoothstep, true)]
    public void RelaxDifference_and_RelaxPairwise_equal_Relax_of_the_difference(Relaxation relaxation, bool pairwise)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var a = randn(new long[] { 4, 6, 1 }, dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        var b = randn(new long[] { 4, 1, 3 }, dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        var aBefore = a.detach().clone();
        var weights = randn(new long[] { 4, 6, 3 }, dtype: ScalarType.Float64, generator: generator);

        var expected = MetricOps.Relax(a.sub(b), 0.3, relaxation);
        var expectedGrads = autograd.grad(new[] { expected.mul(weights).sum() }, new[] { a, b });
        var actual = pairwise ? MetricOps.RelaxPairwise(a, b, 0.3, relaxation) : MetricOps.RelaxDifference(a.sub(b), 0.3, relaxation);
        var actualGrads = autograd.grad(new[] { actual.mul(weights).sum() }, new[] { a, b });

        var (valueTolerance, gradientTolerance, floor) = pairwise ? (1e-13, 1e-12, 1e-15) : (0.0, 1e-15, 0.0);
        Assert.True(actual.allclose(expected, rtol: valueTolerance, atol: floor));
        Assert.True(actualGrads[0].allclose(expectedGrads[0], rtol: gradientTolerance, atol: floor));
        Assert.True(actualGrads[1].allclose(expectedGrads[1], rtol: gradientTolerance, atol: floor));
        Assert.True(a.detach().allclose(aBefore, rtol: 0, atol: 0));
    }

    [Fact]
    public void A_tiny_temperature_keeps_a_tie_at_one_half()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.0, 1e-3, -1e-3 }, dtype: ScalarType.Float32);
        var relaxed = MetricOps.RelaxDifference(x.sub(zeros_like(x)), 1e-45, Relaxation.Sigmoid);
        Assert.Equal(new[] { 0.5f, 1f, 0f }, relaxed.data<float>().ToArray());
    }
}
