using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// No tensor outlives a call except the one it returns (docs/torchsharp-rules.md rule 24): inside an outer dispose scope,
/// repeated Exact / Smooth / Loss + backward / Criterion calls leave DisposeScopeManager.Statistics.ThreadTotalLiveCount
/// where it was once their results are disposed.
/// </summary>
[Collection(ResourceCountingCollection.Name)]
public sealed class LeakTests
{
    private const int Iterations = 6;

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Repeated_calls_do_not_grow_the_live_tensor_count(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var batch = metric.IsAnyLoss
            ? RandomBatch.AwayFrom(new Random(1), 32, 0.5, 0.001, 0.1)
            : RandomBatch.Draw(new Random(1), 32, 0, 1.5);
        using var criterion = metric.Criterion();
        using var outer = torch.NewDisposeScope();
        var score = Tensors.Scores(batch.Score, ScalarType.Float32, requiresGrad: true);
        var label = Tensors.Labels(batch.Label);
        var floatScores = batch.ScoreAsFloat();

        void Iteration()
        {
            metric.Exact(score, label);
            metric.Exact(floatScores, batch.Label);
            metric.Exact(batch.Score, batch.Label);
            using (var smooth = metric.Smooth(score, label)) { }
            using (var loss = metric.Loss(score, label)) loss.backward();
            using (var forward = criterion.call(score, label)) forward.backward();
        }

        Iteration(); // warm-up: lazy statics, the gradient buffer of the scores
        DisposeScopeManager.Statistics.Reset();
        var live = new List<long>();
        for (var i = 0; i < Iterations; i++)
        {
            Iteration();
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }

        Assert.True(live.All(count => count == live[0]), $"{name}: live tensors after each iteration: {string.Join(", ", live)}");
        Assert.True(live[0] <= 0, $"{name}: {live[0]} tensors created by an iteration are still alive ({DisposeScopeManager.Statistics})");
        Assert.True(DisposeScopeManager.Statistics.CreatedInScopeCount > 0, "the calls created no tensor at all: the statistics are not being counted");
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Each_call_leaves_exactly_its_result_alive(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var batch = metric.IsAnyLoss
            ? RandomBatch.AwayFrom(new Random(2), 17, 0.5, 0.001, 0.1)
            : RandomBatch.Draw(new Random(2), 17, 0, 1.5);
        using var outer = torch.NewDisposeScope();
        var score = Tensors.Scores(batch.Score, ScalarType.Float64, requiresGrad: true);
        var label = Tensors.Labels(batch.Label, LabelKind.Float32);
        metric.Loss(score, label).Dispose(); // warm-up

        foreach (var (what, call) in new (string, Func<Tensor?>)[]
                 {
                     ("Exact", () => { metric.Exact(score, label); return null; }),
                     ("Smooth", () => metric.Smooth(score, label)),
                     ("Loss", () => metric.Loss(score, label)),
                 })
        {
            DisposeScopeManager.Statistics.Reset();
            var result = call();
            var expected = result is null ? 0 : 1;
            Assert.True(DisposeScopeManager.Statistics.ThreadTotalLiveCount == expected,
                $"{name}.{what}: {DisposeScopeManager.Statistics.ThreadTotalLiveCount} tensors alive after the call, expected {expected} ({DisposeScopeManager.Statistics})");
            if (result is not null)
            {
                Assert.True(outer.Contains(result), $"{name}.{what}: the result is not in the caller's dispose scope");
                result.Dispose();
            }
        }
    }

    [Fact]
    public void Results_are_handed_to_the_callers_scope_and_freed_with_it()
    {
        var metric = CatalogMetrics.Get("F1");
        var batch = RandomBatch.Draw(new Random(3), 20, 0, 1);
        using var outer = torch.NewDisposeScope();
        var score = Tensors.Scores(batch.Score, ScalarType.Float32, requiresGrad: true);
        var label = Tensors.Labels(batch.Label);
        DisposeScopeManager.Statistics.Reset();

        Tensor loss;
        using (torch.NewDisposeScope())
        {
            loss = metric.Loss(score, label);
            Assert.False(loss.IsInvalid);
        }

        Assert.True(loss.IsInvalid, "the result escaped its caller's dispose scope");
        Assert.Equal(0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
