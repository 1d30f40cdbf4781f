using MetricLoss.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// The incremental pipeline does no work it does not need: an unrelated C# edit re-runs nothing, a
/// whitespace or comment edit in a .metric file re-emits nothing, and a real edit re-emits its metric.
/// </summary>
public class CachingTests
{
    private const string Metric = """
        metric Recall(score: real[n], label: bool[n], tau: real = 1) {
            pred[n] = score[n] > 0;
            tp = sum[n](pred[n] & label[n]);
            maximize tp / sum[n](label[n]);
        }
        """;

    private const string OtherMetric = """
        metric Precision(score: real[n], label: bool[n], tau: real = 1) {
            pred[n] = score[n] > 0;
            tp = sum[n](pred[n] & label[n]);
            maximize tp / sum[n](pred[n]);
        }
        """;

    // ReplaceAdditionalText needs the very object the driver was created with.
    private readonly AdditionalText _a = new InMemoryAdditionalText("a.metric", Metric);

    private (GeneratorDriver Driver, CSharpCompilation Compilation) FirstRun()
    {
        var driver = GeneratorHarness.CreateDriver(new[] { _a, new InMemoryAdditionalText("b.metric", OtherMetric) });
        var compilation = GeneratorHarness.CreateCompilation("class Unrelated { }");
        var run = GeneratorHarness.Run(driver, compilation);
        Assert.Equal(2, run.Sources.Count);
        return (run.Driver, compilation);
    }

    /// <summary>The run reasons of every output of the source-output step (one per generated file).</summary>
    private static IReadOnlyList<IncrementalStepRunReason> SourceOutputReasons(GeneratorRun run) =>
        run.Result.TrackedOutputSteps["SourceOutput"].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    private static IReadOnlyList<IncrementalStepRunReason> StepReasons(GeneratorRun run, string step) =>
        run.Result.TrackedSteps[step].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();

    [Fact]
    public void An_unrelated_CSharp_edit_reruns_nothing()
    {
        var (driver, compilation) = FirstRun();
        var edited = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("class AlsoUnrelated { int x; }"));
        var run = GeneratorHarness.Run(driver, edited);
        Assert.All(StepReasons(run, TrackingNames.MetricFiles), r => Assert.Equal(IncrementalStepRunReason.Cached, r));
        Assert.All(StepReasons(run, TrackingNames.Units), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.All(SourceOutputReasons(run), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
    }

    [Fact]
    public void A_whitespace_and_comment_edit_in_a_metric_file_reemits_nothing()
    {
        var (driver, compilation) = FirstRun();
        var reformatted = "// Recall of the positive class.\n\n" + Metric.Replace("    ", "\t").Replace(" & ", "&") + "\n// end\n";
        driver = driver.ReplaceAdditionalText(_a, new InMemoryAdditionalText("a.metric", reformatted));
        var run = GeneratorHarness.Run(driver, compilation);

        Assert.Contains(IncrementalStepRunReason.Modified, StepReasons(run, TrackingNames.MetricFiles));
        Assert.All(StepReasons(run, TrackingNames.Units), r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, r.ToString()));
        Assert.DoesNotContain(IncrementalStepRunReason.Modified, SourceOutputReasons(run));
        Assert.DoesNotContain(IncrementalStepRunReason.New, SourceOutputReasons(run));
    }

    [Fact]
    public void A_real_edit_reemits_only_that_metric()
    {
        var (driver, compilation) = FirstRun();
        driver = driver.ReplaceAdditionalText(_a, new InMemoryAdditionalText("a.metric", Metric.Replace("> 0", "> 0.5")));
        var run = GeneratorHarness.Run(driver, compilation);

        var units = run.Result.TrackedSteps[TrackingNames.Units].SelectMany(s => s.Outputs).ToList();
        Assert.Single(units, o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Single(units, o => o.Reason is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached);
        Assert.Contains("0.5d", run.Sources["Tests.Root.Recall.g.cs"]);
    }
}
