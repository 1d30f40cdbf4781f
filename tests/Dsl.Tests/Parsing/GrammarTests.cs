using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Parsing;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Tests.Parsing;

/// <summary>
/// One or more tests per construct of the grammar in docs/language.md. Expression trees are printed fully
/// parenthesised by <see cref="SyntaxPrinter"/>: <c>(| a (&amp; b c))</c>.
/// </summary>
public class GrammarTests
{
    // ---- precedence, loosest first: | & ! comparison(@) + - * / unary - ^ ------------------------------

    [Theory]
    [InlineData("a | b & c", "(| a (& b c))")]
    [InlineData("a & b | c", "(| (& a b) c)")]
    [InlineData("a | b | c", "(| (| a b) c)")]
    [InlineData("a & b & c", "(& (& a b) c)")]
    [InlineData("!a & b", "(& (! a) b)")]
    [InlineData("!a | !b", "(| (! a) (! b))")]
    [InlineData("!!a", "(! (! a))")]
    [InlineData("!a > b", "(! (> a b))")]
    [InlineData("a > b & c < d", "(& (> a b) (< c d))")]
    [InlineData("a > b + c", "(> a (+ b c))")]
    [InlineData("a + b >= c * d", "(>= (+ a b) (* c d))")]
    [InlineData("a + b * c", "(+ a (* b c))")]
    [InlineData("a * b + c", "(+ (* a b) c)")]
    [InlineData("a - b - c", "(- (- a b) c)")]
    [InlineData("a / b / c", "(/ (/ a b) c)")]
    [InlineData("a * b / c", "(/ (* a b) c)")]
    [InlineData("-a * b", "(* (- a) b)")]
    [InlineData("a * -b", "(* a (- b))")]
    [InlineData("a - -b", "(- a (- b))")]
    [InlineData("-a ^ b", "(- (^ a b))")]
    [InlineData("a ^ b ^ c", "(^ a (^ b c))")]
    [InlineData("a ^ -b", "(^ a (- b))")]
    [InlineData("a * b ^ c", "(* a (^ b c))")]
    [InlineData("(a | b) & c", "(& (| a b) c)")]
    [InlineData("(a + b) * c", "(* (+ a b) c)")]
    [InlineData("(a ^ b) ^ c", "(^ (^ a b) c)")]
    public void Operators_bind_by_the_precedence_of_language_md(string expression, string tree) =>
        Assert.Equal(tree, Tree(expression));

    [Theory]
    [InlineData("a > b", ">")]
    [InlineData("a >= b", ">=")]
    [InlineData("a < b", "<")]
    [InlineData("a <= b", "<=")]
    [InlineData("a>=b", ">=")]
    public void Each_comparison_operator_is_one_token(string expression, string op) =>
        Assert.Equal(op, Assert.IsType<ComparisonSyntax>(Goal(expression)).Operator);

    [Fact]
    public void Comparisons_do_not_chain() =>
        Assert.Equal("(1:36): error MTR0001: unexpected `<`, expected `;`", ParseError("metric M(x: real) { maximize a < b < c; }"));

    // ---- temperature annotations ----------------------------------------------------------------------

    [Theory]
    [InlineData("a > b @ tau", "(@ (> a b) tau)")]
    [InlineData("(a > b) @ tau", "(@ (> a b) tau)")]
    [InlineData("step(x) @ tau", "(@ step(x) tau)")]
    [InlineData("a <= b @ 0.5", "(@ (<= a b) 0.5)")]
    [InlineData("a > b @ tau & c", "(& (@ (> a b) tau) c)")]
    [InlineData("v & ((s > t) @ tau_rank)", "(& v (@ (> s t) tau_rank))")]
    [InlineData("!a > b @ tau", "(! (@ (> a b) tau))")]
    [InlineData("a > b @ (1 / 73)", "(@ (> a b) (/ 1 73))")]
    public void At_annotates_the_comparison_or_step_just_before_it(string expression, string tree) =>
        Assert.Equal(tree, Tree(expression));

