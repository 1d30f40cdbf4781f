using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Diagnostics reach the build with the right id, message and position: inside the .metric file, or
/// inside the [Metric] attribute's string literal (mapped back through indentation and escapes).
/// </summary>
public class GeneratorDiagnosticsTests
{
    [Fact]
    public void Error_in_a_metric_file_points_into_that_file()
    {
        const string text = "namespace A;\n\nmetric M(score: real[n], label: bool[n], tau: real = 1) {\n    tp = sum[n](score[n] > 0 & lable[n]);\n    maximize tp;\n}\n";
        var run = GeneratorHarness.Run(text, "Metrics/M.metric");
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MTR0100", diagnostic.Id);
        Assert.Equal("unknown name `lable`; expected an input, option or statement defined above (did you mean `label`?)", diagnostic.GetMessage());
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("Metrics/M.metric", span.Path);
        Assert.Equal((3, 31), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Equal((3, 36), (span.EndLinePosition.Line, span.EndLinePosition.Character));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Error_in_a_raw_string_attribute_points_into_the_literal()
    {
        const string source = """"
            using MetricLoss;
            namespace N;

            [Metric("""
                metric Bad(score: real[n], label: bool[n]) {
                    pred[n] = score[n] > 0;
                    maximize mean[n](pred[n] & label[n]);
                }
                """)]
            public static partial class Bad;
            """";
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), source);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MTR0107", diagnostic.Id);
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal("Source0.cs", span.Path);
        // Line 6 (0-based 5), at `score[n] > 0` after 8 spaces of source indentation and `pred[n] = `.
        Assert.Equal((5, 18), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Equal("score[n] > 0", source.Split('\n')[5].Substring(18, "score[n] > 0".Length));
    }

    [Fact]
    public void A_cut_off_out_of_range_points_at_the_cut_off_in_the_literal()
    {
        const string source = """"
            using MetricLoss;
            namespace N;

            [Metric("""
                metric TopK(logit: real[n, c], target: index<c>[n], k: int = 0, tau: real = 1) {
                    higher[n] = sum[c != target[n]](logit[n, c] > logit[n, target[n]]);
                    maximize mean[n](higher[n] < k);
                }
                """)]
            public static partial class TopK;
            """";
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), source);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MTR0121", diagnostic.Id);
        Assert.Equal("`higher[n] < k` would always be false: `higher[n]` is never below 0, so `k` must be at least 1; it is 0 with the default k = 0", diagnostic.GetMessage());
        var span = diagnostic.Location.GetLineSpan();
        // Line 7 (0-based 6): the `k` after `higher[n] < `.
        Assert.Equal((6, 37), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Equal("k", source.Split('\n')[6].Substring(37, 1));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void Error_in_a_regular_string_attribute_points_into_the_literal()
    {
        const string source = "using MetricLoss;\nnamespace N;\n[Metric(\"metric Q(score: real[n], label: bool[n], tau: real = 1) {\\n  maximize mean[n](score[n] & label[n]);\\n}\")]\npublic static partial class Q;\n";
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), source);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MTR0108", diagnostic.Id);
        var span = diagnostic.Location.GetLineSpan();
        var line = source.Split('\n')[2];
        Assert.Equal(2, span.StartLinePosition.Line);
        Assert.Equal("score[n]", line.Substring(span.StartLinePosition.Character, "score[n]".Length));
    }

    [Fact]
    public void Attribute_class_must_be_static_partial()
    {
        const string source = """"
            using MetricLoss;
            [Metric("""metric C(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); }""")]
            public partial class C { }
            """";
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), source);
        Assert.Equal(new[] { "MTR0200 (3,22): [Metric] class `C` must be declared `static partial`; found `public partial`" }, run.DiagnosticLines);
    }

    [Fact]
    public void Attribute_metric_name_must_equal_the_class_name()
    {
        const string source = """"
            using MetricLoss;
            [Metric("""metric Other(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); }""")]
            public static partial class C;
            """";
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), source);
        Assert.Equal(new[] { "MTR0201 (2,19): the metric is named `Other` but its class is `C`; the names must be equal" }, run.DiagnosticLines);
    }

    [Fact]
    public void Attribute_holds_exactly_one_metric()
    {
        const string source = """"
            using MetricLoss;
            [Metric("""metric C(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); } metric D(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); }""")]
            public static partial class C;
            """";
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), source);
        Assert.Equal(new[] { "MTR0203 (3,29): [Metric] on `C` must hold exactly one metric definition, found 2" }, run.DiagnosticLines);
    }

    [Fact]
    public void Attribute_argument_must_be_a_constant_string()
    {
        const string source = """
            using MetricLoss;
            [Metric(null!)]
            public static partial class C;
            """;
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), source);
        Assert.Equal(new[] { "MTR0202 (2,9): [Metric] on `C` needs the metric definition as a constant string" }, run.DiagnosticLines);
    }

    [Fact]
    public void A_metric_defined_in_two_files_is_reported_in_both_and_emitted_in_neither()
    {
        const string text = "namespace A;\nmetric M(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); }\n";
        var run = GeneratorHarness.Run(new[] { ("one.metric", text), ("two.metric", text) });
        Assert.Equal(new[]
        {
            "MTR0204 (2,8): metric `A.M` is defined 2 times; each metric needs a unique name in its namespace",
            "MTR0204 (2,8): metric `A.M` is defined 2 times; each metric needs a unique name in its namespace",
        }, run.DiagnosticLines);
        Assert.Empty(run.Sources);
        Assert.Null(run.Exception);
    }

    [Fact]
    public void Pairwise_reductions_are_chunked_within_the_pairwise_budget()
    {
        var run = GeneratorHarness.Run(TestFiles.NormativeMetric("RocAuc"), "auc.metric");
        Assert.Empty(run.DiagnosticLines);
        var source = Assert.Single(run.Sources).Value;
        Assert.Contains("global::MetricLoss.Runtime.ChunkedReduction.Reduce(", source);
        Assert.Contains("ChunkLength(__options.MaxPairwiseElements, new long[] { size__n }), __options.MaxPairwiseElements,", source);
    }

    [Fact]
    public void A_metric_file_without_namespace_uses_the_root_namespace()
    {
        var run = GeneratorHarness.Run("metric M(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); }");
        Assert.Equal(new[] { "Tests.Root.M.g.cs" }, run.Sources.Keys);
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
    }

    [Fact]
    public void Every_diagnostic_id_is_documented()
    {
        var docs = File.ReadAllText(Path.Combine(TestFiles.RepositoryRoot, "docs", "diagnostics.md"));
        foreach (var kind in MetricLoss.Dsl.Diagnostics.DiagnosticCatalog.All)
        {
            Assert.Contains("## " + kind.Id, docs);
        }
    }
}
