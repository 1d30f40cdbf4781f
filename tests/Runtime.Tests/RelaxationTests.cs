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
    [Theory]
    [InlineData(Relaxation.Sigmoid)]
    [InlineData(Relaxation.Linear)]
    public void RelaxDifference_equals_Relax_of_the_difference(Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        var a = randn(new long[] { 4, 6, 1 }, dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        var b = randn(new long[] { 4, 1, 3 }, dtype: ScalarType.Float64, generator: generator).requires_grad_(true);
        var aBefore = a.detach().clone();
        var weights = randn(new long[] { 4, 6, 3 }, dtype: ScalarType.Float64, generator: generator);

        var expected = MetricOps.Relax(a.sub(b), 0.3, relaxation);
        var expectedGrads = autograd.grad(new[] { expected.mul(weights).sum() }, new[] { a, b });
        var actual = MetricOps.RelaxDifference(a.sub(b), 0.3, relaxation);
        var actualGrads = autograd.grad(new[] { actual.mul(weights).sum() }, new[] { a, b });

        Assert.True(actual.allclose(expected, rtol: 0, atol: 0));
        Assert.True(actualGrads[0].allclose(expectedGrads[0], rtol: 1e-15, atol: 0));
        Assert.True(actualGrads[1].allclose(expectedGrads[1], rtol: 1e-15, atol: 0));
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
