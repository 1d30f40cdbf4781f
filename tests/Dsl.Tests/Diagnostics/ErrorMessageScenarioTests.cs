using System.Reflection;
using MetricLoss.Dsl.Diagnostics;

namespace MetricLoss.Dsl.Tests.Diagnostics;

/// <summary>
/// One small, realistic metric text per mistake, asserting the whole diagnostic as people read it,
/// <c>(line:column): severity id: message</c>, plus the exact text its span underlines. Each test is
/// named after its id, and <see cref="Every_diagnostic_the_language_can_report_has_a_scenario"/>
/// checks that no id of the language is left without one.
/// </summary>
public class ErrorMessageScenarioTests
{
    // ---- MTR0001 syntax ----------------------------------------------------------------------------

    [Fact]
    public void MTR0001_missing_parenthesis_in_the_middle_of_a_file_points_at_the_line_and_column() => Reports("""
        namespace Catalog;

        // F1 at a threshold.
        metric F1(score: real[n], label: bool[n], tau: real = 1) {
            pred[n] = score[n] > 0;
            tp = sum[n](pred[n] & label[n];
            maximize tp;
        }
        """,
        "(6:35): error MTR0001: unexpected `;`, expected `)`", at: ";");

    [Fact]
    public void MTR0001_missing_semicolon_is_reported_at_the_next_token() => Reports("""
        metric F1(score: real[n], label: bool[n], tau: real = 1) {
            pred[n] = score[n] > 0
            tp = sum[n](pred[n] & label[n]);
            maximize tp;
        }
        """,
        "(3:5): error MTR0001: unexpected `tp`, expected `;`", at: "tp");

    [Fact]
    public void MTR0001_unknown_type_lists_the_types() => Reports("""
        metric M(score: float[n], label: bool[n], tau: real = 1) {
            maximize mean[n](label[n] & (score[n] > 0));
        }
        """,
        "(1:17): error MTR0001: unexpected `float`, expected type (real, bool, int or index<axis>)", at: "float");

    [Fact]
    public void MTR0001_misspelt_keyword_says_a_metric_was_expected() => Reports("""
        namespace Catalog;
        metrc F1(score: real[n]) {
            maximize mean[n](score[n]);
        }
        """,
        "(2:1): error MTR0001: unexpected `metrc`, expected `metric` or end of text", at: "metrc");

    [Fact]
    public void MTR0001_unterminated_metric_reports_the_end_of_text() => Reports("""
        metric M(score: real[n]) {
            maximize mean[n](score[n]);
        """,
        "(2:32): error MTR0001: unexpected end of text, expected `}`", at: "");

    [Fact]
    public void MTR0001_stray_character() => Reports("""
        metric M(score: real[n]) {
            maximize mean[n](score[n]) # 2;
        }
        """,
        "(2:32): error MTR0001: unexpected `#`, expected `;`", at: "#");

    [Fact]
    public void MTR0001_exclusion_must_be_an_axis_not_a_number() => Reports("""
        metric M(score: real[n]) {
            maximize sum[j != 0](score[j]);
        }
        """,
        "(2:23): error MTR0001: unexpected `0`, expected identifier", at: "0");

    [Fact]
    public void MTR0001_equality_after_a_comparison_still_says_what_to_write() => Reports("""
        metric M(score: real[n], label: bool[n], tau: real = 1) {
            maximize mean[n](score[n] > 0 == label[n]);
        }
        """,
        "(2:35): error MTR0001: unexpected `==`, expected `)`; the language has no `==`: to test that a equals b write `a >= b & b >= a`", at: "==");

    [Fact]
    public void MTR0001_namespace_line_after_a_metric() => Reports("""
        metric M(score: real[n]) {
            maximize mean[n](score[n]);
        }
        namespace Catalog;
        """,
        "(4:1): error MTR0001: unexpected `namespace`, expected `metric` or end of text", at: "namespace");

    [Fact]
    public void MTR0001_expression_nested_too_deeply() => Reports(
        "metric M(s: real[n]) {\n    maximize " + new string('(', 40) + "mean[n](s[n])" + new string(')', 40) + ";\n}",
        "(2:46): error MTR0001: expression nested too deeply: more than 32 levels of brackets; split it into smaller statements", at: "(");

    [Fact]
    public void MTR0001_expression_too_long() => Reports(
        "metric M(s: real[n]) {\n    maximize mean[n](s[n])" + string.Concat(Enumerable.Repeat(" + 1", 120)) + ";\n}",
        "(2:428): error MTR0001: expression too long: more than 100 operators in one statement; split it into smaller statements", at: "+");

    // ---- MTR0002 .. MTR0004 files and numbers ------------------------------------------------------

