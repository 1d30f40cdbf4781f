using MetricLoss.Baselines;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static MetricLoss.Runtime.Tests.Baselines.BaselineReference;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Baselines;

/// <summary>Bad inputs and options are refused with an ArgumentException that names the loss and the input.</summary>
public sealed class BaselineInputTests
{
    public static TheoryData<string, string, string> BadInputs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var name in BaselineLoss.Names)
            foreach (var (bad, input) in new[]
                     {
                         ("1-dim embeddings", "embeddings"), ("integer embeddings", "embeddings"), ("float labels", "labels"),
                         ("2-dim labels", "labels"), ("length mismatch", "labels"), ("null embeddings", "embeddings"),
                         ("null labels", "labels"), ("disposed embeddings", "embeddings"),
                     })
                data.Add(name, bad, input);
        return data;
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Bad_inputs_name_the_loss_and_the_input(string name, string bad, string input)
    {
        var loss = BaselineLoss.Get(name);
        using var scope = NewDisposeScope();
        var (x, y) = Random(31, 6, 3, 2);
        var e = Embeddings(x, ScalarType.Float32);
        var labels = Labels(y);
        var disposed = Embeddings(x, ScalarType.Float32);
        disposed.Dispose();
        (Tensor E, Tensor Y) args = bad switch
        {
            "1-dim embeddings" => (e.flatten(), labels),
            "integer embeddings" => (e.to_type(ScalarType.Int64), labels),
            "float labels" => (e, labels.to_type(ScalarType.Float32)),
            "2-dim labels" => (e, labels.unsqueeze(1)),
            "length mismatch" => (e, labels.narrow(0, 0, 5)),
            "null embeddings" => (null!, labels),
            "null labels" => (e, null!),
            "disposed embeddings" => (disposed, labels),
            _ => throw new ArgumentException(bad),
        };
        var error = Assert.ThrowsAny<ArgumentException>(() => loss.Loss(args.E, args.Y));
        Assert.Contains(name, error.Message);
        Assert.Contains($"'{input}'", error.Message);
        Assert.Equal(input, error.ParamName);
    }

    [Fact]
    public void Bad_options_name_the_loss_and_the_option()
    {
        using var scope = NewDisposeScope();
        var (x, y) = Random(32, 6, 3, 2);
        var e = Embeddings(x);
        var labels = Labels(y);
        void Refused(Action call, string loss, string option)
        {
            var error = Assert.Throws<ArgumentException>(call);
            Assert.Contains(loss, error.Message);
            Assert.Contains(option, error.Message);
        }
        Refused(() => Contrastive.Loss(e, labels, new Contrastive.Options { Margin = 0 }), "Contrastive", "Margin");
        Refused(() => Contrastive.Loss(e, labels, new Contrastive.Options { Margin = double.NaN }), "Contrastive", "Margin");
        Refused(() => Contrastive.Loss(e, labels, new Contrastive.Options { Epsilon = 0 }), "Contrastive", "Epsilon");
        Refused(() => TripletSemiHard.Loss(e, labels, new TripletSemiHard.Options { Margin = -0.1 }), "TripletSemiHard", "Margin");
        Refused(() => Circle.Loss(e, labels, new Circle.Options { Gamma = 0 }), "Circle", "Gamma");
        Refused(() => Circle.Loss(e, labels, new Circle.Options { Margin = double.PositiveInfinity }), "Circle", "Margin");
    }
}

/// <summary>
/// No tensor outlives a call except the one it returns (docs/torchsharp-rules.md rule 24), and the caller's tensors are
/// left alone.
/// </summary>
[Collection(ResourceCountingCollection.Name)]
public sealed class BaselineLeakTests
{
    [Theory]
    [MemberData(nameof(BaselineLoss.Names), MemberType = typeof(BaselineLoss))]
    public void Repeated_loss_and_backward_do_not_grow_the_live_tensor_count(string name)
    {
        var loss = BaselineLoss.Get(name);
        var (x, y) = Random(41, 24, 5, 4);
        using var outer = NewDisposeScope();
        var e = Embeddings(x, ScalarType.Float32, requiresGrad: true);
        var labels = Labels(y);

        void Iteration()
        {
            using var value = loss.Loss(e, labels);
            value.backward();
        }

        Iteration(); // warm-up: the gradient buffer of the embeddings
        DisposeScopeManager.Statistics.Reset();
        var live = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            Iteration();
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        Assert.True(live.All(count => count == live[0]), $"{name}: live tensors after each iteration: {string.Join(", ", live)}");
        Assert.True(live[0] <= 0, $"{name}: {live[0]} tensors created by an iteration are still alive ({DisposeScopeManager.Statistics})");
        Assert.True(DisposeScopeManager.Statistics.CreatedInScopeCount > 0, "no tensor was counted: the statistics are not being collected");
    }

    [Theory]
    [MemberData(nameof(BaselineLoss.Names), MemberType = typeof(BaselineLoss))]
    public void Each_call_leaves_exactly_its_result_alive_in_the_callers_scope(string name)
    {
        var loss = BaselineLoss.Get(name);
        var (x, y) = Random(42, 12, 3, 3);
        using var outer = NewDisposeScope();
        var e = Embeddings(x, ScalarType.Float16, requiresGrad: false);
        var labels = Labels(y);
        loss.Loss(e, labels).Dispose(); // warm-up

        DisposeScopeManager.Statistics.Reset();
        var result = loss.Loss(e, labels);
        Assert.Equal(1, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.True(outer.Contains(result), $"{name}: the result is not in the caller's dispose scope");
        Assert.False(e.IsInvalid);
        Assert.False(labels.IsInvalid);
        result.Dispose();
    }
}
