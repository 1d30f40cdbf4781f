using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;
using static MetricLoss.Dsl.Tests.Interpretation.Kit;

namespace MetricLoss.Dsl.Tests.Interpretation;

/// <summary>Each construct of the language on a small metric written for it, with its value worked out by hand.</summary>
public class LanguageConstructTests
{
    private static double Exact(string text, params (string Name, DenseArray Value)[] inputs) =>
        ReferenceInterpreter.Exact(Compile(text), Inputs(inputs));

    [Theory]
    [InlineData("sqrt(x[n])", 0.7071067811865476 + 2.8284271247461903)]
    [InlineData("log(x[n])", 1.3862943611198906)] // ln 0.5 + ln 8 = ln 4
    [InlineData("log2(x[n])", 2.0)] // −1 + 3
    [InlineData("exp(x[n])", 1.6487212707001282 + 2980.9579870417283)]
    [InlineData("abs(-x[n])", 8.5)]
    [InlineData("min(x[n], 1)", 1.5)]
    [InlineData("max(x[n], 1)", 9.0)]
    [InlineData("clamp(x[n], 1, 4)", 5.0)]
    [InlineData("x[n] ^ 2", 64.25)]
    [InlineData("2 ^ x[n]", 1.4142135623730951 + 256)]
    [InlineData("-x[n]", -8.5)]
    [InlineData("x[n] - 1", 6.5)]
    [InlineData("x[n] * 3", 25.5)]
    [InlineData("x[n] / 2", 4.25)]
    [InlineData("1 + 2 * x[n]", 19.0)]
    public void Arithmetic_and_functions_are_evaluated_as_written(string body, double expected)
    {
        var value = Exact($"metric M(x: real[n]) {{ maximize sum[n]({body}); }}", ("x", Vec(0.5, 8)));
        Assert.Equal(expected, value, 12);
    }

    [Fact]
    public void A_binder_not_used_in_the_body_still_ranges_over_its_axis()
    {
        Assert.Equal(4.0, Exact("metric M(x: real[n]) { maximize sum[n](1); }", ("x", Vec(1, 2, 3, 4))));
        Assert.Equal(6.0, Exact("metric M(x: real[n, c]) { maximize sum[n, c](1); }", ("x", new DenseArray(new double[6], 2, 3))));
        // sum[j != i] of a body without j counts the other items: 4 items × 3 others. (`0 * x[i]` gives i its
        // size before the exclusion is bound; see the report on `sum[j != i](1)`.)
        Assert.Equal(12.0, Exact("metric M(x: real[i]) { others[i] = sum[j != i](1 + 0 * x[i]); maximize sum[i](others[i]); }", ("x", Vec(1, 2, 3, 4))));
    }

    [Fact]
    public void Step_is_one_half_at_zero_in_the_exact_program()
    {
        Assert.Equal(1.5, Exact("metric M(x: real[n], tau: real = 1) { maximize sum[n](step(x[n])); }", ("x", Vec(1, 0, -2))));
    }

    [Fact]
    public void Strict_and_non_strict_comparisons_differ_only_at_ties()
    {
        const string text = """
            metric M(x: real[n], tau: real = 1) {
                maximize sum[n](1000 * (x[n] > 0) + 100 * (x[n] >= 0) + 10 * (x[n] < 0) + (x[n] <= 0));
            }
            """;
        Assert.Equal(1100.0, Exact(text, ("x", Vec(1))));
        Assert.Equal(101.0, Exact(text, ("x", Vec(0))));
        Assert.Equal(11.0, Exact(text, ("x", Vec(-1))));
    }

    [Fact]
    public void Logical_operators_use_the_arithmetic_formulas_in_both_programs()
    {
        var metric = Compile("""
            metric M(x: real[n], tau: real = 1) {
                maximize sum[n]((x[n] > 0) | (x[n] < -1)) + 10 * sum[n](!(x[n] > 0) & (x[n] > -3));
            }
            """);
        var inputs = Inputs(("x", Vec(0.5, -2, -0.5)));
        // Exact: | gives 1, 1, 0; !(x > 0) & (x > −3) gives 0, 1, 1.
        Assert.Equal(2 + 10 * 2, ReferenceInterpreter.Exact(metric, inputs));
        double expected = 0;
        foreach (var x in new[] { 0.5, -2, -0.5 })
        {
            double a = Sigmoid(x), b = Sigmoid(-1 - x), c = Sigmoid(x + 3);
            expected += a + b - a * b + 10 * (1 - a) * c;
        }
        Assert.Equal(expected, ReferenceInterpreter.Smooth(metric, inputs), 12);
    }