    [Fact]
    public void MTR0002_attribute_text_may_not_have_a_namespace_line() => Reports("""
        namespace Catalog;
        metric F1(score: real[n]) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:11): error MTR0002: a [Metric] attribute takes its namespace from its class; remove the `namespace` line", at: "Catalog",
        MetricHost.Attribute);

    [Fact]
    public void MTR0002_no_metric_of_the_text_is_produced()
    {
        // As for any other error: the metric binds (its own errors would be reported) but is not produced.
        var compilation = MetricCompiler.Compile("namespace Catalog;\nmetric F1(score: real[n]) { maximize mean[n](score[n]); }", null, MetricHost.Attribute);
        Assert.Equal("MTR0002", Assert.Single(compilation.Diagnostics).Id);
        Assert.Empty(compilation.Metrics);
    }

    [Fact]
    public void MTR0002_the_same_text_is_fine_in_a_file() =>
        Assert.Empty(MetricCompiler.Compile("namespace Catalog;\nmetric F1(score: real[n]) { maximize mean[n](score[n]); }", null).Diagnostics);

    [Fact]
    public void MTR0003_file_without_a_metric_is_a_warning() => Reports("""
        namespace Catalog;
        // metric F1(score: real[n]) { maximize mean[n](score[n]); }
        """,
        "(1:1): warning MTR0003: no metric is defined here; expected `metric Name(...) { ... }`", at: "");

    [Fact]
    public void MTR0004_number_too_large_for_a_double() => Reports("""
        metric M(score: real[n], scale: real = 1e400) {
            maximize mean[n](score[n]) * scale;
        }
        """,
        "(1:40): error MTR0004: number `1e400` is too large; expected a finite number (at most about 1.8e308)", at: "1e400");

    // ---- MTR0100 names -----------------------------------------------------------------------------

    [Fact]
    public void MTR0100_unknown_name_suggests_the_closest_one() => Reports("""
        metric F1(score: real[n], label: bool[n], tau: real = 1) {
            pred[n] = score[n] > 0;
            tp = sum[n](pred[n] & lable[n]);
            maximize tp;
        }
        """,
        "(3:27): error MTR0100: unknown name `lable`; expected an input, option or statement defined above (did you mean `label`?)", at: "lable");

    [Fact]
    public void MTR0100_unknown_name_without_a_close_match() => Reports("""
        metric M(score: real[n], tau: real = 1) {
            maximize mean[n](score[n] > threshold);
        }
        """,
        "(2:33): error MTR0100: unknown name `threshold`; expected an input, option or statement defined above", at: "threshold");

    [Fact]
    public void MTR0100_statement_used_before_it_is_defined() => Reports("""
        metric M(score: real[n], tau: real = 1) {
            tp = sum[n](pred[n]);
            pred[n] = score[n] > 0;
            maximize tp;
        }
        """,
        "(2:17): error MTR0100: `pred` is used before it is defined (line 3); statements can only use statements above them", at: "pred");

    [Fact]
    public void MTR0100_axis_used_as_a_value() => Reports("""
        metric M(score: real[n]) {
            maximize sum[i](score[i] * i);
        }
        """,
        "(2:32): error MTR0100: `i` is an axis, not a value; expected an input, option or statement defined above", at: "i");

    [Fact]
    public void MTR0100_is_not_repeated_for_a_statement_that_already_failed() => Reports("""
        metric M(score: real[n], tau: real = 1) {
            pred[n] = score[n] > treshold;
            maximize mean[n](pred[n]);
        }
        """,
        "(2:26): error MTR0100: unknown name `treshold`; expected an input, option or statement defined above", at: "treshold");

    [Fact]
    public void MTR0100_false_in_an_expression_says_to_write_zero() => Reports("""
        metric M(score: real[n], label: bool[n], tau: real = 1) {
            maximize mean[n](where(label[n], 1, false) * (score[n] > 0));
        }
        """,
        "(2:41): error MTR0100: unknown name `false`: the language has no boolean literals; write 0 (booleans are 1 for true and 0 for false)", at: "false");

    // ---- MTR0101 .. MTR0104 declarations, functions, arity -------------------------------------------

    [Fact]
    public void MTR0101_duplicate_parameter() => Reports("""
        metric M(score: real[n], label: bool[n], score: real[n]) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:42): error MTR0101: `score` is already defined in metric `M`", at: "score");

    [Fact]
    public void MTR0101_two_options_that_become_one_property() => Reports("""
        metric M(score: real[n], tau_k: real = 1, tauK: real = 2) {
            maximize mean[n]((score[n] > 0) @ tau_k);
        }
        """,
        "(1:43): error MTR0101: option `tauK` would become the property `TauK`, as option `tau_k` does; rename one of them", at: "tauK");

    [Fact]
    public void MTR0101_statement_redefines_a_statement() => Reports("""
        metric M(score: real[n], tau: real = 1) {
            x = sum[n](score[n] > 0);
            x = sum[n](score[n] < 0);
            maximize x;
        }
        """,
        "(3:5): error MTR0101: `x` is already defined in metric `M`", at: "x");

    [Fact]
    public void MTR0102_unknown_function_suggests_the_closest_one() => Reports("""
        metric M(score: real[n]) {
            maximize mean[n](sqr(score[n]));
        }
        """,
        "(2:22): error MTR0102: unknown function `sqr`, expected one of step, sqrt, log, log2, exp, abs, min, max, clamp, where (did you mean `sqrt`?)", at: "sqr");

    [Fact]
    public void MTR0102_unknown_function_without_a_close_match() => Reports("""
        metric M(score: real[n]) {
            maximize mean[n](sigmoid(score[n]));
        }
        """,
        "(2:22): error MTR0102: unknown function `sigmoid`, expected one of step, sqrt, log, log2, exp, abs, min, max, clamp, where", at: "sigmoid");

    [Fact]
    public void MTR0102_reducer_called_like_a_function() => Reports("""
        metric M(score: real[n]) {
            maximize sum(score[n]);
        }
        """,
        "(2:14): error MTR0102: `sum` is a reducer: write sum[axis](...)", at: "sum");

