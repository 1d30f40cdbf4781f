using MetricLoss.Catalog;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// A chunked reduction recomputed in backward (the budget below its size) leaves no tensor handle behind, whether the
/// caller has a dispose scope or none: before, each backward left the saved leaves, the incoming gradient and its own
/// results (4 to 8 handles a call) to the finalizer. The gradients backward returns are read by LibTorch after it
/// returns, so they are disposed by the thread's next chunked call (HandedToAutograd): the count may hold those
/// few handles, but never grows with the number of calls.
/// </summary>
[Collection(ResourceCountingCollection.Name)]
public sealed class ChunkedReductionLeakTests
{
    private const int Calls = 200;

    /// <summary>The most handles the last call may leave until the next: its returned gradients, one per leaf.</summary>
    private const int HeldUntilNextCall = 8;

    public static TheoryData<string, bool> Cases => new()
    {
        { "RocAuc", false }, { "RocAuc", true }, { "RecallAtK", false }, { "RecallAtK", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Recomputed_backward_leaves_no_handle_behind(string metric, bool callerHasScope)
    {
        var (score, step) = Problem(metric);
        try
        {
            void Step()
            {
                if (!callerHasScope)
                {
                    step();
                    return;
                }
                using var scope = NewDisposeScope();
                step();
            }

            Step(); // warm-up: lazy statics, the first gradient buffer
            Step();
            DisposeScopeManager.Statistics.Reset();
            var live = new List<long>();
            for (var i = 0; i < Calls; i++)
            {
                Step();
                live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
            }

            Assert.True(DisposeScopeManager.Statistics.CreatedInScopeCount + DisposeScopeManager.Statistics.CreatedOutsideScopeCount > 0,
                "the calls created no tensor at all: the statistics are not being counted");
            Assert.True(live.Max() - live.Min() == 0, $"{metric}: the live count moved over {Calls} calls: {string.Join(", ", live.Distinct())}");
            Assert.True(live[^1] <= HeldUntilNextCall, $"{metric}: {live[^1]} handles left alive by {Calls} calls ({DisposeScopeManager.Statistics})");
        }
        finally
        {
            score.Dispose();
        }
    }

    /// <summary>A score tensor and one training step on it (loss, backward, gradient dropped), chunked in backward.</summary>
    private static (Tensor Score, Action Step) Problem(string metric)
    {
        var random = new Random(5);
        if (metric == "RocAuc")
        {
            var batch = RandomBatch.Draw(random, 300, 0, 1);
            var score = Tensors.Scores(batch.Score, ScalarType.Float32, requiresGrad: true);
            var label = Tensors.Labels(batch.Label);
            // 300² pairs against a budget of 4 096: 14 chunks, recomputed in backward.
            var options = new RocAuc.Options { MaxPairwiseElements = 4096 };
            return (score, () => Train(score, () => RocAuc.Loss(score, label, options), label));
        }
        const int queries = 6, items = 40;
        var similarity = Tensors.Scores(Enumerable.Range(0, queries * items).Select(_ => random.NextDouble()).ToArray(), ScalarType.Float32, requiresGrad: true)
            .detach().reshape(queries, items).requires_grad_(true);
        var positive = Tensors.Labels(Enumerable.Range(0, queries * items).Select(k => k % 7 == 0).ToArray()).reshape(queries, items);
        var valid = ones(queries, items, dtype: ScalarType.Bool);
        // The support rewrite keeps the positives' rows (about 6 of 40 a query): 300 elements hold one query a chunk.
        var recallOptions = new RecallAtK.Options { MaxPairwiseElements = 300 };
        return (similarity, () => Train(similarity, () => RecallAtK.Loss(similarity, positive, valid, recallOptions), positive, valid));
    }

    private static void Train(Tensor score, Func<Tensor> loss, params Tensor[] keep)
    {
        GC.KeepAlive(keep);
        using (var value = loss()) value.backward();
        using var grad = score.grad;
        score.grad = null;
    }
}
