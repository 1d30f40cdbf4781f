using MetricLoss.Package.Tests.Infrastructure;

namespace MetricLoss.Package.Tests;

/// <summary>The metricloss tool package installs with `dotnet tool install` and runs from where it was installed.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class ToolInstallTests(PackageFeed feed)
{
    [Fact]
    public void The_installed_tool_checks_files_and_evaluates_a_catalogue_metric()
    {
        var tools = feed.NewFolder("tools");
        var install = feed.DotNet(feed.Root, "tool", "install", "MetricLoss.Tool", "--version", feed.Version,
            "--tool-path", tools, "--add-source", feed.Feed);
        Assert.True(install.ExitCode == 0, install.ToString());
        var metricloss = Path.Combine(tools, OperatingSystem.IsWindows() ? "metricloss.exe" : "metricloss");

        var work = feed.NewFolder("tool-work");
        File.WriteAllText(Path.Combine(work, "Bad.metric"), "metric Bad(score: real[n], label: bool[n], tau: real = 1) {\n    maximize mean[n]((score[n] > 0) & lable[n]);\n}\n");
        File.WriteAllText(Path.Combine(work, "predictions.csv"), "score,label\n2,1\n-1,0\n0.5,0\n-0.3,1\n1.2,1\n");

        var check = DotNet.RunProgram(metricloss, work, feed.Packages, "check", "Bad.metric");
        Assert.True(check.ExitCode == 1, check.ToString());
        Assert.Contains("Bad.metric(2,39): error MTR0100: unknown name `lable`", check.Output);

        var eval = DotNet.RunProgram(metricloss, work, feed.Packages, "eval", "F1", "predictions.csv");
        Assert.True(eval.ExitCode == 0, eval.ToString());
        Assert.Equal(2.0 / 3, double.Parse(eval.Output.Trim(), System.Globalization.CultureInfo.InvariantCulture), 12);
    }
}