    [Fact]
    public void MTR0102_function_used_like_a_reducer() => Reports("""
        metric M(score: real[n]) {
            maximize sqrt[n](score[n]);
        }
        """,
        "(2:14): error MTR0102: `sqrt` is a function, not a reducer: write sqrt(...)", at: "sqrt");

    [Fact]
    public void MTR0102_unknown_reducer() => Reports("""
        metric M(score: real[n]) {
            maximize total[n](score[n]);
        }
        """,
        "(2:14): error MTR0102: unknown reducer `total`, expected one of sum, mean, max, min, any, all", at: "total");

    [Fact]
    public void MTR0103_wrong_argument_count_of_a_function() => Reports("""
        metric M(score: real[n]) {
            maximize mean[n](min(score[n]));
        }
        """,
        "(2:22): error MTR0103: `min` takes 2 arguments, found 1", at: "min(score[n])");

    [Fact]
    public void MTR0103_wrong_argument_count_of_a_reduction() => Reports("""
        metric M(score: real[n]) {
            maximize sum[n](score[n], 1);
        }
        """,
        "(2:14): error MTR0103: `sum[...]` takes 1 argument, found 2", at: "sum[n](score[n], 1)");

    [Fact]
    public void MTR0103_ideal_dcg_without_a_binder() => Reports("""
        metric M(score: real[q, i], gain: const real[q, i], k: int = 10) {
            maximize mean[q](sum[i](score[q, i]) / ideal_dcg(gain[q, i], k));
        }
        """,
        "(2:44): error MTR0103: `ideal_dcg` needs a binder: ideal_dcg[i](gain[q, i], k)", at: "ideal_dcg");

    [Fact]
    public void MTR0104_wrong_index_count_of_an_input() => Reports("""
        metric M(sim: real[q, i]) {
            maximize mean[q](sim[q]);
        }
        """,
        "(2:22): error MTR0104: input `sim` has 2 axes (q, i); expected 2 indices, found 1: write sim[q, i]", at: "sim[q]");

    [Fact]
    public void MTR0104_scalar_option_indexed() => Reports("""
        metric M(score: real[n], k: int = 1) {
            maximize mean[n](score[n] * k[n]);
        }
        """,
        "(2:33): error MTR0104: option `k` is a scalar; expected no indices, found 1", at: "k[n]");

    [Fact]
    public void MTR0104_wrong_index_count_of_a_gather() => Reports("""
        metric M(logit: real[n, c], target: index<c>[n]) {
            maximize mean[n](logit[n, target[n, n]]);
        }
        """,
        "(2:31): error MTR0104: input `target` has 1 axis (n); expected 1 index, found 2", at: "target[n, n]");

    // ---- MTR0105 .. MTR0107 axes and temperatures ----------------------------------------------------

    [Fact]
    public void MTR0105_axis_mismatch_between_inputs() => Reports("""
        metric M(score: real[n], weight: real[m]) {
            maximize sum[n](score[n] * weight[n]);
        }
        """,
        "(2:39): error MTR0105: axis mismatch: dimension 0 of `weight` ranges over `m`, but the index `n` ranges over `n`; index it with an axis of `m`", at: "n");

    [Fact]
    public void MTR0105_gather_along_the_wrong_axis() => Reports("""
        metric M(logit: real[n, c], target: index<c>[n]) {
            maximize mean[n](logit[target[n], n]);
        }
        """,
        "(2:28): error MTR0105: axis mismatch: `target` holds positions along `c`, but it indexes dimension 0 of `logit`, which ranges over `n`", at: "target[n]");

    [Fact]
    public void MTR0106_axis_size_cannot_be_inferred() => Reports("""
        metric M(score: real[n]) {
            maximize sum[n, m](score[n]);
        }
        """,
        "(2:21): error MTR0106: the size of axis `m` cannot be inferred: it indexes no input, option or statement; expected one of `n`", at: "m");

    [Fact]
    public void MTR0107_relaxed_comparison_without_a_temperature() => Reports("""
        metric Accuracy(score: real[n], label: bool[n]) {
            correct[n] = label[n] & (score[n] > 0);
            maximize mean[n](correct[n]);
        }
        """,
        "(2:29): error MTR0107: `(score[n] > 0)` depends on a differentiable input, so the surrogate relaxes it, but it has no temperature: annotate it (`... @ 0.1`) or declare an option `tau: real = ...`",
        at: "(score[n] > 0)");

    [Fact]
    public void MTR0107_step_without_a_temperature() => Reports("""
        metric RocAuc(score: real[n], label: bool[n]) {
            maximize sum[i, j](label[i] & !label[j] & step(score[i] - score[j])) / sum[i, j](label[i] & !label[j]);
        }
        """,
        "(2:47): error MTR0107: `step(score[i] - score[j])` depends on a differentiable input, so the surrogate relaxes it, but it has no temperature: annotate it (`... @ 0.1`) or declare an option `tau: real = ...`",
        at: "step(score[i] - score[j])");

    // ---- MTR0108 .. MTR0112 types, free axes, ideal_dcg, annotations ---------------------------------

