using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

public sealed class ShowCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void One_metric_is_exactly_the_reviewed_generator_output()
    {
        // The normative F1 as Generator.Tests snapshots it (its reviewed .verified.cs, linked into this output).
        var normative = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "normative.metric"));
        var start = normative.IndexOf("metric F1(", StringComparison.Ordinal);
        var end = normative.IndexOf("\n}", start, StringComparison.Ordinal) + 2;
        var path = _temp.Write("f1.metric", "namespace MetricLoss.Catalog;\n\n" + normative[start..end] + "\n");
        var snapshot = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "snapshots", "F1.g.verified.cs"));

        var result = ToolRun.Invoke("show", path);

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(snapshot.ReplaceLineEndings("\n"), result.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Several_metrics_are_each_the_generator_output_under_a_header()
    {
        var path = _temp.Write("two.metric", MetricTexts.TwoMetrics);
        var expected = GeneratorOutput.Sources(path, MetricTexts.TwoMetrics, "My.Space");

        var result = ToolRun.Invoke("show", "--namespace", "My.Space", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["My.Space.Hits.g.cs", "My.Space.Misses.g.cs"], expected.Keys.Order(StringComparer.Ordinal));
        var shown = $"// ==== My.Space.Hits.g.cs ====\n{expected["My.Space.Hits.g.cs"]}\n// ==== My.Space.Misses.g.cs ====\n{expected["My.Space.Misses.g.cs"]}";
        Assert.Equal(shown, result.Stdout);
    }

    [Fact]
    public void A_metric_name_selects_its_file_alone()
    {
        var path = _temp.Write("two.metric", MetricTexts.TwoMetrics);
        var expected = GeneratorOutput.Sources(path, MetricTexts.TwoMetrics, "Metrics");

        var result = ToolRun.Invoke("show", path, "Misses");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected["Metrics.Misses.g.cs"], result.Stdout);
    }

    [Fact]
    public void The_default_namespace_is_Metrics()
    {
        var path = _temp.Write("two.metric", MetricTexts.TwoMetrics);

        var result = ToolRun.Invoke("show", path, "Hits");

        Assert.Contains("\nnamespace Metrics\n", result.Stdout);
    }

    [Fact]
    public void An_unknown_metric_name_lists_those_of_the_file()
    {
        var path = _temp.Write("two.metric", MetricTexts.TwoMetrics);

        var result = ToolRun.Invoke("show", path, "Hit");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"metricloss: show: `{path}` has no metric `Hit`; it defines `Hits`, `Misses`\n", result.Stderr);
    }

    [Fact]
    public void A_file_with_errors_prints_its_diagnostics_to_stderr_and_exits_1()
    {
        var path = _temp.Write("bad.metric", MetricTexts.AxisMismatch);

        var result = ToolRun.Invoke("show", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"{path}(2,43): error MTR0105: {MetricTexts.AxisMismatchMessage}\n", result.Stderr);
    }

    [Fact]
    public void Warnings_go_to_stderr_and_the_code_is_still_shown()
    {
        // MTR0119: no `real` input, so no gradient; the metric is still generated.
        const string text = "metric Rate(label: bool[n]) { maximize mean[n](label[n]); }\n";
        var path = _temp.Write("rate.metric", text);

        var result = ToolRun.Invoke("show", path);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith($"{path}(1,8): warning MTR0119: ", result.Stderr);
        Assert.Equal(GeneratorOutput.Sources(path, text, "Metrics")["Metrics.Rate.g.cs"], result.Stdout);
    }

    [Theory]
    [InlineData(new string[0], "metricloss: show: expected a .metric file and optionally a metric name\n")]
    [InlineData(new[] { "a.metric", "A", "B" }, "metricloss: show: expected a .metric file and optionally a metric name\n")]
    [InlineData(new[] { "missing.metric" }, "metricloss: file not found: missing.metric\n")]
    public void Bad_arguments_are_usage_errors(string[] args, string message)
    {
        var result = ToolRun.Invoke(["show", .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Stderr);
    }
}
