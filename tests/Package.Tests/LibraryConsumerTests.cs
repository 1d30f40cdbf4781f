using MetricLoss.Package.Tests.Infrastructure;

namespace MetricLoss.Package.Tests;

/// <summary>
/// A library references MetricLoss and defines a metric; an application references the library and a backend but
/// not MetricLoss. The package's buildTransitive files reach the application (the native fix applies to its
/// output), and the library's generated metric trains there.
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class LibraryConsumerTests(PackageFeed feed)
{
    [Fact]
    public void An_application_uses_a_metric_of_a_library_that_references_MetricLoss()
    {
        var library = feed.NewFolder("SharedMetrics");
        feed.NewProject("SharedMetrics", executable: false)
            .Property("RootNamespace", "Shared.Metrics")
            .File("BalancedAccuracyOfMine.metric", """
                metric BalancedAccuracyOfMine(score: real[n], label: bool[n], tau: real = 1) {
                    pred[n] = score[n] > 0;
                    maximize (sum[n](pred[n] & label[n]) / sum[n](label[n]) + sum[n](!pred[n] & !label[n]) / sum[n](!label[n])) / 2;
                }
                """)
            .WriteTo(library);

        var application = feed.NewFolder("MetricsApp");
        feed.WithCpuBackend(new ConsumerProject("MetricsApp", executable: true))
            .Item("<ProjectReference Include=\"../SharedMetrics/SharedMetrics.csproj\" />")
            .File("Program.cs", """
                using static TorchSharp.torch;
                var scores = tensor(new float[] { 2f, -1f, 0.5f, -0.3f }, requires_grad: true);
                var labels = tensor(new[] { true, false, false, true });
                var loss = Shared.Metrics.BalancedAccuracyOfMine.Loss(scores, labels);
                loss.backward();
                System.Console.WriteLine($"exact={Shared.Metrics.BalancedAccuracyOfMine.Exact(scores, labels)}");
                System.Console.WriteLine($"grad-sign={System.Math.Sign(scores.grad!.data<float>()[3])}");
                """)
            .WriteTo(application);

        var build = feed.DotNet(application, "build", "--disable-build-servers");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain("warning MTRB", build.Output);

        var run = feed.DotNet(application, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("exact=0.5", run.Output);      // (1/2 + 1/2) / 2
        Assert.Contains("grad-sign=-1", run.Output);   // a positive scored below 0: raising it lowers the loss
    }
}
