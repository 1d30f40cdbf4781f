using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Every definition the binder accepts compiles, whatever its names (docs/language.md, "Names"): C# keywords, the
/// names of the generated members and of the locals the emitter writes (and wrote: x_score, s_tp, size_n). Accepted
/// definitions are compiled with documentation diagnostics on and then run, Exact and Loss against the reference
/// interpreter; what C# cannot express is refused with a located MTR error instead of C# errors inside obj/.
/// </summary>
public class GeneratedNameTests
{
    // ---- accepted: escaped or renamed in the generated code --------------------------------------------

    [Fact]
    public void Keyword_namespace_parts_are_escaped()
    {
        var text = "namespace my.class.event;\n" + Scores("M");
        AssertDocumentedCompiles(text);
        var metric = AssertRunsLikeTheInterpreter(text, "M", Vector);
        Assert.Equal("my.class.event", Info(metric).Namespace);
        Assert.Equal("my.class.event.M", metric.Type.FullName);
    }

    [Theory]
    [InlineData("event")]
    [InlineData("class")]
    [InlineData("string")]
    [InlineData("object")]
    [InlineData("file")]
    [InlineData("record")]
    [InlineData("required")]
    [InlineData("scoped")]
    [InlineData("nameof")]
    [InlineData("dynamic")]
    [InlineData("global")]
    [InlineData("MetricName")]
    [InlineData("Settings")]
    [InlineData("forward")]
    [InlineData("train")]
    public void A_metric_named_like_a_keyword_or_a_member_elsewhere_compiles_and_runs(string name)
    {
        // A second metric in the namespace: a class named like a contextual keyword must not change what the
        // keyword means in the other metric's code (as a class `var` would, which is refused).
        var text = Scores(name) + Scores("Other");
        AssertDocumentedCompiles(text);
        var metric = AssertRunsLikeTheInterpreter(text, name, Vector);
        Assert.Equal(name, Info(metric).Name);
        // forward, train...: the inherited members of Criterion's TorchSharp base classes.
        var criterion = (TorchSharp.torch.nn.Module<Tensor, Tensor, Tensor>)Activator.CreateInstance(metric.Type.GetNestedType("Criterion")!, new object?[] { null })!;
        var (tensors, _) = metric.RandomInputs(new Random(5), Vector, float64);
        using var viaModule = criterion.forward(tensors[0], tensors[1]);
        using var viaLoss = metric.Loss(tensors);
        Assert.Equal(viaLoss.item<double>(), viaModule.item<double>());
    }

    [Fact]
    public void A_metric_class_with_keyword_names_in_a_keyword_namespace_compiles_and_runs()
    {
        const string definition = "metric event(score: real[n], label: bool[n], tau: real = 1) { maximize mean[n](label[n] & (score[n] > 0)); }";
        var csharp = $$""""
            namespace my.@class
            {
                [global::MetricLoss.Metric("""{{definition}}""")]
                public static partial class @event;
            }
            """";
        var documented = GeneratorHarness.RunDocumented(Array.Empty<(string, string)>(), csharp);
        AssertClean(documented);
        var metric = CompiledMetric.CompileAttribute(csharp, definition, "my.class", "event");
        Assert.Equal("my.class", Info(metric).Namespace);
        AssertLikeTheInterpreter(metric, Vector);
    }

    /// <summary>Inputs named like the locals an entry point declares, the class's members and the metric itself.</summary>
    [Theory]
    [InlineData("options", "scope", "dtype", "device")]
    [InlineData("eps", "relaxation", "shapes", "goal")]
    [InlineData("noGrad", "outputType", "smooth", "M")]
    [InlineData("Options", "Exact", "Smooth", "Loss")]
    [InlineData("Criterion", "Info", "Settings", "MetricName")]
    [InlineData("L", "start", "length", "anchors")]
    [InlineData("delta", "valid", "generator", "interpolated")]
    [InlineData("in", "var", "value", "global")]
    public void Inputs_named_like_generated_locals_and_members_compile_and_run(string score, string label, string weight, string gain)
    {
        // A pairwise sum under a constant mask: the support rewrite and the chunk lambda, with their own locals.
        var text = $$"""
            metric M({{score}}: real[q, i], {{label}}: bool[q, i], {{weight}}: const real[q, i], {{gain}}: real[q, i], tau: real = 0.5) {
                above[q, i] = 1 + sum[j != i]({{score}}[q, j] >= {{score}}[q, i]);
                hits[q, i] = 1 + sum[j != i]({{label}}[q, j] & ({{score}}[q, j] >= {{score}}[q, i]));
                maximize mean[q](sum[i]({{label}}[q, i] * {{weight}}[q, i] * hits[q, i] / above[q, i])) + mean[q, i]({{gain}}[q, i] > 0);
            }
            """;
        AssertDocumentedCompiles(text);
        var metric = AssertRunsLikeTheInterpreter(text, "M", Matrix);
        // Chunked (a small budget) and whole, the same values.
        var (tensors, arrays) = metric.RandomInputs(new Random(11), Matrix, float64);
        using var chunked = metric.Loss(tensors, metric.Options(maxPairwiseElements: 8));
        Assert.Equal(ReferenceInterpreter.Loss(metric.Bound, arrays), chunked.item<double>(), 10);
    }

