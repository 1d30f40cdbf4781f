using MetricLoss.Dsl.Interpretation;
using static MetricLoss.Dsl.Tests.Interpretation.Kit;

namespace MetricLoss.Dsl.Tests.Interpretation;

/// <summary>Bad arguments are <see cref="ArgumentException"/>s whose message names the metric and the input or option.</summary>
public class ValidationTests
{
    private static ArgumentException ExactFails(string metric, Dictionary<string, DenseArray> inputs, Dictionary<string, double[]>? options = null) =>
        Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Exact(Normative(metric), inputs, options));

    private static void AssertNames(ArgumentException error, params string[] fragments)
    {
        foreach (var fragment in fragments) Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void A_missing_input_is_named()
    {
        var error = ExactFails("F1", Inputs(("score", Vec(1, 2))));
        AssertNames(error, "`F1`", "missing input `label`");
    }

    [Fact]
    public void An_unexpected_input_is_named()
    {
        var error = ExactFails("F1", Inputs(("score", Vec(1)), ("label", Labels(1)), ("weight", Vec(1))));
        AssertNames(error, "`F1`", "`weight`");
    }

    [Fact]
    public void An_option_passed_as_an_input_says_so()
    {
        var error = ExactFails("F1", Inputs(("score", Vec(1)), ("label", Labels(1)), ("tau", DenseArray.Scalar(1))));
        AssertNames(error, "`F1`", "`tau` is an option");
    }

    [Fact]
    public void A_rank_mismatch_names_the_input_and_the_expected_axes()
    {
        var error = ExactFails("F1", Inputs(("score", new DenseArray(new double[4], 2, 2)), ("label", Labels(1, 0))));
        AssertNames(error, "`F1`", "`score`", "[2, 2]", "rank 1", "real[n]");
    }

    [Fact]
    public void An_axis_with_two_sizes_names_both_inputs_the_axis_and_both_sizes()
    {
        var error = ExactFails("F1", Inputs(("score", Vec(1, 2, 3)), ("label", Labels(1, 0, 1, 0))));
        AssertNames(error, "`F1`", "axis `n`", "size 3", "input `score`", "size 4", "input `label`");
    }

    [Fact]
    public void The_same_axis_must_agree_across_different_dimensions_of_different_inputs()
    {
        // TopKAccuracy: n is dimension 0 of logit and of target.
        var error = ExactFails("TopKAccuracy", Inputs(("logit", new DenseArray(new double[6], 2, 3)), ("target", Vec(0, 1, 2))));
        AssertNames(error, "`TopKAccuracy`", "axis `n`", "`logit`", "`target`", "size 2", "size 3");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(2.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void Bool_inputs_must_hold_zero_or_one(double bad)
    {
        var inputs = Inputs(("score", Vec(1, 2)), ("label", Vec(1, bad)));
        AssertNames(ExactFails("F1", inputs), "`F1`", "`label`", "0 or 1", "[1]");
        // The smooth program checks labels too.
        var smooth = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Smooth(Normative("F1"), inputs));
        AssertNames(smooth, "`label`");
    }

    [Fact]
    public void Index_inputs_must_hold_whole_numbers()
    {
        var inputs = Inputs(("logit", new DenseArray(new double[6], 2, 3)), ("target", Vec(0, 1.5)));
        AssertNames(ExactFails("TopKAccuracy", inputs), "`TopKAccuracy`", "`target`", "whole number", "1.5");
    }

    [Fact]
    public void Int_inputs_must_hold_whole_numbers()
    {
        var metric = Compile("metric Counts(x: real[n], count: int[n]) { maximize sum[n](x[n] * count[n]); }");
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Exact(metric, Inputs(("x", Vec(1, 2)), ("count", Vec(3, 0.25)))));
        AssertNames(error, "`Counts`", "`count`", "whole number", "0.25");
        Assert.Equal(3.0, ReferenceInterpreter.Exact(metric, Inputs(("x", Vec(1, 2)), ("count", Vec(3, 0)))));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-1)]
    public void Index_values_must_lie_on_their_axis(double bad)
    {
        var inputs = Inputs(("logit", new DenseArray(new double[6], 2, 3)), ("target", Vec(0, bad)));
        AssertNames(ExactFails("TopKAccuracy", inputs), "`TopKAccuracy`", "`target`", "axis `c`", "0 to 2", "[1]");
    }

    [Fact]
    public void Index_values_outside_their_axis_are_rejected()
    {
        var metric = Compile("metric Gathered(x: real[n, c], t: index<c>[n]) { maximize sum[n](x[n, t[n]]); }");
        var x = Mat(new double[,] { { 1, 2 }, { 3, 4 } });
        Assert.Equal(5.0, ReferenceInterpreter.Exact(metric, Inputs(("x", x), ("t", Vec(1, 0)))));
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Exact(metric, Inputs(("x", x), ("t", Vec(0, 2)))));
        AssertNames(error, "`Gathered`", "`t`", "axis `c`", "2");
    }

    [Fact]
    public void Nan_in_a_score_is_rejected_by_the_exact_evaluator()
    {
        AssertNames(ExactFails("RocAuc", Inputs(("score", Vec(1, double.NaN)), ("label", Labels(1, 0)))), "`RocAuc`", "`score`", "NaN", "[1]");
    }

    [Fact]
    public void Nan_in_a_const_real_input_is_rejected_by_the_exact_evaluator()
    {
        var inputs = Inputs(("score", Mat(new double[,] { { 1, 2 } })), ("gain", Mat(new double[,] { { 1, double.NaN } })));
        AssertNames(ExactFails("NdcgAtK", inputs), "`NdcgAtK`", "`gain`", "NaN", "[0, 1]");
    }

    [Fact]
    public void An_empty_axis_is_an_argument_error()
    {
        var error = ExactFails("AveragePrecision", Inputs(("score", Vec()), ("label", Vec())));
        AssertNames(error, "`AveragePrecision`", "axis `n`", "empty", "`score`");
    }

    [Fact]
    public void A_vector_option_defines_its_axis_and_must_agree_with_inputs_on_it()
    {
        var metric = Compile("metric Weighted(x: real[m], w: real[m] = [1, 2]) { maximize sum[m](x[m] * w[m]); }");
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Exact(metric, Inputs(("x", Vec(1, 1, 1)))));
        AssertNames(error, "`Weighted`", "axis `m`", "option `w`", "input `x`", "size 2", "size 3");
        var options = new Dictionary<string, double[]> { ["w"] = new double[] { 1, 2, 3 } };
        Assert.Equal(6.0, ReferenceInterpreter.Exact(metric, Inputs(("x", Vec(1, 1, 1))), options));
    }

    [Fact]
    public void An_empty_vector_option_is_an_argument_error()
    {
        var options = new Dictionary<string, double[]> { ["k"] = Array.Empty<double>() };
        var inputs = Inputs(("sim", Mat(new[,] { { 1.0 } })), ("pos", Mat(new[,] { { 1.0 } })), ("valid", Mat(new[,] { { 1.0 } })));
        AssertNames(ExactFails("RecallAtK", inputs, options), "`RecallAtK`", "option `k`", "at least 1");
    }

    [Fact]
    public void Unknown_options_are_named()
    {
        var error = ExactFails("F1", Inputs(("score", Vec(1)), ("label", Labels(1))), Options(("tua", 1)));
        AssertNames(error, "`F1`", "unknown option `tua`", "`tau`");
    }

    [Fact]
    public void A_scalar_option_takes_exactly_one_value()
    {
        var options = new Dictionary<string, double[]> { ["threshold"] = new double[] { 0, 1 } };
        AssertNames(ExactFails("F1", Inputs(("score", Vec(1)), ("label", Labels(1))), options), "`F1`", "`threshold`", "scalar");
    }

    [Fact]
    public void An_int_option_must_be_whole()
    {
        var inputs = Inputs(("logit", new DenseArray(new double[6], 2, 3)), ("target", Vec(0, 1)));
        AssertNames(ExactFails("TopKAccuracy", inputs, Options(("k", 1.5))), "`TopKAccuracy`", "`k`", "whole number");
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => ReferenceInterpreter.Exact(null!, Inputs()));
        Assert.Throws<ArgumentNullException>(() => ReferenceInterpreter.Exact(Normative("F1"), null!));
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Exact(Normative("F1"), new Dictionary<string, DenseArray> { ["score"] = Vec(1), ["label"] = null! }));
        AssertNames(error, "`F1`", "`label`");
    }
}
