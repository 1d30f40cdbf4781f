using System.Diagnostics;
using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

/// <summary>The built tool as a shell runs it: its own deps file and runtime config, real stdout, stderr and exit code.</summary>
public sealed class ProcessTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_built_tool_checks_and_evaluates_from_the_command_line()
    {
        var bad = _temp.Write("bad.metric", MetricTexts.AxisMismatch);
        var good = _temp.Write("good.metric", MetricTexts.Good);
        var csv = _temp.Write("p.csv", "score,label\n0.5,1\n-1,0\n2,0\n-0.2,1\n");

        var check = Run("check", good, bad);
        Assert.Equal(1, check.ExitCode);
        Assert.Equal($"{bad}(2,43): error MTR0105: {MetricTexts.AxisMismatchMessage}\n", check.Stdout);

        // F1 with tp = 1, fp = 1, fn = 1 (threshold 0): 2 / 4.
        var eval = Run("eval", "F1", csv);
        Assert.Equal(0, eval.ExitCode);
        Assert.Equal("0.5\n", eval.Stdout);

        var missing = Run("eval", "F1", Path.Combine(_temp.Path, "none.csv"));
        Assert.Equal(2, missing.ExitCode);
        Assert.StartsWith("metricloss: eval F1: file not found: ", missing.Stderr);
    }

    private static ToolResult Run(params string[] args)
    {
        // The tool's own output folder (same configuration as this test build), not this project's copy of its dll.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var tool = Path.Combine(RepositoryRoot.Path, "src", "Tool", "bin", configuration, "net10.0", "MetricLoss.Tool.dll");
        Assert.True(File.Exists(tool), $"the tool is not built at {tool}");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(tool);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the tool did not exit within 2 minutes");
        return new ToolResult(process.ExitCode, stdout.ReplaceLineEndings("\n"), stderr.Result.ReplaceLineEndings("\n"));
    }
}
