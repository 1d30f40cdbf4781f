namespace MetricLoss.Tool.Tests.Infrastructure;

/// <summary>What one in-process run of the tool printed and returned.</summary>
internal sealed record ToolResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout's lines, without the trailing empty one.</summary>
    public string[] StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Calls the tool's entry point as the shell would, with stdout and stderr captured.</summary>
internal static class ToolRun
{
    public static ToolResult Invoke(params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var exitCode = Cli.Run(args, stdout, stderr);
        return new ToolResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
