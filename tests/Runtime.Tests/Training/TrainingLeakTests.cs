using MetricLoss.Runtime.Tests.Infrastructure;
using MetricLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Training;

/// <summary>
/// The training helpers leave no tensor behind (docs/torchsharp-rules.md rule 24): repeated multistage steps keep
/// DisposeScopeManager.Statistics.ThreadTotalLiveCount flat, and SiMix leaves exactly its three results.
/// </summary>
[Collection(ResourceCountingCollection.Name)]
public sealed class TrainingLeakTests
{
    private const int Iterations = 6;

    [Theory]
    [InlineData("pairwise")]
    [InlineData("recall@k")]
    public void Repeated_multistage_steps_do_not_grow_the_live_tensor_count(string lossName)
    {
        const long rows = 20;
        using var model = TrainingFixtures.Mlp();
        using var outer = NewDisposeScope();
        var inputs = TrainingFixtures.Inputs(rows);
        var loss = lossName == "pairwise" ? TrainingFixtures.PairwiseLoss(rows) : TrainingFixtures.RecallAtKLoss(rows);

        void Iteration()
        {
            TrainingFixtures.ZeroGradients(model);
            MultistageBackprop.Step(model, inputs, loss, 6);
        }

        Iteration(); // warm-up: lazy statics, the parameters' gradient buffers
        DisposeScopeManager.Statistics.Reset();
        var live = new List<long>();
        for (int i = 0; i < Iterations; i++)
        {
            Iteration();
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }

        Assert.True(live.All(count => count == live[0]), $"{lossName}: live tensors after each step: {string.Join(", ", live)}");
        Assert.True(live[0] <= 0, $"{lossName}: {live[0]} tensors created by a step are still alive ({DisposeScopeManager.Statistics})");
        Assert.True(DisposeScopeManager.Statistics.CreatedInScopeCount > 0, "the steps created no tensor: the statistics are not being counted");
    }

    [Fact]
    public void SiMix_leaves_exactly_its_three_tensors_alive()
    {
        using var outer = NewDisposeScope();
        using var generator = new Generator(5, CPU);
        var x = TrainingFixtures.Inputs(12).requires_grad_(true);
        var sim = x.mm(x.t());
        var classes = TrainingFixtures.BlockClasses(12, 4);
        SiMix.Mix(sim, classes, generator).Dispose(); // warm-up

        DisposeScopeManager.Statistics.Reset();
        var batch = SiMix.Mix(sim, classes, generator);
        Assert.Equal(3, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        batch.Dispose();
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