    [Fact]
    public void The_options_parameter_steps_aside_for_inputs_named_options()
    {
        // Vector inputs: the span overloads and the criterion take the inputs by name too.
        var text = "metric M(options: real[n], options_: bool[n], tau: real = 1) { maximize mean[n](options_[n] & (options[n] > 0)); }";
        AssertDocumentedCompiles(text);
        var metric = AssertRunsLikeTheInterpreter(text, "M", Vector);
        foreach (var entry in metric.Type.GetMethods().Where(m => m.Name is "Exact" or "Smooth" or "Loss"))
        {
            Assert.Equal(new[] { "options", "options_", "options__" }, entry.GetParameters().Select(p => p.Name));
        }
    }

    [Fact]
    public void A_root_namespace_with_keywords_is_escaped()
    {
        var run = GeneratorHarness.Run(
            GeneratorHarness.CreateDriver(new[] { ("m.metric", Scores("M")) }, rootNamespace: "Root.class.var", parseOptions: GeneratorHarness.Documented),
            GeneratorHarness.CreateCompilation(GeneratorHarness.Documented));
        AssertClean(run);
        Assert.Contains("namespace Root.@class.@var", Assert.Single(run.Sources).Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_that_the_emitter_derived_before_are_plain_names_again()
    {
        // The locals of an input, a statement, an option and an axis were x_score, s_tp, o_tau and size_n, and
        // shared values t_0: a definition could name them and capture them.
        var text = """
            metric M(score: real[n, size_n], x_score: real[n, size_n], tau: real = 1, o_tau: real = 2) {
                pred[n, size_n] = (score[n, size_n] > 0) @ o_tau;
                s_pred[n, size_n] = x_score[n, size_n] > 0;
                t_0[n] = sum[size_n](pred[n, size_n] & s_pred[n, size_n]);
                c_0 = sum[n, size_n](pred[n, size_n]) + sum[n, size_n](s_pred[n, size_n]);
                maximize 2 * sum[n](t_0[n]) / c_0;
            }
            """;
        AssertDocumentedCompiles(text);
        AssertRunsLikeTheInterpreter(text, "M", new Dictionary<string, int> { ["n"] = 4, ["size_n"] = 3 });
    }

    [Fact]
    public void An_interpolated_metric_with_names_of_its_locals_compiles_and_runs()
    {
        var text = """
            metric M(delta: real[n, c], valid: index<c>[n], anchors: bool[n], a_0: real = 1) interpolate(good: 2, nearby: 2, random: 2) {
                d_0[n] = all[w_0 != valid[n]]((delta[n, valid[n]] > delta[n, w_0]) @ a_0);
                maximize mean[n](anchors[n] * d_0[n]);
            }
            """;
        AssertDocumentedCompiles(text);
        var metric = CompiledMetric.Compile(text, "M");
        var sizes = new Dictionary<string, int> { ["n"] = 5, ["c"] = 3 };
        var (tensors, arrays) = metric.RandomInputs(new Random(3), sizes, float64);
        Assert.Equal(ReferenceInterpreter.Exact(metric.Bound, arrays), metric.Exact(tensors), 12);
        using var loss = metric.Loss(tensors, metric.Options(("Seed", (long?)7)));
        Assert.True(double.IsFinite(loss.item<double>()));
    }

    [Fact]
    public void Options_whose_pascal_case_would_be_no_identifier_keep_an_underscore()
    {
        var text = """
            metric M(score: real[n], _1: real = 0.25, _: real = 2, in: int = 1) {
                maximize mean[n]((score[n] > _1) @ _) * in;
            }
            """;
        AssertDocumentedCompiles(text);
        var metric = AssertRunsLikeTheInterpreter(text, "M", Vector);
        Assert.Equal(new[] { "_1", "_", "In" }, Info(metric).Options.Select(o => o.Property));
        var (tensors, arrays) = metric.RandomInputs(new Random(2), Vector, float64);
        var options = new Dictionary<string, double[]> { ["_1"] = new[] { -0.5 }, ["_"] = new[] { 1.0 }, ["in"] = new[] { 3.0 } };
        Assert.Equal(ReferenceInterpreter.Exact(metric.Bound, arrays, options), metric.Exact(tensors, metric.Options(("_1", -0.5), ("_", 1.0), ("In", 3))), 12);
    }

    [Fact]
    public void A_metric_with_options_and_no_input_compiles_and_runs()
    {
        var text = "metric Constant(k: int = 3, half: real = 0.5) { maximize k * half; }";
        var run = GeneratorHarness.RunDocumented(new[] { ("constant.metric", text) });
        Assert.Equal(new[] { "MTR0119" }, run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
        var metric = CompiledMetric.Compile(text, "Constant");
        Assert.Equal(1.5, metric.Exact(Array.Empty<Tensor>()));
        using var loss = metric.Loss(Array.Empty<Tensor>(), metric.Options(("K", 4)));
        Assert.Equal(1 - 2.0, loss.item<float>());
    }

    // ---- refused: a located MTR error, no C# --------------------------------------------------------

    [Theory]
    [InlineData("Options")]
    [InlineData("Info")]
    [InlineData("Exact")]
    [InlineData("Smooth")]
    [InlineData("Loss")]
    [InlineData("Criterion")]
    public void A_metric_named_like_a_member_of_its_class_is_refused(string name) => AssertRefused(
        Scores(name),
        $"MTR0116 (1,8): `{name}` cannot name a metric: the generated class of a metric has a member `{name}`; choose another name");

    [Fact]
    public void A_metric_named_var_is_refused() => AssertRefused(
        Scores("var"),
        "MTR0116 (1,8): `var` cannot name a metric: a class named `var` would stand for C#'s `var` in the generated code; choose another name");

    [Fact]
    public void Names_with_a_double_underscore_are_refused_where_they_are_declared() => AssertRefused(
        "metric M__(x__s: real[n__], tau: real = 1) {\n    s__t[k] = x__s[k];\n    maximize mean[j__](s__t[j__] > 0);\n}\n",
        "MTR0116 (1,8): `M__` cannot name a metric: names containing `__` are reserved for the generated code",
        "MTR0116 (1,12): `x__s` cannot name a parameter: names containing `__` are reserved for the generated code",
        "MTR0116 (1,23): `n__` cannot name an axis: names containing `__` are reserved for the generated code",
        "MTR0116 (2,5): `s__t` cannot name a statement: names containing `__` are reserved for the generated code",
        "MTR0116 (3,19): `j__` cannot name an axis: names containing `__` are reserved for the generated code");

    [Fact]
    public void Two_options_with_one_property_are_refused_at_the_second() => AssertRefused(
        "metric M(score: real[n], tau_k: real = 1, tauK: real = 2, tau__k: real = 3) { maximize mean[n](score[n] > 0 @ tau_k); }",
        "MTR0101 (1,43): option `tauK` would become the property `TauK`, as option `tau_k` does; rename one of them",
        "MTR0116 (1,59): `tau__k` cannot name a parameter: names containing `__` are reserved for the generated code",
        "MTR0101 (1,59): option `tau__k` would become the property `TauK`, as option `tau_k` does; rename one of them");

    [Theory]
    [InlineData("to_string", "ToString")]
    [InlineData("equals", "Equals")]
    [InlineData("get_hash_code", "GetHashCode")]
    [InlineData("validate_own", "ValidateOwn")]
    [InlineData("options", "Options")]
    [InlineData("print_members", "PrintMembers")]
    public void An_option_named_like_a_member_of_every_options_record_is_refused(string option, string property) => AssertRefused(
        $"metric M(score: real[n], {option}: real = 1, tau: real = 1) {{ maximize mean[n](score[n] > {option}); }}",
        $"MTR0116 (1,26): option `{option}` would become the property `{property}`, which every Options record already has; choose another name");

    [Fact]
    public void A_bool_temperature_is_refused() => AssertRefused(
        "metric M(score: real[n], t: bool = 1) { maximize mean[n](score[n] > 0 @ t); }\n"
        + "metric N(score: real[n], tau: bool = 1) { maximize mean[n](score[n] > 0); }",
        "MTR0112 (1,73): a temperature is a positive number, but `t` is a bool option; declare it `real`",
        "MTR0112 (2,60): `score[n] > 0` is relaxed with the option `tau`, which is a bool; a temperature is a positive number: declare `tau: real = ...`");

    // ---- the lists the rules hold, against what the emitter and the runtime actually have --------------

    [Fact]
    public void Every_member_of_the_generated_class_is_a_reserved_metric_name()
    {
        // From the generated code: if the emitter gains a member, a metric of that name must be refused too.
        foreach (var member in EmittedCode.ClassMembers)
        {
            Assert.Contains(member, MetricLoss.Dsl.Binding.Names.GeneratedMembers);
        }
        Assert.Equal(MetricLoss.Dsl.Binding.Names.GeneratedMembers.OrderBy(n => n, StringComparer.Ordinal), EmittedCode.ClassMembers.OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void Every_member_an_options_record_has_is_a_reserved_option_property()
    {
        var members = typeof(MetricOptions).GetMembers(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic
                | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.FlattenHierarchy)
            .Where(m => m is not System.Reflection.ConstructorInfo && !m.Name.Contains('<') && !m.Name.StartsWith("get_", StringComparison.Ordinal)
                && !m.Name.StartsWith("set_", StringComparison.Ordinal) && !m.Name.StartsWith("op_", StringComparison.Ordinal)
                && (m is not System.Reflection.MethodBase method || method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly))
            .Select(m => m.Name)
            .Concat(EmittedCode.OptionsMembers)
            .Append("Options")
            .Distinct();
        foreach (var member in members) Assert.Contains(member, MetricLoss.Dsl.Binding.Names.ReservedOptionProperties);
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static readonly Dictionary<string, int> Vector = new() { ["n"] = 7 };
    private static readonly Dictionary<string, int> Matrix = new() { ["q"] = 3, ["i"] = 5 };

    private static string Scores(string name) =>
        $"metric {name}(score: real[n], label: bool[n], tau: real = 1) {{ maximize mean[n](label[n] & (score[n] > 0)); }}\n";

    private static MetricInfo Info(CompiledMetric metric) =>
        (MetricInfo)metric.Type.GetProperty("Info")!.GetValue(null)!;

    private static void AssertClean(GeneratorRun run)
    {
        Assert.Null(run.Exception);
        Assert.Empty(run.DiagnosticLines);
        Assert.NotEmpty(run.Sources);
        // CS8981 (a type name in lower-case ASCII) is the warning C# gives for a class the user names so, anywhere.
        Assert.Empty(run.Output.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && d.Id != "CS8981" && d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true)
            .Select(GeneratorRun.Format));
    }

    /// <summary>No MTR diagnostic, and neither an error nor a warning (documentation ones included) in the output.</summary>
    private static void AssertDocumentedCompiles(string text) =>
        AssertClean(GeneratorHarness.RunDocumented(new[] { ("names.metric", text) }));

    private static CompiledMetric AssertRunsLikeTheInterpreter(string text, string name, IReadOnlyDictionary<string, int> sizes)
    {
        var metric = CompiledMetric.Compile(text, name);
        AssertLikeTheInterpreter(metric, sizes);
        return metric;
    }

    private static void AssertLikeTheInterpreter(CompiledMetric metric, IReadOnlyDictionary<string, int> sizes)
    {
        var random = new Random(metric.Bound.Name.Length);
        for (var trial = 0; trial < 3; trial++)
        {
            var (tensors, arrays) = metric.RandomInputs(random, sizes, float64);
            Assert.Equal(ReferenceInterpreter.Exact(metric.Bound, arrays), metric.Exact(tensors), 12);
            using var loss = metric.Loss(tensors);
            Assert.Equal(ReferenceInterpreter.Loss(metric.Bound, arrays), loss.item<double>(), 10);
        }
    }

    private static void AssertRefused(string text, params string[] expected)
    {
        var run = GeneratorHarness.Run(text, "names.metric");
        Assert.Null(run.Exception);
        Assert.Equal(expected, run.DiagnosticLines);
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
    }
}
