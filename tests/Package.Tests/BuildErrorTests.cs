using MetricLoss.Package.Tests.Infrastructure;

namespace MetricLoss.Package.Tests;

/// <summary>A wrong .metric file fails the consumer's build with the MTR error at its file, line and column.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class BuildErrorTests(PackageFeed feed)
{
    [Fact]
    public void A_wrong_metric_file_fails_the_build_with_the_located_error()
    {
        var folder = feed.NewFolder("BadApp");
        feed.WithCpuBackend(feed.NewProject("BadApp", executable: true))
            .File("Metrics/Bad.metric", "metric Bad(score: real[n], label: bool[n], tau: real = 1) {\n    tp = sum[n](score[n] > 0 & lable[n]);\n    maximize tp;\n}\n")
            .File("Program.cs", "System.Console.WriteLine(1);\n")
            .WriteTo(folder);

        var build = feed.DotNet(folder, "build", "--disable-build-servers");

        Assert.NotEqual(0, build.ExitCode);
        var expected = $"{Path.Combine(folder, "Metrics", "Bad.metric")}(2,32): error MTR0100: unknown name `lable`";
        Assert.True(build.Output.Contains(expected, StringComparison.Ordinal), $"expected `{expected}` in {build}");
        // The one error of the file, not C# errors in generated code.
        Assert.DoesNotContain("error CS", build.Output);
    }
}
