using System.Reflection;

namespace MetricLoss.Samples.Tests;

/// <summary>
/// Each experiment of docs/results.md in its --quick mode: the real program (its entry point, with the committed
/// data files copied beside this test), on a few hundred rows for a couple of epochs. The numbers are not checked
/// (they mean nothing at this size); that every loss trains and every row of the report is printed is.
/// </summary>
/// <remarks>One class, so xUnit runs these one at a time: they redirect the process's console.</remarks>
public sealed class QuickExperimentTests
{
    private static string Run(Assembly program, params string[] args)
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            program.EntryPoint!.Invoke(null, [args]);
        }
        finally
        {
            Console.SetOut(original);
        }
        return output.ToString();
    }

    [Fact]
    public void Retrieval_on_fashion_mnist_trains_every_loss()
    {
        var output = Run(typeof(Retrieval.Trainer).Assembly, "--data", "fashion", "--quick", "--plain");
        foreach (var loss in Retrieval.LossSpec.All.Select(l => l.Name).Append(Retrieval.Trainer.FullBatchName).Append("(untrained network)"))
            Assert.Contains(loss + "\t", output);
        Assert.DoesNotContain("NaN", output);
    }

    [Fact]
    public void Retrieval_on_digits_still_runs()
    {
        var output = Run(typeof(Retrieval.Trainer).Assembly, "--quick", "--plain");
        Assert.Contains("RS@k + SiMix\t", output);
    }

    [Fact]
    public void Imbalanced_classification_reports_every_loss_on_every_task()
    {
        var output = Run(typeof(Imbalanced.Trainer).Assembly, "--quick", "--plain");
        foreach (var task in Imbalanced.BinaryTask.All)
            foreach (var loss in Imbalanced.LossSpec.All)
                Assert.Contains($"{task.Name}\t{loss.Name}\t", output);
        Assert.DoesNotContain("NaN", output);
    }

    [Theory]
    [InlineData("tau", "AP, τ 0.001")]
    [InlineData("batch", "ROC AUC, batch 1024")]
    [InlineData("relaxation", "AP, Smoothstep")]
    public void Imbalanced_sweeps_run(string sweep, string row)
    {
        var output = Run(typeof(Imbalanced.Trainer).Assembly, "--quick", "--plain", "--seeds", "1", "--tasks", "satellite", "--sweep", sweep);
        Assert.Contains($"satellite\t{row}\t", output);
    }
}
