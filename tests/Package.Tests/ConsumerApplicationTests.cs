using System.Globalization;
using MetricLoss.Package.Tests.Infrastructure;

namespace MetricLoss.Package.Tests;

/// <summary>
/// An application outside the repository with two package references (MetricLoss and a CPU backend) uses a
/// catalogue loss with a backward pass, a .metric file without a namespace line and a [Metric] class. Its build
/// treats warnings as errors with a documentation file, so generated code without XML comments (CS1591), a
/// missing-backend warning or a metric file handed to the generator twice would fail it; the run proves that
/// TorchSharp's native library loads (on Debian 12 only through the package's native fix).
/// </summary>
[Collection(PackageFeedCollection.Name)]
public sealed class ConsumerApplicationTests(PackageFeed feed)
{
    private const string Informedness = """
        metric Informedness(score: real[n], label: bool[n], threshold: real = 0, tau: real = 1) {
            pred[n] = score[n] > threshold;
            tp = sum[n](pred[n] & label[n]);
            tn = sum[n](!pred[n] & !label[n]);
            maximize tp / sum[n](label[n]) + tn / sum[n](!label[n]) - 1;
        }
        """;

    private const string Program = """"
        using System.Globalization;
        using MetricLoss;
        using MetricLoss.Catalog;
        using static TorchSharp.torch;

        var scores = tensor(new float[] { 2f, -1f, 0.5f, -0.3f, 1.2f }, requires_grad: true);
        var labels = tensor(new[] { true, false, false, true, true });
        var loss = F1.Loss(scores, labels);
        loss.backward();
        var grad = scores.grad!.data<float>().ToArray();
        Print("F1.Exact", F1.Exact(scores, labels));
        Print("F1.Loss", loss.item<float>());
        Print("F1.Grad0", grad[0]);
        Print("F1.Grad3", grad[3]);
        Print("Informedness.Exact", ConsumerApp.Informedness.Exact(scores, labels));
        Print("Precision.Exact", Demo.TruePositiveShare.Exact(scores, labels));
        // The user's own metric, evaluated in two batches and merged through its state, as shards would be.
        var first = new ConsumerApp.Informedness.Evaluator();
        var second = new ConsumerApp.Informedness.Evaluator();
        first.Update(scores.narrow(0, 0, 2), labels.narrow(0, 0, 2));
        second.Update(scores.narrow(0, 2, 3), labels.narrow(0, 2, 3));
        first.Merge(ConsumerApp.Informedness.Evaluator.FromState(second.ToState()));
        Print("Informedness.Evaluator", first.Compute());
        Print("Plan.Lines", Demo.TruePositiveShare.Info.Plan.Split('\n').Length);

        static void Print(string name, double value) => System.Console.WriteLine($"{name}={value.ToString("R", CultureInfo.InvariantCulture)}");

        namespace Demo
        {
            /// <summary>The share of positive predictions that are right.</summary>
            [Metric("""
                metric TruePositiveShare(score: real[n], label: bool[n], tau: real = 1) {
                    pred[n] = score[n] > 0;
                    maximize sum[n](pred[n] & label[n]) / sum[n](pred[n]);
                }
                """)]
            public static partial class TruePositiveShare;
        }
        """";

    [Fact]
    public void Catalogue_loss_metric_file_and_attribute_metric_build_and_run_from_package_references_only()
    {
        var folder = feed.NewFolder("ConsumerApp");
        var project = feed.WithCpuBackend(feed.NewProject("ConsumerApp", executable: true))
            .Property("GenerateDocumentationFile", "true")
            .Property("TreatWarningsAsErrors", "true")
            // Listed by hand as well as by the package's glob, as projects did before the package had one.
            .Item("<AdditionalFiles Include=\"Metrics/Informedness.metric\" />")
            .File("Metrics/Informedness.metric", Informedness)
            .File("Program.cs", Program);
        project.WriteTo(folder);

        var build = feed.DotNet(folder, "build", "--disable-build-servers");
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotContain(": warning ", build.Output);

        var run = feed.DotNet(folder, "run", "--no-build");
        Assert.True(run.ExitCode == 0, run.ToString());
        var values = Values(run.Output);

        // scores 2, −1, 0.5, −0.3, 1.2 against labels 1, 0, 0, 1, 1: predictions 1, 0, 1, 0, 1,
        // so tp = 2, fp = 1, fn = 1, tn = 1.
        Assert.Equal(2.0 * 2 / (2 * 2 + 1 + 1), values["F1.Exact"], 12);
        Assert.Equal(2.0 / 3 + 1.0 / 2 - 1, values["Informedness.Exact"], 12);
        Assert.Equal(2.0 / 3, values["Precision.Exact"], 12);
        Assert.Equal(values["Informedness.Exact"], values["Informedness.Evaluator"], 12);
        Assert.True(values["Plan.Lines"] > 5, run.Output); // Info.Plan travels with the generator in the package
        Assert.Equal(SmoothF1Loss(new[] { 2, -1, 0.5, -0.3, 1.2 }, new[] { 1.0, 0, 0, 1, 1 }), values["F1.Loss"], 5);
        // Raising a positive's score raises F1, so the loss falls: negative gradients on positives.
        Assert.True(values["F1.Grad0"] < 0, run.Output);
        Assert.True(values["F1.Grad3"] < 0, run.Output);
    }

    // 1 − 2·tp / (2·tp + fp + fn) with p = σ(score) (τ = 1, threshold 0): the catalogue's F1 surrogate.
    private static double SmoothF1Loss(double[] scores, double[] labels)
    {
        double tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var p = 1 / (1 + Math.Exp(-scores[i]));
            tp += p * labels[i];
            fp += p * (1 - labels[i]);
            fn += (1 - p) * labels[i];
        }
        return 1 - 2 * tp / (2 * tp + fp + fn);
    }

    private static Dictionary<string, double> Values(string output) =>
        output.Split('\n')
            .Select(line => line.Trim().Split('='))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture));
}
