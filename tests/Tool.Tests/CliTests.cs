using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

public sealed class CliTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public void Help_goes_to_stdout_and_exits_0(string flag)
    {
        var result = ToolRun.Invoke(flag);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("metricloss: check, show, explain and evaluate MetricLoss metric definitions.\n", result.Stdout);
        foreach (var usage in new[] { "metricloss check ", "metricloss show ", "metricloss eval ", "--namespace NS", "Exit codes: 0 success, 1 diagnostics with errors, 2 usage" })
        {
            Assert.Contains(usage, result.Stdout);
        }
    }

    [Fact]
    public void Version_is_the_assembly_version()
    {
        var result = ToolRun.Invoke("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(typeof(Cli).Assembly.GetName().Version + "\n", result.Stdout);
        Assert.Equal("0.1.0.0\n", result.Stdout);
    }

    [Fact]
    public void No_arguments_print_the_help_to_stderr_and_exit_2()
    {
        var result = ToolRun.Invoke();

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.StartsWith("metricloss: check, show, explain and evaluate", result.Stderr);
    }

    [Fact]
    public void An_unknown_command_is_a_usage_error()
    {
        var result = ToolRun.Invoke("lint", "a.metric");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("metricloss: unknown command `lint`; expected check, show, eval, explain, --help or --version\n", result.Stderr);
    }
}
