using MetricLoss.Dsl.Interpretation;
using static MetricLoss.Dsl.Tests.Interpretation.Kit;

namespace MetricLoss.Dsl.Tests.Interpretation;

/// <summary>Division by zero and the ε guards: 0 in the exact program and under a constant denominator, finite values in the smooth one.</summary>
public class GuardTests
{
    private static readonly Lazy<Bound.BoundMetric> Ratio = new(() => Compile("""
        metric Ratio(score: real[n], label: bool[n]) {
            maximize sum[n](score[n]) / sum[n](label[n]);
        }
        """));

    /// <summary>The same quotient the other way round: its denominator depends on the scores.</summary>
    private static readonly Lazy<Bound.BoundMetric> InverseRatio = new(() => Compile("""
        metric InverseRatio(score: real[n], label: bool[n]) {
            maximize sum[n](label[n]) / sum[n](score[n]);
        }
        """));

    [Fact]
    public void Division_by_a_constant_zero_is_zero_in_both_programs()
    {
        // The denominator depends on no score: it needs no guard, and the smooth program divides as the exact one does,
        // so a class absent from the batch contributes nothing (not 0.75 / ε).
        var inputs = Inputs(("score", Vec(0.25, 0.5)), ("label", Labels(0, 0)));
        Assert.Equal(0.0, ReferenceInterpreter.Exact(Ratio.Value, inputs));
        Assert.Equal(0.0, ReferenceInterpreter.Smooth(Ratio.Value, inputs));
        Assert.Equal(0.0, ReferenceInterpreter.Smooth(Ratio.Value, inputs, settings: new InterpreterSettings(Epsilon: 1e-3)));
    }

    [Fact]
    public void Division_by_a_score_dependent_zero_is_zero_exactly_and_divides_by_epsilon_smoothly()
    {
        var inputs = Inputs(("score", Vec(0.25, -0.25)), ("label", Labels(1, 1)));
        Assert.Equal(0.0, ReferenceInterpreter.Exact(InverseRatio.Value, inputs));
        // a / max(b, ε) with b = 0: 2 / 1e-8, large but finite.
        Assert.Equal(2 / 1e-8, ReferenceInterpreter.Smooth(InverseRatio.Value, inputs), 1e-3);
        Assert.Equal(2 / 1e-3, ReferenceInterpreter.Smooth(InverseRatio.Value, inputs, settings: new InterpreterSettings(Epsilon: 1e-3)), 1e-9);
    }

    [Fact]
    public void A_non_zero_denominator_is_used_as_is_in_both_programs()
    {
        var inputs = Inputs(("score", Vec(0.25, 0.5)), ("label", Labels(1, 1)));
        Assert.Equal(0.375, ReferenceInterpreter.Exact(Ratio.Value, inputs));
        Assert.Equal(0.375, ReferenceInterpreter.Smooth(Ratio.Value, inputs));
    }

    [Fact]
    public void The_smooth_denominator_is_max_of_b_and_epsilon_even_when_b_is_negative()
    {
        // The table's formula, literally: a / max(b, ε) for a score-dependent b. A negative denominator becomes ε.
        var metric = Compile("metric Neg(x: real[n]) { maximize sum[n](1 / x[n]); }");
        var inputs = Inputs(("x", Vec(-2)));
        Assert.Equal(-0.5, ReferenceInterpreter.Exact(metric, inputs));
        Assert.Equal(1 / 1e-8, ReferenceInterpreter.Smooth(metric, inputs), 1e-3);
    }

    [Fact]
    public void A_constant_denominator_is_used_as_is_even_when_negative()
    {
        // No score in d: no guard, in either program.
        var metric = Compile("metric Neg(x: real[n], d: const real[n]) { maximize sum[n](x[n] / d[n]); }");
        var inputs = Inputs(("x", Vec(1)), ("d", Vec(-2)));
        Assert.Equal(-0.5, ReferenceInterpreter.Exact(metric, inputs));
        Assert.Equal(-0.5, ReferenceInterpreter.Smooth(metric, inputs));
    }

    [Fact]
    public void Metrics_without_positives_are_zero_exactly_and_finite_smoothly()
    {
        var binary = Inputs(("score", Vec(0.3, -0.2, 0.1)), ("label", Labels(0, 0, 0)));
        foreach (var name in new[] { "F1", "RocAuc", "AveragePrecision" })
        {
            Assert.Equal(0.0, ReferenceInterpreter.Exact(Normative(name), binary));
            var smooth = ReferenceInterpreter.Smooth(Normative(name), binary);
            Assert.True(double.IsFinite(smooth) && smooth >= 0 && smooth <= 1, $"{name}: smooth value {smooth}");
        }
        // A query without positives in RecallAtK: min(k, 0) = 0 in every denominator.
        var retrieval = Inputs(
            ("sim", Mat(new[,] { { 0.9, 0.1, 0.5 } })),
            ("pos", Mat(new double[,] { { 0, 0, 0 } })),
            ("valid", Mat(new double[,] { { 1, 1, 1 } })));
        Assert.Equal(0.0, ReferenceInterpreter.Exact(Normative("RecallAtK"), retrieval));
        Assert.Equal(0.0, ReferenceInterpreter.Smooth(Normative("RecallAtK"), retrieval));
    }

    [Theory]
    [InlineData("sqrt(x[n])", double.NaN, 1e-4)]                  // sqrt(−1) vs sqrt(ε)
    [InlineData("log(x[n] + 1)", double.NegativeInfinity, -18.420680743952367)] // log(0) vs ln 1e-8
    [InlineData("log2(x[n] + 1)", double.NegativeInfinity, -26.575424759098897)]
    public void Sqrt_and_logs_clamp_their_argument_to_epsilon_in_the_smooth_program_only(string body, double exact, double smooth)
    {
        var metric = Compile($"metric G(x: real[n]) {{ minimize sum[n]({body}); }}");
        var inputs = Inputs(("x", Vec(-1)));
        Assert.Equal(exact, ReferenceInterpreter.Exact(metric, inputs));
        Assert.Equal(smooth, ReferenceInterpreter.Smooth(metric, inputs), 9);
    }
}