    [Fact]
    public void At_after_a_non_comparison_parses_and_is_left_to_the_binder() =>
        Assert.Equal("(@ (+ a b) tau)", Tree("a + b @ tau"));

    [Fact]
    public void At_takes_one_atom_so_a_second_annotation_is_a_syntax_error() =>
        Assert.Equal("(1:42): error MTR0001: unexpected `@`, expected `;`", ParseError("metric M(x: real) { maximize a > b @ 0.1 @ 0.2; }"));

    [Fact]
    public void Bare_and_parenthesised_annotations_bind_to_the_same_model()
    {
        const string Bare = "metric M(s: real[n], t: real = 0.5) { maximize mean[n](s[n] > 0 @ t); }";
        const string Parenthesised = "metric M(s: real[n], t: real = 0.5) { maximize mean[n]((s[n] > 0) @ t); }";
        Assert.Equal(Bind(Bare).Goal, Bind(Parenthesised).Goal);
        var comparison = Assert.IsType<BoundComparison>(Assert.IsType<BoundReduction>(Bind(Bare).Goal).Body);
        Assert.Equal(new BoundOptionRef("t", null, EquatableArray<string>.Empty, ValueKind.Real), comparison.Temperature);
    }

    [Fact]
    public void Step_with_an_annotation_binds_to_a_step_with_that_temperature()
    {
        var metric = Bind("metric M(s: real[n]) { maximize mean[n](step(s[n] - 1) @ 0.25); }");
        var step = Assert.IsType<BoundStep>(Assert.IsType<BoundReduction>(metric.Goal).Body);
        Assert.Equal(new BoundNumber(0.25), step.Temperature);
    }

    // ---- names, indices, gathers ----------------------------------------------------------------------

    [Theory]
    [InlineData("score", "score")]
    [InlineData("score[n]", "score[n]")]
    [InlineData("sim[q, i]", "sim[q, i]")]
    [InlineData("logit[n, target[n]]", "logit[n, target[n]]")]
    [InlineData("x[a, g[b, h[c]]]", "x[a, g[b, h[c]]]")]
    [InlineData("tau_rank2", "tau_rank2")]
    public void Names_take_axis_indices_and_gathers(string expression, string printed) =>
        Assert.Equal(printed, Tree(expression));

    [Fact]
    public void A_gather_is_an_index_with_its_own_indices()
    {
        var name = Assert.IsType<NameSyntax>(Goal("logit[n, target[n]]"));
        Assert.Equal(new[] { "n", "target" }, name.Indices!.Select(i => i.Name));
        Assert.Null(name.Indices![0].Indices);
        Assert.Equal("n", Assert.Single(name.Indices![1].Indices!).Name);
    }

    [Fact]
    public void A_gather_binds_through_the_index_input()
    {
        var metric = Bind("metric M(logit: real[n, c], target: index<c>[n]) { maximize mean[n](logit[n, target[n]]); }");
        var reference = Assert.IsType<BoundInputRef>(Assert.IsType<BoundReduction>(metric.Goal).Body);
        Assert.Equal(new BoundIndex(null, "target", EquatableArray.Of(BoundIndex.Of("n"))), reference.Indices[1]);
    }

    [Fact]
    public void Not_equal_inside_a_plain_index_is_kept_for_the_binder_to_reject() =>
        Assert.Equal("score[i != j]", Tree("score[i != j]"));

    // ---- reductions and binders -----------------------------------------------------------------------

