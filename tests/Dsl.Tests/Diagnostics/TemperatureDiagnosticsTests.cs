using MetricLoss.Dsl;

namespace MetricLoss.Dsl.Tests.Diagnostics;

/// <summary>A temperature divides a difference, so a zero or negative one is refused when it is known at build time.</summary>
public class TemperatureDiagnosticsTests
{
    [Fact]
    public void A_zero_literal_temperature_is_refused()
    {
        var diagnostic = Assert.Single(MetricCompiler.Compile("metric M(score: real[n]) { maximize mean[n](score[n] > 0 @ 0); }", null).Diagnostics);
        Assert.Equal("(1:60): error MTR0112: the temperature `0` must be positive and finite (it divides a difference: a negative one reverses the gradient, zero divides by zero)", diagnostic.ToString());
    }

    [Fact]
    public void A_negative_tau_default_is_refused_at_the_comparison_it_relaxes()
    {
        var diagnostic = Assert.Single(MetricCompiler.Compile("metric M(score: real[n], tau: real = -1) { maximize mean[n](score[n] > 0); }", null).Diagnostics);
        Assert.Equal("(1:61): error MTR0113: `score[n] > 0` is relaxed with the option `tau`, whose default -1 is not positive; a temperature must be > 0", diagnostic.ToString());
    }

    [Fact]
    public void A_positive_temperature_option_is_accepted()
    {
        Assert.Empty(MetricCompiler.Compile("metric M(score: real[n], t: real = 0.5) { maximize mean[n](score[n] > 0 @ t); }", null).Diagnostics);
    }
}
