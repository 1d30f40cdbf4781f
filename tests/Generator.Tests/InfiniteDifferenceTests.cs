using MetricLoss.Generator.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Generated code forms the difference of every score-dependent comparison so that two equal infinities are a tie
/// (docs/language.md, "Infinite scores"): comparisons of derived values, <c>step(a − b)</c> in both programs (the
/// exact one's dense form included) and the coordinates of an interpolated metric.
/// </summary>
public class InfiniteDifferenceTests
{
    private const double Inf = double.PositiveInfinity;

    private static Tensor Vector(params double[] values) => tensor(values, ScalarType.Float64);

    [Fact]
    public void Step_of_a_difference_is_one_half_at_equal_infinities_in_both_programs()
    {
        var metric = CompiledMetric.Compile("metric StepGap(a: real[n], b: real[n], tau: real = 1) { maximize mean[n](step(a[n] - b[n])); }", "StepGap");
        using var scope = NewDisposeScope();
        var inputs = new[] { Vector(Inf, -Inf, Inf, 1), Vector(Inf, -Inf, 0, 2) };

        Assert.Equal((0.5 + 0.5 + 1 + 0) / 4, metric.Exact(inputs), 12);
        var (value, gradient) = metric.SmoothWithGradient(inputs);
        var sigma = 1 / (1 + Math.Exp(1));
        Assert.Equal((0.5 + 0.5 + 1 + sigma) / 4, value, 12);
        // Infinite scores get no gradient; the finite pair gets σ′(−1)/4.
        Assert.Equal(new[] { 0, 0, 0, sigma * (1 - sigma) / 4 }, gradient.data<double>().ToArray(), new ToleranceComparer(1e-12));
    }

    [Fact]
    public void A_comparison_of_derived_values_that_overflow_to_the_same_infinity_is_a_tie()
    {
        var metric = CompiledMetric.Compile("metric Doubled(a: real[n], b: real[n], tau: real = 1) { maximize mean[n](2 * a[n] > 2 * b[n]); }", "Doubled");
        using var scope = NewDisposeScope();
        var inputs = new[] { Vector(Inf, 1e308), Vector(Inf, 1e308) };

        Assert.Equal(0, metric.Exact(inputs), 12); // strict: a tie is not above
        var (value, gradient) = metric.SmoothWithGradient(inputs);
        Assert.Equal(0.5, value, 12);
        Assert.All(gradient.data<double>().ToArray(), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void The_coordinates_of_an_interpolated_metric_tie_at_equal_infinities()
    {
        var metric = CompiledMetric.Compile(
            "metric Beats(a: real[n], b: real[n], tau: real = 1) interpolate { maximize mean[n](a[n] > b[n]); }", "Beats");
        using var scope = NewDisposeScope();
        var inputs = new[] { Vector(Inf, -Inf, Inf, 0.5), Vector(Inf, -Inf, 0, 0.25) };

        Assert.Equal(0.5, metric.Exact(inputs), 12);
        var (value, gradient) = metric.SmoothWithGradient(inputs, metric.Options(("Seed", (long?)3)));
        Assert.True(double.IsFinite(value));
        Assert.All(gradient.data<double>().ToArray(), g => Assert.True(double.IsFinite(g)));
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(double obj) => 0;
    }
}