    [Theory]
    [InlineData("sum[n](x[n])", "sum[n](x[n])")]
    [InlineData("sum[i, j](x[i] & !x[j])", "sum[i, j]((& x[i] (! x[j])))")]
    [InlineData("mean[q, m](recall[q, m])", "mean[q, m](recall[q, m])")]
    [InlineData("sum[j != i](s[j] >= s[i])", "sum[j != i]((>= s[j] s[i]))")]
    [InlineData("sum[c != target[n]](l[n, c])", "sum[c != target[n]](l[n, c])")]
    [InlineData("all[c != target[n]](l[n, target[n]] > l[n, c])", "all[c != target[n]]((> l[n, target[n]] l[n, c]))")]
    [InlineData("any[i](x[i]) | max[i](y[i]) > min[i](y[i])", "(| any[i](x[i]) (> max[i](y[i]) min[i](y[i])))")]
    [InlineData("ideal_dcg[i](gain[q, i], k)", "ideal_dcg[i](gain[q, i], k)")]
    [InlineData("1 + sum[j](x[j]) * 2", "(+ 1 (* sum[j](x[j]) 2))")]
    public void Reductions_take_binders_then_arguments(string expression, string tree) =>
        Assert.Equal(tree, Tree(expression));

    [Fact]
    public void A_binder_keeps_its_axis_and_its_exclusion()
    {
        var reduction = Assert.IsType<ReductionSyntax>(Goal("sum[i, j != i](x[i, j])"));
        Assert.Equal("sum", reduction.Reducer);
        Assert.Equal(new[] { "i", "j != i" }, reduction.Binders.Select(SyntaxPrinter.Print));
        Assert.Null(reduction.Binders[0].Excluded);
        Assert.Equal("i", reduction.Binders[1].Excluded!.Name);
    }

    [Fact]
    public void Binders_bind_to_variables_with_exclusions_and_sizes()
    {
        var metric = Bind("""
            metric M(score: real[q, n], target: index<n>[q], tau: real = 1) {
                x[q, i] = sum[j != i](score[q, j] > score[q, i]);
                y[q] = sum[c != target[q]](score[q, c]);
                maximize sum[q, i](x[q, i]) + mean[q](y[q]);
            }
            """);
        var x = Assert.IsType<BoundReduction>(metric.Statements[0].Value);
        Assert.Equal(new BoundBinder("j", BoundIndex.Of("i")), Assert.Single(x.Binders));
        var y = Assert.IsType<BoundReduction>(metric.Statements[1].Value);
        Assert.Equal("target", Assert.Single(y.Binders).Excluded!.GatherInput);
        Assert.Contains(new AxisVariable("j", "j", "n"), metric.Variables);
        Assert.Contains(new AxisVariable("c", "c", "n"), metric.Variables);
    }

    [Fact]
    public void A_reduction_over_several_axes_binds_all_of_them()
    {
        var metric = Bind("metric M(score: real[n], label: bool[n], tau: real = 1) { maximize sum[i, j](label[i] & !label[j] & step(score[i] - score[j])); }");
        var reduction = Assert.IsType<BoundReduction>(metric.Goal);
        Assert.Equal(new[] { "i", "j" }, reduction.Binders.Select(b => b.Variable));
        Assert.Empty(reduction.Axes);
    }

    // ---- calls and literals ---------------------------------------------------------------------------

    [Theory]
    [InlineData("step(x)", "step(x)")]
    [InlineData("min(a, b) / max(a, b)", "(/ min(a, b) max(a, b))")]
    [InlineData("clamp(x, 0, 1)", "clamp(x, 0, 1)")]
    [InlineData("where(c, a + 1, b)", "where(c, (+ a 1), b)")]
    [InlineData("log2(1 + rank[q, i])", "log2((+ 1 rank[q, i]))")]
    [InlineData("sqrt(abs(exp(log(x))))", "sqrt(abs(exp(log(x))))")]
    public void Calls_take_comma_separated_arguments(string expression, string tree) =>
        Assert.Equal(tree, Tree(expression));

