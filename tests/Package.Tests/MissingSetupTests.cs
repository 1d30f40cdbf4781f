using MetricLoss.Package.Tests.Infrastructure;

namespace MetricLoss.Package.Tests;

/// <summary>Set-ups that would fail late are reported early, in words that say what to add.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class MissingSetupTests(PackageFeed feed)
{
    [Fact]
    public void An_application_without_a_backend_is_warned_at_build_and_told_what_to_add_at_run_time()
    {
        var folder = feed.NewFolder("NoBackendApp");
        feed.NewProject("NoBackendApp", executable: true)
            .File("Program.cs", """
                try
                {
                    System.Console.WriteLine(MetricLoss.Catalog.F1.Exact(new float[] { 1f, -1f }, new[] { true, false }));
                }
                catch (System.InvalidOperationException e)
                {
                    System.Console.WriteLine("message: " + e.Message);
                    return 3;
                }
                return 0;
                """)
            .WriteTo(folder);

        var build = feed.DotNet(folder, "build", "--disable-build-servers");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("warning MTRB003", build.Output);
        Assert.Contains("TorchSharp-cpu", build.Output);

        var run = feed.DotNet(folder, "run", "--no-build");
        Assert.True(run.ExitCode == 3, run.ToString());
        Assert.Contains("message: TorchSharp's native backend did not load: this application has no LibTorch library", run.Output);
        Assert.Contains("dotnet add package TorchSharp-cpu", run.Output);
    }

    [Fact]
    public void A_library_is_not_warned_about_the_backend_its_application_chooses()
    {
        var folder = feed.NewFolder("PlainLibrary");
        feed.NewProject("PlainLibrary", executable: false)
            .File("Use.cs", "public static class Use { public static double F(float[] s, bool[] l) => MetricLoss.Catalog.F1.Exact(s, l); }\n")
            .WriteTo(folder);

        var build = feed.DotNet(folder, "build", "--disable-build-servers");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("MTRB", build.Output);
    }

    [Fact]
    public void A_project_whose_generator_is_gone_is_warned_that_its_metric_files_are_not_compiled()
    {
        // Removing the analyzer item stands for any set-up that drops it (ExcludeAssets, a stale restore, a
        // hand-made reference to the runtime assembly).
        var folder = feed.NewFolder("NoGeneratorLibrary");
        feed.NewProject("NoGeneratorLibrary", executable: false)
            .Raw("""
                  <Target Name="DropMetricLossGenerator" BeforeTargets="MetricLossCheckGenerator">
                    <ItemGroup>
                      <Analyzer Remove="@(Analyzer)" Condition="'%(Filename)' == 'MetricLoss.Generator'" />
                    </ItemGroup>
                  </Target>
                """)
            .File("Mine.metric", "metric Mine(score: real[n], label: bool[n], tau: real = 1) {\n    maximize mean[n]((score[n] > 0) & label[n]);\n}\n")
            .WriteTo(folder);

        var build = feed.DotNet(folder, "build", "--disable-build-servers");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains("warning MTRB004", build.Output);
        Assert.Contains("not compiled", build.Output);
    }
}
