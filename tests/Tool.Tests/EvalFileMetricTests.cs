using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

public sealed class EvalFileMetricTests : IDisposable
{
    // score 0.5, -1, 2, -0.2, 0.3 with labels 1, 0, 0, 1, 1.
    private const string Predictions = "score,label\n0.5,1\n-1,0\n2,0\n-0.2,1\n0.3,1\n";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData(new string[0], 2.0 / 3)]                              // predicted 0.5, 2, 0.3: two of the three positives
    [InlineData(new[] { "--option", "threshold=-0.5" }, 1.0)]         // -0.2 joins them
    [InlineData(new[] { "--option", "threshold=1" }, 0.0)]            // only 2, a negative
    public void A_file_with_one_metric_is_evaluated_with_its_options(string[] options, double expected)
    {
        var metric = _temp.Write("hit-rate.metric", MetricTexts.Good);
        var csv = _temp.Write("p.csv", Predictions);

        var result = ToolRun.Invoke(["eval", metric, csv, .. options]);

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, Csv.Parse(result.Stdout), 1e-15);
    }

    [Theory]
    [InlineData("Hits", 2.0)]    // positives scored > 0: 0.5 and 0.3
    [InlineData("Misses", 1.0)]  // positives scored <= 0: -0.2
    public void One_metric_of_a_file_is_named_after_a_colon(string name, double expected)
    {
        var metric = _temp.Write("two.metric", MetricTexts.TwoMetrics);
        var csv = _temp.Write("p.csv", Predictions);

        var result = ToolRun.Invoke("eval", $"{metric}:{name}", csv);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(expected, Csv.Parse(result.Stdout));
    }

    [Fact]
    public void A_file_with_several_metrics_needs_a_name()
    {
        var metric = _temp.Write("two.metric", MetricTexts.TwoMetrics);
        var csv = _temp.Write("p.csv", Predictions);

        var result = ToolRun.Invoke("eval", metric, csv);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"metricloss: eval: `{metric}` defines 2 metrics (`Hits`, `Misses`); name one as {metric}:Hits\n", result.Stderr);
    }

    [Fact]
    public void An_unknown_name_in_a_file_lists_its_metrics()
    {
        var metric = _temp.Write("two.metric", MetricTexts.TwoMetrics);
        var csv = _temp.Write("p.csv", Predictions);

        var result = ToolRun.Invoke("eval", metric + ":Hit", csv);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"metricloss: eval: `{metric}` has no metric `Hit`; it defines `Hits`, `Misses`\n", result.Stderr);
    }

    [Fact]
    public void A_file_with_errors_prints_its_diagnostics_and_exits_1()
    {
        var metric = _temp.Write("bad.metric", MetricTexts.AxisMismatch);
        var csv = _temp.Write("p.csv", Predictions);

        var result = ToolRun.Invoke("eval", metric, csv);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"{metric}(2,43): error MTR0105: {MetricTexts.AxisMismatchMessage}\n", result.Stderr);
    }

    [Fact]
    public void Warnings_of_the_file_go_to_stderr_and_the_value_to_stdout()
    {
        // MTR0119 (no `real` input) is a warning: the metric still builds, and has an exact value.
        var metric = _temp.Write("rate.metric", "metric Rate(label: bool[n]) { maximize mean[n](label[n]); }\n");
        var csv = _temp.Write("p.csv", Predictions);

        var result = ToolRun.Invoke("eval", metric, csv);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("0.6\n", result.Stdout);
        Assert.StartsWith($"{metric}(1,8): warning MTR0119: metric `Rate` has no `real` input", result.Stderr);
    }

    [Fact]
    public void A_missing_metric_file_is_a_usage_error()
    {
        var csv = _temp.Write("p.csv", Predictions);
        var missing = Path.Combine(_temp.Path, "none.metric");

        var result = ToolRun.Invoke("eval", missing + ":X", csv);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"metricloss: file not found: {missing}\n", result.Stderr);
    }
}