    [Theory]
    [InlineData("0", 0.0)]
    [InlineData("42", 42.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("1.5e-3", 0.0015)]
    [InlineData("2E+4", 20000.0)]
    [InlineData("7e2", 700.0)]
    public void Numbers_are_read_in_the_invariant_culture(string literal, double value) =>
        Assert.Equal(value, Assert.IsType<NumberSyntax>(Goal(literal)).Value);

    [Fact]
    public void A_list_is_an_expression_the_binder_only_accepts_as_a_vector_default() =>
        Assert.Equal("[1, 2, (* 2 2)]", Tree("[1, 2, 2 * 2]"));

    // ---- parameters, types, defaults ------------------------------------------------------------------

    [Theory]
    [InlineData("score: real[n]", "real[n]")]
    [InlineData("label: bool[n]", "bool[n]")]
    [InlineData("count: int[q]", "int[q]")]
    [InlineData("gain: const real[q, i]", "const real[q, i]")]
    [InlineData("target: index<c>[n]", "index<c>[n]")]
    [InlineData("target: index < c > [n]", "index<c>[n]")]
    [InlineData("threshold: real = 0", "real")]
    [InlineData("k: int[m] = [1, 2]", "int[m]")]
    public void Parameter_types_have_const_element_index_axis_and_axes(string parameter, string type) =>
        Assert.Equal(type, SyntaxPrinter.Print(Parameter(parameter).Type));

    [Fact]
    public void A_parameter_without_a_default_is_an_input_and_with_one_an_option()
    {
        var metric = Bind("metric M(score: real[n], gain: const real[n], target: index<c>[n], w: real[c], k: int = 3) { maximize sum[n](score[n]); }");
        Assert.Equal(new[] { InputKind.Real, InputKind.ConstReal, InputKind.Index, InputKind.Real }, metric.Inputs.Select(i => i.Kind));
        Assert.Equal("c", metric.Inputs[2].IndexAxis);
        Assert.Equal(new BoundOption("k", OptionKind.Int, null, EquatableArray.Of(3.0)), Assert.Single(metric.Options));
    }

    [Theory]
    [InlineData("tau: real = 1 / 73", 1.0 / 73)]
    [InlineData("t: real = -0.5", -0.5)]
    [InlineData("t: real = 2 ^ 3", 8.0)]
    [InlineData("t: real = (1 + 2) * 3 - 4", 5.0)]
    [InlineData("flag: bool = 1", 1.0)]
    [InlineData("k: int = 10", 10.0)]
    public void Scalar_defaults_are_constant_arithmetic(string option, double value) =>
        Assert.Equal(new[] { value }, BoundOptionOf(option).Default);

    [Fact]
    public void A_list_default_makes_a_vector_option_over_its_axis()
    {
        var option = BoundOptionOf("k: int[m] = [1, 2, 4, 8, 16]");
        Assert.Equal("m", option.VectorAxis);
        Assert.Equal(new double[] { 1, 2, 4, 8, 16 }, option.Default);
        Assert.Equal("[1, 2, 4, 8, 16]", SyntaxPrinter.Print(Parameter("k: int[m] = [1, 2, 4, 8, 16]").Default!));
    }

    [Fact]
    public void List_items_may_be_constant_arithmetic() =>
        Assert.Equal(new[] { 0.5, -1, 0.25 }, BoundOptionOf("w: real[m] = [1 / 2, -1, 0.5 ^ 2]").Default);

    // ---- interpolate ----------------------------------------------------------------------------------

    [Fact]
    public void Interpolate_takes_named_anchor_counts()
    {
        var syntax = ParseMetric("metric M(s: real[n], tau: real = 1) interpolate(good: 4, nearby: 2, random: 0) { maximize mean[n](s[n] > 0); }");
        Assert.Equal(new[] { "good: 4", "nearby: 2", "random: 0" }, syntax.Interpolate!.Options.Select(o => $"{o.Name}: {SyntaxPrinter.Print(o.Value)}"));
        var metric = Bind("metric M(s: real[n], tau: real = 1) interpolate(good: 4, nearby: 2, random: 0) { maximize mean[n](s[n] > 0); }");
        Assert.Equal(new InterpolationSettings(4, 2, 0), metric.Interpolation);
    }

    [Fact]
    public void Bare_interpolate_uses_the_default_counts() =>
        Assert.Equal(new InterpolationSettings(16, 16, 16),
            Bind("metric M(s: real[n], tau: real = 1) interpolate { maximize mean[n](s[n] > 0); }").Interpolation);

    [Fact]
    public void Interpolate_options_may_be_partial() =>
        Assert.Equal(new InterpolationSettings(16, 3, 16),
            Bind("metric M(s: real[n], tau: real = 1) interpolate(nearby: 3) { maximize mean[n](s[n] > 0); }").Interpolation);

    [Fact]
    public void Without_interpolate_a_metric_is_not_interpolated() =>
        Assert.Null(ParseMetric("metric M(s: real[n]) { maximize mean[n](s[n]); }").Interpolate);

    // ---- statements and goals -------------------------------------------------------------------------

    [Fact]
    public void Statements_declare_their_axes_and_come_before_the_goal()
    {
        var metric = ParseMetric("""
            metric M(s: real[q, i]) {
                total = 1;
                rank[q, i] = 1 + s[q, i];
                minimize mean[q, i](rank[q, i]) / total;
            }
            """);
        Assert.Equal(new[] { "total[]", "rank[q, i]" }, metric.Body.Take(2).Select(b => $"{b.Statement!.Name}[{string.Join(", ", b.Statement.Axes.Select(a => a.Name))}]"));
        var goal = metric.Body[2].Goal!;
        Assert.False(goal.Maximize);
        Assert.Equal("(/ mean[q, i](rank[q, i]) total)", SyntaxPrinter.Print(goal.Value));
    }

    [Theory]
    [InlineData("maximize", GoalDirection.Maximize)]
    [InlineData("minimize", GoalDirection.Minimize)]
    public void The_goal_keyword_sets_the_direction(string keyword, GoalDirection direction) =>
        Assert.Equal(direction, Bind($"metric M(s: real[n]) {{ {keyword} mean[n](s[n]); }}").Direction);

    [Fact]
    public void Names_that_start_with_a_keyword_are_plain_names()
    {
        var metric = ParseMetric("metric metrics(maximize_me: real[n], reals: int) { minimized = 1; maximize minimized; }");
        Assert.Equal("metrics", metric.Name);
        Assert.Equal(new[] { "maximize_me", "reals" }, metric.Parameters.Select(p => p.Name));
        Assert.Equal("minimized", metric.Body[0].Statement!.Name);
    }

    // ---- trivia: whitespace and comments ---------------------------------------------------------------

    [Fact]
    public void Comments_run_to_the_end_of_the_line_anywhere_trivia_is_allowed()
    {
        var metric = ParseMetric("""
            // leading comment; metric X(y: real) { maximize y; }
            metric M( // after a token
                s: real[n] // after a parameter
            ) {
                x[n] = s[n] // inside an expression
                    > 0;    // after a statement
                maximize mean[n](x[n]); // after the goal
            }
            // trailing comment without a newline
            """.TrimEnd('\n'));
        Assert.Equal("M", metric.Name);
        Assert.Equal("(> s[n] 0)", SyntaxPrinter.Print(metric.Body[0].Statement!.Value));
    }

    [Fact]
    public void Whitespace_is_insignificant_between_tokens() =>
        Assert.Equal(Tree("sum[j != i](a[j] >= b[i]) @ tau & !c"), Tree("sum[j!=i](a[j]>=b[i])@tau&!c"));

    [Fact]
    public void Tabs_and_windows_line_endings_are_whitespace() =>
        Assert.Equal("M", ParseMetric("metric\tM(s: real[n])\r\n{\r\n\tmaximize mean[n](s[n]);\r\n}\r\n").Name);

    // ---- files: namespace line, several metrics -------------------------------------------------------

    [Fact]
    public void The_namespace_line_is_a_dotted_name()
    {
        var file = ParseFile("// header\nnamespace MetricLoss.Catalog.V2;\nmetric M(s: real[n]) { maximize mean[n](s[n]); }");
        Assert.Equal("MetricLoss.Catalog.V2", file.Namespace);
        Assert.Equal("2:11", file.NamespaceSpan!.Value.ToString());
    }

    [Fact]
    public void The_namespace_line_names_the_namespace_of_every_metric_else_the_default_namespace_is_used()
    {
        Assert.Equal("A.B", MetricCompiler.Compile("namespace A.B;\nmetric M(s: real[n]) { maximize mean[n](s[n]); }", "Default").Metrics.Single().Namespace);
        Assert.Equal("Default", MetricCompiler.Compile("metric M(s: real[n]) { maximize mean[n](s[n]); }", "Default").Metrics.Single().Namespace);
    }

    [Fact]
    public void A_file_holds_several_metrics_in_order()
    {
        var compilation = MetricCompiler.Compile("""
            namespace Catalog;
            metric First(s: real[n]) { maximize mean[n](s[n]); }
            // between metrics
            metric Second(s: real[n]) { minimize mean[n](s[n]); }
            metric Third(s: real[n]) { maximize sum[n](s[n]); }
            """, null);
        Assert.Empty(compilation.Diagnostics);
        Assert.Equal(new[] { "Catalog.First", "Catalog.Second", "Catalog.Third" }, compilation.Metrics.Select(m => $"{m.Namespace}.{m.Name}"));
    }

    [Fact]
    public void An_empty_file_parses_to_no_metrics()
    {
        Assert.Empty(ParseFile("").Metrics);
        Assert.Empty(ParseFile("namespace A; // nothing yet\n").Metrics);
    }

    // ---- spans ----------------------------------------------------------------------------------------

    [Fact]
    public void Spans_cover_their_tokens_without_trivia()
    {
        const string Text = "metric M(s: real[n]) {\n    maximize  (a + b)  *  c ; // c\n}";
        var goal = ParseMetric(Text).Body.Single().Goal!;
        Assert.Equal("maximize  (a + b)  *  c ;", SpanText(Text, goal.Span));
        var product = Assert.IsType<BinarySyntax>(goal.Value);
        Assert.Equal("(a + b)  *  c", SpanText(Text, product.Span));
        Assert.Equal("(a + b)", SpanText(Text, product.Left.Span));
        Assert.Equal("2:15", product.Span.ToString());
    }

    [Fact]
    public void A_metric_span_runs_from_the_keyword_to_the_closing_brace()
    {
        const string Text = "// c\nmetric M(s: real[n]) { maximize s; } // after";
        var metric = ParseMetric(Text);
        Assert.Equal("metric M(s: real[n]) { maximize s; }", SpanText(Text, metric.Span));
        Assert.Equal("M", SpanText(Text, metric.NameSpan));
    }

    // ---- helpers --------------------------------------------------------------------------------------

    private static MetricFileSyntax ParseFile(string text)
    {
        var result = MetricParser.Parse(text);
        Assert.True(result.Error is null, result.Error?.ToString());
        return result.File!;
    }

    private static string ParseError(string text)
    {
        var result = MetricParser.Parse(text);
        Assert.Null(result.File);
        return result.Error!.ToString();
    }

    private static MetricSyntax ParseMetric(string text) => Assert.Single(ParseFile(text).Metrics);

    /// <summary>The goal of <c>metric M(x: real) { maximize EXPRESSION; }</c> (parsed only, so names need not exist).</summary>
    private static ExpressionSyntax Goal(string expression) =>
        ParseMetric($"metric M(x: real) {{ maximize {expression}; }}").Body.Single().Goal!.Value;

    private static string Tree(string expression) => SyntaxPrinter.Print(Goal(expression));

    private static ParameterSyntax Parameter(string parameter) =>
        ParseMetric($"metric M({parameter}) {{ maximize 1; }}").Parameters.Single();

    private static BoundMetric Bind(string text)
    {
        var compilation = MetricCompiler.Compile(text, "Tests");
        Assert.Empty(compilation.Diagnostics.Select(d => d.ToString()));
        return Assert.Single(compilation.Metrics);
    }

    private static BoundOption BoundOptionOf(string option) =>
        Bind($"metric M(s: real[n], {option}) {{ maximize mean[n](s[n]); }}").Options.Single();

    private static string SpanText(string text, SourceSpan span) => text.Substring(span.Start, span.Length);
}