    [Fact]
    public void Any_and_all_are_one_minus_a_product_and_a_product()
    {
        var metric = Compile("""
            metric M(x: real[n], label: bool[n], tau: real = 1) {
                maximize 1000 * any[n](label[n]) + 100 * all[n](label[n]) + 10 * any[n](x[n] > 0) + all[n](x[n] > -1);
            }
            """);
        var inputs = Inputs(("x", Vec(0.5, -0.5)), ("label", Labels(1, 0)));
        Assert.Equal(1000 + 0 + 10 + 1, ReferenceInterpreter.Exact(metric, inputs));
        var any = 1 - (1 - Sigmoid(0.5)) * (1 - Sigmoid(-0.5));
        var all = Sigmoid(1.5) * Sigmoid(0.5);
        Assert.Equal(1000 + 10 * any + all, ReferenceInterpreter.Smooth(metric, inputs), 12);
    }

    [Fact]
    public void Max_min_and_mean_reductions()
    {
        const string text = "metric M(x: real[n]) { maximize 100 * max[n](x[n]) + 10 * min[n](x[n]) + mean[n](x[n]); }";
        Assert.Equal(100 * 3 + 10 * -4 + 0.5, Exact(text, ("x", Vec(1, 3, -4, 2))), 12);
    }

    [Fact]
    public void Reducing_an_excluded_range_to_nothing_gives_sum_zero_any_zero_all_one()
    {
        const string text = """
            metric M(x: real[i], label: bool[i]) {
                s[i] = sum[j != i](x[j]);
                a[i] = any[j != i](label[j]);
                b[i] = all[j != i](label[j]);
                maximize 100 * sum[i](s[i]) + 10 * sum[i](a[i]) + sum[i](b[i]);
            }
            """;
        Assert.Equal(1.0, Exact(text, ("x", Vec(5)), ("label", Labels(1))));
    }