    [Fact]
    public void MTR0108_and_on_a_real() => Reports("""
        metric F1(score: real[n], label: bool[n], tau: real = 1) {
            tp = sum[n](score[n] & label[n]);
            maximize tp;
        }
        """,
        "(2:17): error MTR0108: `&` expects booleans (comparisons, bool inputs), found a real number on the left: `score[n]`", at: "score[n]");

    [Fact]
    public void MTR0112_bool_option_as_a_whole_temperature() => Reports("""
        metric M(score: real[n], sharp: bool = 1) {
            maximize mean[n]((score[n] > 0) @ sharp);
        }
        """,
        "(2:39): error MTR0112: a temperature is a positive number, but `sharp` is a bool option; declare it `real`", at: "sharp");

    [Fact]
    public void MTR0108_quotes_a_parenthesised_operand_whole() => Reports("""
        metric M(score: real[n], label: bool[n]) {
            maximize mean[n](label[n] | (score[n] + 1) * 2);
        }
        """,
        "(2:33): error MTR0108: `|` expects booleans (comparisons, bool inputs), found a real number on the right: `(score[n] + 1) * 2`", at: "(score[n] + 1) * 2");

    [Fact]
    public void MTR0108_not_on_a_real() => Reports("""
        metric M(score: real[n], label: bool[n]) {
            maximize mean[n](label[n] & !score[n]);
        }
        """,
        "(2:34): error MTR0108: `!` expects a boolean (a comparison or a bool input), found a real number: `score[n]`", at: "score[n]");

    [Fact]
    public void MTR0108_any_of_a_real() => Reports("""
        metric M(score: real[n]) {
            maximize any[n](score[n]);
        }
        """,
        "(2:21): error MTR0108: `any` expects a boolean body, found a real number: `score[n]`", at: "score[n]");

    [Fact]
    public void MTR0108_list_outside_a_default() => Reports("""
        metric M(score: real[n]) {
            maximize mean[n](score[n]) * [1, 2];
        }
        """,
        "(2:34): error MTR0108: a list is only allowed as the default of a vector option", at: "[1, 2]");

    [Fact]
    public void MTR0109_statement_with_an_undeclared_axis() => Reports("""
        metric M(score: real[n], tau: real = 1) {
            pred = score[n] > 0;
            maximize mean[n](pred[n]);
        }
        """,
        "(2:12): error MTR0109: `pred` depends on axis `n`, which it does not declare; write `pred[n] = ...` or reduce over it", at: "score[n] > 0");

    [Fact]
    public void MTR0109_goal_with_free_axes() => Reports("""
        metric M(sim: real[q, i]) {
            maximize sim[q, i];
        }
        """,
        "(2:14): error MTR0109: the goal must be a scalar; found axes `q`, `i`: reduce them, e.g. mean[q, i](...)", at: "sim[q, i]");

    [Fact]
    public void MTR0110_ideal_dcg_on_a_differentiable_input() => Reports("""
        metric Ndcg(score: real[q, i], gain: real[q, i], k: int = 10, tau: real = 0.1) {
            rank[q, i] = 1 + sum[j != i](score[q, j] > score[q, i]);
            dcg[q] = sum[i](gain[q, i] * (rank[q, i] <= k) / log2(1 + rank[q, i]));
            maximize mean[q](dcg[q] / ideal_dcg[i](gain[q, i], k));
        }
        """,
        "(4:44): error MTR0110: `ideal_dcg` sorts its gains exactly and is defined on constants only, but `gain[q, i]` depends on a differentiable input; pass a `const real` or label input",
        at: "gain[q, i]");

    [Fact]
    public void MTR0111_at_on_a_non_comparison() => Reports("""
        metric M(score: real[n], tau: real = 1) {
            maximize mean[n](score[n] @ 0.1);
        }
        """,
        "(2:22): error MTR0111: `@` must follow a comparison or step(...), found `score[n]`; write `(a > b) @ tau`", at: "score[n] @ 0.1");

    [Fact]
    public void MTR0111_at_on_a_parenthesised_sum() => Reports("""
        metric M(score: real[n], tau: real = 1) {
            maximize mean[n]((score[n] + 1) @ 0.1);
        }
        """,
        "(2:22): error MTR0111: `@` must follow a comparison or step(...), found `(score[n] + 1)`; write `(a > b) @ tau`", at: "(score[n] + 1) @ 0.1");

    [Fact]
    public void MTR0112_temperature_from_an_input() => Reports("""
        metric M(score: real[n], width: real[n]) {
            maximize mean[n](score[n] > 0 @ width[n]);
        }
        """,
        "(2:37): error MTR0112: a temperature must be a number or a scalar option, found `width[n]`", at: "width[n]");

    [Fact]
    public void MTR0112_temperature_from_a_vector_option() => Reports("""
        metric M(score: real[n], taus: real[m] = [0.1, 1]) {
            maximize mean[n, m](score[n] > 0 @ taus[m]);
        }
        """,
        "(2:40): error MTR0112: a temperature must be a number or a scalar option, found `taus[m]`", at: "taus[m]");

    [Fact]
    public void MTR0112_temperature_written_as_arithmetic_is_folded_with_the_defaults() => Reports("""
        metric F1(score: real[n], label: bool[n], t: real = 0.5) {
            tp = sum[n](label[n] & (score[n] > 0 @ (0 - t)));
            maximize tp / sum[n](label[n]);
        }
        """,
        "(2:44): error MTR0112: the temperature `0 - t` must be positive and finite (it divides a difference: a negative one reverses the gradient, zero divides by zero); it is -0.5 with the default t = 0.5",
        at: "(0 - t)");

