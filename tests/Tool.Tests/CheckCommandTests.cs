using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

public sealed class CheckCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_clean_file_prints_nothing_and_exits_0()
    {
        var path = _temp.Write("good.metric", MetricTexts.Good);

        var result = ToolRun.Invoke("check", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void An_error_is_printed_in_the_compiler_format_and_exits_1()
    {
        var path = _temp.Write("bad.metric", MetricTexts.AxisMismatch);

        var result = ToolRun.Invoke("check", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal([$"{path}(2,43): error MTR0105: {MetricTexts.AxisMismatchMessage}"], result.StdoutLines);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void The_path_is_printed_as_given()
    {
        // Editors resolve what the tool prints against their working directory, as they do for dotnet build.
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, _temp.Write("sub/bad.metric", MetricTexts.AxisMismatch));

        var result = ToolRun.Invoke("check", relative);

        Assert.False(Path.IsPathRooted(relative));
        Assert.StartsWith($"{relative}(2,43): error MTR0105: ", result.Stdout);
    }

    [Fact]
    public void A_warning_alone_is_printed_and_exits_0()
    {
        var path = _temp.Write("empty.metric", "// nothing here yet\n");

        var result = ToolRun.Invoke("check", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([$"{path}(1,1): warning MTR0003: no metric is defined here; expected `metric Name(...) {{ ... }}`"], result.StdoutLines);
    }

    [Fact]
    public void Files_form_one_compilation_so_a_metric_defined_in_two_is_reported_in_both()
    {
        var first = _temp.Write("a.metric", MetricTexts.Good);
        var second = _temp.Write("b.metric", MetricTexts.Good);

        var result = ToolRun.Invoke("check", first, second);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, result.StdoutLines.Length);
        Assert.StartsWith($"{first}(3,8): error MTR0204: metric `Tests.Metrics.HitRate` is defined 2 times", result.StdoutLines[0]);
        Assert.StartsWith($"{second}(3,8): error MTR0204: ", result.StdoutLines[1]);
    }

    [Fact]
    public void Errors_of_several_files_come_in_the_order_of_the_files()
    {
        var bad = _temp.Write("z.metric", MetricTexts.AxisMismatch);
        var good = _temp.Write("a.metric", MetricTexts.Good);
        var alsoBad = _temp.Write("m.metric", "metric X(score: real[n], tau: real = 1) {\n    maximize mean[n](lable[n]);\n}\n");

        var result = ToolRun.Invoke("check", bad, good, alsoBad);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(2, result.StdoutLines.Length);
        Assert.StartsWith($"{bad}(2,43): error MTR0105", result.StdoutLines[0]);
        Assert.StartsWith($"{alsoBad}(2,22): error MTR0100: unknown name `lable`", result.StdoutLines[1]);
    }

    [Fact]
    public void The_whole_catalogue_is_clean()
    {
        var catalogue = Directory.GetFiles(Path.Combine(RepositoryRoot.Path, "src", "Runtime", "Catalog"), "*.metric");
        Assert.NotEmpty(catalogue);

        var result = ToolRun.Invoke(["check", .. catalogue]);

        Assert.Equal("", result.Stdout);
        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public void A_missing_file_is_a_usage_error_and_nothing_is_checked()
    {
        var bad = _temp.Write("bad.metric", MetricTexts.AxisMismatch);
        var missing = Path.Combine(_temp.Path, "missing.metric");

        var result = ToolRun.Invoke("check", bad, missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"metricloss: file not found: {missing}\n", result.Stderr);
    }

    [Theory]
    [InlineData("notes.txt", "metricloss: `notes.txt` is not a .metric file\n")]
    [InlineData("--verbose", "metricloss: check: unknown option `--verbose`; its options are --namespace\n")]
    [InlineData("--namespace", "metricloss: check: option `--namespace` needs a value\n")]
    public void Bad_arguments_are_usage_errors(string argument, string message)
    {
        var result = ToolRun.Invoke("check", argument);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, result.Stderr);
    }

    [Fact]
    public void No_file_is_a_usage_error()
    {
        var result = ToolRun.Invoke("check");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("metricloss: check: expected one or more .metric files\n", result.Stderr);
    }
}