    [Fact]
    public void A_mean_over_an_excluded_range_that_is_empty_is_an_argument_error()
    {
        var metric = Compile("metric Lonely(x: real[i]) { m[i] = mean[j != i](x[j]); maximize sum[i](m[i]); }");
        // Two items: m = [x1, x0] = [2, 1].
        Assert.Equal(3.0, ReferenceInterpreter.Exact(metric, Inputs(("x", Vec(1, 2)))), 12);
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Exact(metric, Inputs(("x", Vec(1)))));
        Assert.Contains("`Lonely`", error.Message);
        Assert.Contains("mean", error.Message);
    }

    [Fact]
    public void Where_selects_its_second_argument_where_the_condition_is_non_zero()
    {
        var metric = Compile("""
            metric M(x: real[n], label: bool[n], tau: real = 1) {
                maximize sum[n](where(label[n], x[n], -x[n])) + 100 * sum[n](where(!label[n], 1, 0));
            }
            """);
        var inputs = Inputs(("x", Vec(2, 3, -1)), ("label", Labels(1, 0, 0)));
        // 2 − 3 + 1 = 0, and two negative labels. The condition may not depend on a score (the binder refuses
        // that, since a hard select has no gradient), so both programs agree.
        Assert.Equal(200.0, ReferenceInterpreter.Exact(metric, inputs));
        Assert.Equal(200.0, ReferenceInterpreter.Smooth(metric, inputs));
    }

    [Fact]
    public void Statements_are_evaluated_in_order_and_read_by_later_ones()
    {
        const string text = """
            metric M(x: real[n]) {
                a[n] = x[n] * 2;
                b[n] = a[n] + 1;
                c = sum[n](b[n]);
                maximize c * c - sum[n](a[n]);
            }
            """;
        // x = [1, 2]: a = [2, 4], b = [3, 5], c = 8  =>  64 − 6.
        Assert.Equal(58.0, Exact(text, ("x", Vec(1, 2))));
    }

    [Fact]
    public void A_statement_read_with_other_variables_is_read_at_their_positions()
    {
        // t is declared over (b, a) = (an i-position, a q-position): t[b, a] = 10·x[a, b]. Reading t[i, q]
        // is reading 10·x[q, i]. x is 2×3, so a transposition bug reads out of range or a wrong element.
        var metric = Compile("""
            metric M(x: real[q, i], w: const real[q, i]) {
                t[b, a] = 10 * x[a, b];
                maximize sum[q, i](t[i, q] * w[q, i]);
            }
            """);
        double[,] x = { { 1, 2, 3 }, { 4, 5, 6 } }, w = { { 1, 0, 2 }, { 0, 3, 0 } };
        // Σ 10·x·w = 10·(1 + 6 + 15) = 220.
        Assert.Equal(220.0, ReferenceInterpreter.Exact(metric, Inputs(("x", Mat(x)), ("w", Mat(w)))));
    }

    [Fact]
    public void A_statement_over_q_i_read_as_q_j_inside_a_reduction()
    {
        // rank-like use: r[q, i] read at r[q, j]: Σ_q (Σ_j 2·x[q, j]) · (Σ_i w[q, i]).
        var metric = Compile("""
            metric M(x: real[q, i], w: const real[q, i]) {
                r[q, i] = 2 * x[q, i];
                s[q, i] = sum[j](r[q, j] * w[q, i]);
                maximize sum[q, i](s[q, i]);
            }
            """);
        double[,] x = { { 1, 2, 3 }, { 4, 5, 6 } }, w = { { 1, 0, 2 }, { 0, 3, 0 } };
        Assert.Equal(2 * 6 * 3 + 2 * 15 * 3, ReferenceInterpreter.Exact(metric, Inputs(("x", Mat(x)), ("w", Mat(w)))));
    }

    [Fact]
    public void A_gather_nested_in_a_gather_resolves_from_the_inside_out()
    {
        var metric = Compile("metric M(x: real[n], perm: index<n>[n], w: const real[n]) { maximize sum[n](x[perm[perm[n]]] * w[n]); }");
        // perm = [2, 0, 1]: perm[perm[n]] = [1, 2, 0], so x read as [20, 30, 10].
        var inputs = Inputs(("x", Vec(10, 20, 30)), ("perm", Vec(2, 0, 1)), ("w", Vec(1, 100, 10000)));
        Assert.Equal(20 + 3000 + 100000, ReferenceInterpreter.Exact(metric, inputs));
    }

    [Fact]
    public void An_exclusion_through_a_gather_skips_the_gathered_position()
    {
        var metric = Compile("metric M(logit: real[n, c], target: index<c>[n]) { maximize sum[n](sum[c != target[n]](logit[n, c])); }");
        var inputs = Inputs(("logit", Mat(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } })), ("target", Vec(0, 2)));
        Assert.Equal((2 + 3) + (4 + 5), ReferenceInterpreter.Exact(metric, inputs));
    }

    [Theory]
    [InlineData(10, 3 + 1.2618595071429148 + 0.5)] // k beyond the item count: all three ranks
    [InlineData(2, 3 + 1.2618595071429148)]          // 2 / log2 3 = 1.26...
    [InlineData(1, 3.0)]
    public void Ideal_dcg_sorts_the_gains_and_cuts_at_k(int k, double expected)
    {
        var inputs = Inputs(("score", new DenseArray(new double[6], 2, 3)), ("gain", Mat(new double[,] { { 1, 3, 2 }, { 0, 0, 0 } })));
        Assert.Equal(expected, ReferenceInterpreter.Exact(IdealDcgOfGains, inputs, Options(("k", k))), 12);
        Assert.Equal(expected, ReferenceInterpreter.Smooth(IdealDcgOfGains, inputs, Options(("k", k))), 12);
    }

    [Fact]
    public void A_cut_off_of_ideal_dcg_below_one_is_refused_with_the_options()
    {
        // Below 1 the ideal DCG would be 0, and so every NDCG divided by it.
        var inputs = Inputs(("score", new DenseArray(new double[6], 2, 3)), ("gain", Mat(new double[,] { { 1, 3, 2 }, { 0, 0, 0 } })));
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Exact(IdealDcgOfGains, inputs, Options(("k", 0))));
        Assert.StartsWith("metric `D`: the cut-off `k` of `ideal_dcg` must be at least 1", error.Message);
        Assert.Contains("it is 0 with k = 0", error.Message);
    }

    private static readonly BoundMetric IdealDcgOfGains = Compile("""
        metric D(score: real[q, i], gain: const real[q, i], k: int = 10) {
            maximize sum[q](ideal_dcg[i](gain[q, i], k)) + 0 * sum[q, i](score[q, i]);
        }
        """);

    [Fact]
    public void A_vector_option_is_indexed_by_its_own_axis()
    {
        var metric = Compile("metric V(x: real[n], w: real[m] = [1, 10, 100]) { maximize sum[n, m](x[n] * w[m]); }");
        Assert.Equal(111.0 * 3, ReferenceInterpreter.Exact(metric, Inputs(("x", Vec(1, 2)))));
        var options = new Dictionary<string, double[]> { ["w"] = new double[] { 2, 3 } };
        Assert.Equal(5.0 * 3, ReferenceInterpreter.Exact(metric, Inputs(("x", Vec(1, 2))), options));
    }
}