    [Fact]
    public void MTR0112_temperature_of_numbers_folding_to_zero() => Reports("""
        metric M(score: real[n], label: bool[n]) {
            maximize mean[n](label[n] & (score[n] > 0 @ (1 - 1)));
        }
        """,
        "(2:49): error MTR0112: the temperature `1 - 1` must be positive and finite (it divides a difference: a negative one reverses the gradient, zero divides by zero); it is 0",
        at: "(1 - 1)");

    [Fact]
    public void MTR0112_negative_temperature_says_a_temperature_must_be_positive() => Reports("""
        metric M(score: real[n], label: bool[n]) {
            maximize mean[n](label[n] & (score[n] > 0 @ -0.5));
        }
        """,
        "(2:49): error MTR0112: the temperature `-0.5` must be positive and finite (it divides a difference: a negative one reverses the gradient, zero divides by zero)",
        at: "-0.5");

    [Fact]
    public void MTR0112_bool_option_as_a_temperature() => Reports("""
        metric M(score: real[n], label: bool[n], soft: bool = 1) {
            maximize mean[n](label[n] & (score[n] > 0 @ soft));
        }
        """,
        "(2:49): error MTR0112: a temperature is a positive number, but `soft` is a bool option; declare it `real`", at: "soft");

    // ---- MTR0113 defaults ----------------------------------------------------------------------------

    [Fact]
    public void MTR0113_list_for_a_scalar_option() => Reports("""
        metric M(score: real[n], k: int = [1, 2, 4]) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:35): error MTR0113: option `k` is a scalar; expected a number, found a list", at: "[1, 2, 4]");

    [Fact]
    public void MTR0113_number_for_a_vector_option() => Reports("""
        metric M(score: real[n], k: int[m] = 5) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:38): error MTR0113: option `k` is a vector; expected a list default such as [1, 2, 4]", at: "5");

    [Fact]
    public void MTR0113_non_integer_int() => Reports("""
        metric M(score: real[n], k: int = 2.5) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:35): error MTR0113: option `k` is an int; expected a whole number, found 2.5", at: "2.5");

    [Fact]
    public void MTR0113_bool_other_than_zero_or_one() => Reports("""
        metric M(score: real[n], strict: bool = 2) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:41): error MTR0113: option `strict` is a bool; expected 0 or 1, found 2", at: "2");

    [Fact]
    public void MTR0113_non_constant_default() => Reports("""
        metric M(score: real[n], tau: real = 1, tau_k: real = tau * 2) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:55): error MTR0113: default of `tau_k`: expected a constant (numbers and + - * / ^ only), found `tau`", at: "tau");

    [Fact]
    public void MTR0113_non_constant_list_item() => Reports("""
        metric M(score: real[n], tau: real = 1, k: int[m] = [1, 2, tau]) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:60): error MTR0113: default of `k`: expected a constant (numbers and + - * / ^ only), found `tau`", at: "tau");

    [Fact]
    public void MTR0113_division_by_zero() => Reports("""
        metric M(score: real[n], tau: real = 1 / 0) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:38): error MTR0113: default of `tau`: division by zero", at: "1 / 0");

    [Fact]
    public void MTR0113_empty_list_default() => Reports("""
        metric M(score: real[n], k: int[m] = []) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:38): error MTR0113: vector option `k` needs at least one value: its length is the size of axis `m`, which cannot be empty; write e.g. [1]", at: "[]");

    [Fact]
    public void MTR0113_true_in_a_default_says_to_write_one() => Reports("""
        metric M(score: real[n], strict: bool = true, tau: real = 1) {
            maximize mean[n](score[n] > 0);
        }
        """,
        "(1:41): error MTR0113: default of `strict`: the language has no `true`; write 1 (booleans are 1 for true and 0 for false)", at: "true");

    [Fact]
    public void MTR0113_false_in_a_list_default() => Reports("""
        metric M(score: real[n], mask: bool[m] = [1, false], tau: real = 1) {
            maximize mean[n](score[n] > 0);
        }
        """,
        "(1:46): error MTR0113: default of `mask`: the language has no `false`; write 0 (booleans are 1 for true and 0 for false)", at: "false");

    // ---- MTR0114 goal ------------------------------------------------------------------------------

    [Fact]
    public void MTR0114_missing_goal_points_at_the_closing_brace() => Reports("""
        metric F1(score: real[n], label: bool[n], tau: real = 1) {
            pred[n] = score[n] > 0;
            tp = sum[n](pred[n] & label[n]);
        }
        """,
        "(4:1): error MTR0114: metric `F1` has no goal; expected `maximize <expr>;` or `minimize <expr>;` before `}`", at: "}");

    [Fact]
    public void MTR0114_statement_after_the_goal() => Reports("""
        metric M(score: real[n], tau: real = 1) {
            maximize mean[n](score[n] > 0);
            unused = 1;
        }
        """,
        "(3:5): error MTR0114: statement after the goal; the goal (maximize or minimize) must come last", at: "unused = 1;");

    [Fact]
    public void MTR0114_second_goal() => Reports("""
        metric M(score: real[n]) {
            maximize mean[n](score[n]);
            minimize sum[n](score[n]);
        }
        """,
        "(3:5): error MTR0114: a metric has one goal; found a second maximize or minimize", at: "minimize sum[n](score[n]);");

