using System.Collections.Immutable;
using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>
/// A cut-off k below 1 makes `rank &lt;= k` (or `higher &lt; k`) always false, so the metric would be 0 (or 1) for any
/// ranking and its surrogate would train on nothing. Every top-k metric of the catalogue refuses it in its Options,
/// in the exact evaluator and the surrogate alike, naming the metric, the option and the comparison.
/// </summary>
public sealed class CutOffOptionTests
{
    private static void Refused(Func<object> call, string metric, string option, string comparison)
    {
        var error = Assert.ThrowsAny<ArgumentException>(call);
        Assert.StartsWith(metric + ": ", error.Message);
        Assert.Contains(option, error.Message);
        Assert.Contains(comparison, error.Message);
        Assert.Equal(option, error.ParamName);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    public void RecallAtK_refuses_an_entry_of_K_below_one(int bad)
    {
        using var scope = torch.NewDisposeScope();
        var sim = randn(3, 5, dtype: float64);
        var pos = tensor(new[] { true, false, false, true, false }).repeat(3, 1);
        var valid = ones(3, 5, dtype: ScalarType.Bool);
        var options = new RecallAtK.Options { K = [2, bad] };
        Refused(() => RecallAtK.Exact(sim, pos, valid, options), "RecallAtK", "K", "`rank[q, i] <= k[m]` would always be false");
        Refused(() => RecallAtK.Loss(sim, pos, valid, options), "RecallAtK", "K", "it is " + bad + " with K[1] = " + bad);
        Assert.InRange(RecallAtK.Exact(sim, pos, valid, new RecallAtK.Options { K = [1, 2] }), 0, 1);
    }

    [Fact]
    public void TopKAccuracy_refuses_a_K_below_one()
    {
        using var scope = torch.NewDisposeScope();
        var logit = randn(4, 3, dtype: float64);
        var target = tensor(new long[] { 0, 2, 1, 1 });
        Refused(() => TopKAccuracy.Exact(logit, target, new TopKAccuracy.Options { K = -1 }), "TopKAccuracy", "K", "`higher[n] < k` would always be false");
        Refused(() => TopKAccuracy.Smooth(logit, target, new TopKAccuracy.Options { K = 0 }), "TopKAccuracy", "K", "`higher[n] < k`");
        Assert.Equal(1.0, TopKAccuracy.Exact(logit, target, new TopKAccuracy.Options { K = 3 }));
    }

    [Fact]
    public void NdcgAtK_PrecisionAtK_and_RetrievalRecallAtK_refuse_a_K_below_one()
    {
        using var scope = torch.NewDisposeScope();
        var score = randn(2, 4, dtype: float64);
        var gain = rand(2, 4, dtype: float64);
        var label = tensor(new[] { true, false, true, false }).repeat(2, 1);
        var valid = ones(2, 4, dtype: ScalarType.Bool);
        Refused(() => NdcgAtK.Exact(score, gain, new NdcgAtK.Options { K = -3 }), "NdcgAtK", "K", "`rank[q, i] <= k`");
        Refused(() => PrecisionAtK.Exact(score, label, new PrecisionAtK.Options { K = 0 }), "PrecisionAtK", "K", "`rank[q, i] <= k`");
        Refused(() => RetrievalRecallAtK.Loss(score, label, valid, new RetrievalRecallAtK.Options { K = 0 }), "RetrievalRecallAtK", "K", "`rank[q, i] <= k`");
    }
}