    // ---- MTR0115 indices and binders -----------------------------------------------------------------

    [Fact]
    public void MTR0115_not_equal_outside_a_binder() => Reports("""
        metric M(sim: real[q, i], tau: real = 1) {
            off[q, i] = sim[q, i != q];
            maximize mean[q, i](off[q, i]);
        }
        """,
        "(2:24): error MTR0115: `!=` is only allowed in reduction binders, as in sum[j != i](...)", at: "i != q");

    [Fact]
    public void MTR0115_value_used_as_an_index() => Reports("""
        metric M(score: real[n], k: int = 1) {
            maximize score[k];
        }
        """,
        "(2:20): error MTR0115: `k` is a value, not an axis; an index is an axis name or a gather such as target[n]", at: "k");

    [Fact]
    public void MTR0115_gather_through_a_non_index_input() => Reports("""
        metric M(logit: real[n, c], target: int[n]) {
            maximize mean[n](logit[n, target[n]]);
        }
        """,
        "(2:31): error MTR0115: `target[...]` is used as an index, so `target` must be an input of type index<c>", at: "target[n]");

    [Fact]
    public void MTR0115_repeated_axis_in_an_index() => Reports("""
        metric M(score: real[n]) {
            gap[i, j] = score[i] - score[j];
            maximize mean[k](gap[k, k]);
        }
        """,
        "(3:22): error MTR0115: an axis is repeated in `gap[k, k]`; each index of `gap` needs its own axis", at: "gap[k, k]");

    [Fact]
    public void MTR0115_binder_reuses_an_axis_bound_outside() => Reports("""
        metric M(score: real[n]) {
            maximize sum[i](sum[i](score[i]));
        }
        """,
        "(2:25): error MTR0115: axis `i` is already bound here; reduce over a new name (e.g. `i2`)", at: "i");

    [Fact]
    public void MTR0115_exclusion_of_an_axis_not_bound_outside() => Reports("""
        metric M(score: real[n]) {
            maximize sum[j != i](score[j]);
        }
        """,
        "(2:23): error MTR0115: `j != i` needs `i` to be an axis bound outside this reduction", at: "i");

    // ---- MTR0116 .. MTR0120 names, warnings, interpolate, types ------------------------------------------

    [Fact]
    public void MTR0116_option_that_would_clash_with_an_options_property() => Reports("""
        metric M(score: real[n], epsilon: real = 0.001) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:26): error MTR0116: option `epsilon` would become the property `Epsilon`, which every Options record already has; choose another name", at: "epsilon");

    [Fact]
    public void MTR0116_reserved_word_as_a_metric_name() => Reports("""
        metric sum(score: real[n]) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:8): error MTR0116: `sum` is a reserved word and cannot name a metric", at: "sum");

    [Fact]
    public void MTR0116_double_underscore_in_a_statement_name() => Reports("""
        metric M(score: real[n], tau: real = 1) {
            s__pred[n] = score[n] > 0;
            maximize mean[n](s__pred[n]);
        }
        """,
        "(2:5): error MTR0116: `s__pred` cannot name a statement: names containing `__` are reserved for the generated code", at: "s__pred");

    [Fact]
    public void MTR0116_metric_named_like_a_member_of_its_class() => Reports("""
        metric Loss(score: real[n], tau: real = 1) {
            maximize mean[n](score[n] > 0);
        }
        """,
        "(1:8): error MTR0116: `Loss` cannot name a metric: the generated class of a metric has a member `Loss`; choose another name", at: "Loss");

    [Fact]
    public void MTR0116_option_that_would_clash_with_an_object_member() => Reports("""
        metric M(score: real[n], to_string: real = 1, tau: real = 1) {
            maximize mean[n](score[n] > to_string);
        }
        """,
        "(1:26): error MTR0116: option `to_string` would become the property `ToString`, which every Options record already has; choose another name", at: "to_string");

    [Fact]
    public void MTR0116_reserved_word_as_a_parameter_is_reported_once() => Reports("""
        metric M(score: real[n], index: int = 1) {
            maximize mean[n](score[n]) * index;
        }
        """,
        "(1:26): error MTR0116: `index` is a reserved word and cannot name a parameter", at: "index");

    [Fact]
    public void MTR0117_temperature_on_a_constant_comparison_is_a_warning() => Reports("""
        metric M(score: real[n], label: int[n], tau: real = 1) {
            positive[n] = (label[n] > 0) @ 0.1;
            maximize mean[n](positive[n] & (score[n] > 0));
        }
        """,
        "(2:36): warning MTR0117: `(label[n] > 0)` does not depend on a differentiable input, so it is never relaxed and the temperature has no effect", at: "0.1");

    [Fact]
    public void MTR0117_still_binds_the_metric() =>
        Assert.Single(MetricCompiler.Compile("metric M(score: real[n], label: int[n], tau: real = 1) { maximize mean[n]((label[n] > 0) @ 0.1 & (score[n] > 0)); }", null).Metrics);

    [Fact]
    public void MTR0118_unknown_interpolate_option() => Reports("""
        metric Acc(logit: real[n, c], target: index<c>[n], tau: real = 1) interpolate(good: 4, far: 2) {
            maximize mean[n](all[c != target[n]](logit[n, target[n]] > logit[n, c]));
        }
        """,
        "(1:88): error MTR0118: unknown interpolate option `far`; expected good, nearby or random", at: "far: 2");

    [Fact]
    public void MTR0118_interpolate_option_given_twice() => Reports("""
        metric Acc(score: real[n], tau: real = 1) interpolate(good: 4, good: 8) {
            maximize mean[n](score[n] > 0);
        }
        """,
        "(1:64): error MTR0118: interpolate option `good` is given twice", at: "good: 8");

    [Fact]
    public void MTR0118_negative_anchor_count() => Reports("""
        metric Acc(score: real[n], tau: real = 1) interpolate(random: -1) {
            maximize mean[n](score[n] > 0);
        }
        """,
        "(1:63): error MTR0118: interpolate option `random` expects a whole number of anchors ≥ 0, found `-1`", at: "-1");

    [Fact]
    public void MTR0119_metric_without_a_real_input_is_a_warning() => Reports("""
        metric Agreement(a: bool[n], b: bool[n]) {
            maximize mean[n](a[n] & b[n]);
        }
        """,
        "(1:8): warning MTR0119: metric `Agreement` has no `real` input, so its surrogate has no gradient; declare the scores as `real`", at: "Agreement");

    [Fact]
    public void MTR0120_option_typed_as_an_index() => Reports("""
        metric M(score: real[n], first: index<n> = 0) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:33): error MTR0120: option `first` cannot be an index; expected real, int or bool", at: "index<n>");

    [Fact]
    public void MTR0120_repeated_axis_in_a_type_is_reported_once() => Reports("""
        metric M(sim: real[i, i]) {
            maximize mean[i](sim[i, i]);
        }
        """,
        "(1:23): error MTR0120: axis `i` appears twice in the type of `sim`", at: "i");

    [Fact]
    public void MTR0120_option_with_two_axes() => Reports("""
        metric M(score: real[n], w: real[a, b] = [1]) {
            maximize mean[n](score[n]);
        }
        """,
        "(1:29): error MTR0120: option `w` has 2 axes; an option is a scalar or a vector (one axis)", at: "real[a, b]");

    // ---- MTR0121 .. MTR0123 constants and equality -------------------------------------------------

    [Fact]
    public void MTR0121_vector_cut_off_with_a_zero_entry() => Reports("""
        metric RecallAtK(sim: real[q, i], pos: bool[q, i], k: int[m] = [1, 0, 4], tau: real = 0.1) {
            rank[q, i] = 1 + sum[j != i](sim[q, j] > sim[q, i]);
            hits[q, m] = sum[i](pos[q, i] & (rank[q, i] <= k[m]));
            maximize mean[q, m](hits[q, m] / sum[i](pos[q, i]));
        }
        """,
        "(3:52): error MTR0121: `(rank[q, i] <= k[m])` would always be false: `rank[q, i]` is never below 1, so `k[m]` must be at least 1; it is 0 with the default k[1] = 0",
        at: "k[m]");

    [Fact]
    public void MTR0121_top_k_with_a_negative_default() => Reports("""
        metric TopK(logit: real[n, c], target: index<c>[n], k: int = -1, tau: real = 1) {
            higher[n] = sum[c != target[n]](logit[n, c] > logit[n, target[n]]);
            maximize mean[n](higher[n] < k);
        }
        """,
        "(3:34): error MTR0121: `higher[n] < k` would always be false: `higher[n]` is never below 0, so `k` must be at least 1; it is -1 with the default k = -1",
        at: "k");

    [Fact]
    public void MTR0121_literal_cut_off() => Reports("""
        metric P(score: real[q, i], label: bool[q, i], tau: real = 0.1) {
            rank[q, i] = 1 + sum[j != i](score[q, j] > score[q, i]);
            maximize mean[q](sum[i](label[q, i] & (rank[q, i] <= 0)));
        }
        """,
        "(3:58): error MTR0121: `(rank[q, i] <= 0)` would always be false: `rank[q, i]` is never below 1, so `0` must be at least 1", at: "0");

    [Fact]
    public void MTR0121_cut_off_of_ideal_dcg() => Reports("""
        metric Ndcg(score: real[q, i], gain: const real[q, i], k: int = 0, tau: real = 0.1) {
            rank[q, i] = 1 + sum[j != i](score[q, j] > score[q, i]);
            dcg[q] = sum[i](gain[q, i] / log2(1 + rank[q, i]));
            maximize mean[q](dcg[q] / ideal_dcg[i](gain[q, i], k));
        }
        """,
        "(4:56): error MTR0121: the cut-off `k` of `ideal_dcg` must be at least 1 (it keeps the gains of the top k positions; below 1 the ideal DCG is 0); it is 0 with the default k = 0",
        at: "k");

    [Fact]
    public void MTR0122_division_by_a_literal_zero() => Reports("""
        metric M(score: real[n], label: bool[n], tau: real = 1) {
            maximize sum[n](label[n] & (score[n] > 0)) / 0;
        }
        """,
        "(2:50): error MTR0122: division by zero; the exact evaluator would give 0 and the surrogate divide by ε", at: "0");

    [Fact]
    public void MTR0122_division_by_constants_folding_to_zero() => Reports("""
        metric M(score: real[n], label: bool[n], tau: real = 1) {
            maximize sum[n](label[n] & (score[n] > 0)) / (2 - 2);
        }
        """,
        "(2:50): error MTR0122: division by zero: the divisor `2 - 2` is 0; the exact evaluator would give 0 and the surrogate divide by ε", at: "(2 - 2)");

    [Fact]
    public void MTR0122_temperature_that_divides_by_zero() => Reports("""
        metric M(score: real[n], label: bool[n]) {
            maximize mean[n](label[n] & (score[n] > 0 @ (0 / 0)));
        }
        """,
        "(2:54): error MTR0122: division by zero; the exact evaluator would give 0 and the surrogate divide by ε", at: "0");

    [Fact]
    public void MTR0122_option_divisor_that_is_zero_by_default() => Reports("""
        metric M(score: real[n], label: bool[n], weight: real = 0, tau: real = 1) {
            maximize sum[n](label[n] & (score[n] > 0)) / weight;
        }
        """,
        "(2:50): error MTR0122: division by zero: the divisor `weight` is 0 with the default weight = 0; the exact evaluator would give 0 and the surrogate divide by ε", at: "weight");

    [Fact]
    public void MTR0122_negative_constant_divisor() => Reports("""
        metric M(score: real[n], label: bool[n], tau: real = 1) {
            minimize sum[n](label[n] & (score[n] > 0)) / -2;
        }
        """,
        "(2:50): error MTR0122: the divisor `-2` is not positive; a constant divisor must be positive and finite (the surrogate divides by max(divisor, ε), so a zero or negative one would become ε): put the sign on the numerator",
        at: "-2");

    [Fact]
    public void MTR0123_double_equals_suggests_two_comparisons() => Reports("""
        metric M(score: real[n], label: int[n], tau: real = 1) {
            maximize mean[n]((label[n] == 1) & (score[n] > 0));
        }
        """,
        "(2:32): error MTR0123: the language has no `==`; comparisons are >, >=, < and <=: to test that two values are equal write `label[n] >= 1 & 1 >= label[n]`", at: "==");

    [Fact]
    public void MTR0123_single_equals_in_an_expression() => Reports("""
        metric M(score: real[n], label: int[n], tau: real = 1) {
            maximize mean[n]((label[n] = 1) & (score[n] > 0));
        }
        """,
        "(2:32): error MTR0123: the language has no `=` in an expression (`=` defines a statement); comparisons are >, >=, < and <=: to test that two values are equal write `label[n] >= 1 & 1 >= label[n]`",
        at: "=");

    [Fact]
    public void MTR0123_not_equal_between_values() => Reports("""
        metric M(score: real[n], label: int[n], tau: real = 1) {
            maximize mean[n]((label[n] != 2) & (score[n] > 0));
        }
        """,
        "(2:32): error MTR0123: the language has no `!=` between values (it excludes a position only in a reduction binder, as in sum[j != i](...)); to test that two values differ write `label[n] > 2 | 2 > label[n]`",
        at: "!=");

    // ---- MTR0204 duplicate metric ------------------------------------------------------------------

    [Fact]
    public void MTR0204_metric_defined_twice_in_one_file() => Reports("""
        namespace Catalog;
        metric F1(score: real[n]) { maximize mean[n](score[n]); }

        metric F1(score: real[n]) { minimize mean[n](score[n]); }
        """,
        "(4:8): error MTR0204: metric `F1` is defined twice in this file", at: "F1");

    // ---- coverage and span sanity --------------------------------------------------------------------

    /// <summary>Ids of <see cref="DiagnosticCatalog"/> that the generator, not the language, reports.</summary>
    private static readonly string[] ReportedByTheGenerator = { "MTR0150", "MTR0151", "MTR0200", "MTR0201", "MTR0202", "MTR0203", "MTR0250", "MTR0900" };

    [Fact]
    public void Every_diagnostic_the_language_can_report_has_a_scenario()
    {
        var scenarios = typeof(ErrorMessageScenarioTests).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Select(m => m.Name.Split('_')[0]).ToHashSet();
        var missing = DiagnosticCatalog.All.Select(k => k.Id).Except(ReportedByTheGenerator).Where(id => !scenarios.Contains(id));
        Assert.Empty(missing);
    }

    [Fact]
    public void Line_and_column_agree_with_the_offsets_on_windows_line_endings()
    {
        const string Text = "metric M(score: real[n], tau: real = 1) {\r\n    maximize mean[n](scor[n] > 0);\r\n}\r\n";
        var diagnostic = Assert.Single(MetricCompiler.Compile(Text, null).Diagnostics);
        Assert.Equal("2:22", diagnostic.Span.ToString());
        Assert.Equal("scor", Text.Substring(diagnostic.Span.Start, diagnostic.Span.Length));
    }

    // ---- helper ------------------------------------------------------------------------------------

    /// <summary>
    /// Compiles <paramref name="text"/> and asserts it reports exactly one diagnostic, printed as
    /// <paramref name="expected"/>, whose span covers exactly <paramref name="at"/>.
    /// </summary>
    private static void Reports(string text, string expected, string at, MetricHost host = MetricHost.File)
    {
        var diagnostics = MetricCompiler.Compile(text, "Tests", host).Diagnostics;
        Assert.Equal(expected, string.Join(Environment.NewLine, diagnostics));
        var span = diagnostics[0].Span;
        Assert.Equal(at, text.Substring(span.Start, span.Length));
    }
}
