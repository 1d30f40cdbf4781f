using MetricLoss.Interpolation;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Interpolation;

/// <summary>
/// End to end: docs/language.md's AccuracyInterpolated (UniLoss multi-class accuracy, docs/surrogates.md §1.3) through
/// <see cref="UniLossSurrogate.Evaluate(Tensor, Tensor, double, int, int, int, torch.Generator, Func{Tensor, Tensor}, double, Relaxation)"/>.
/// </summary>
public sealed class AccuracyInterpolatedTests
{
    private static readonly double[,] Logits =
    {
        { 2.0, 0.5, -1.0, 0.1 },   // target 0: correct
        { 0.3, 0.2, 1.5, -0.4 },   // target 1: wrong (class 2 higher)
        { -0.5, 0.1, 0.9, 0.4 },   // target 2: correct
        { 1.2, 0.0, 0.3, 0.8 },    // target 3: wrong (class 0 higher)
        { 0.6, -0.2, 0.1, -0.9 },  // target 0: correct
    };
    private static readonly long[] Targets = { 0, 1, 2, 3, 0 };

    [Fact]
    public void Comparisons_validity_and_tail_reproduce_the_exact_accuracy()
    {
        using var scope = torch.NewDisposeScope();
        var logit = torch.tensor(Logits, ScalarType.Float64);
        var target = torch.tensor(Targets);
        var (delta, valid) = MulticlassAccuracy.Comparisons(logit, target);
        Assert.Equal(new long[] { 20 }, delta.shape);
        Assert.Equal(15, Tensors.Values(valid.to_type(ScalarType.Float64)).Sum()); // N·(C − 1), docs/surrogates.md §1.3
        Assert.Equal(0.6, MulticlassAccuracy.Exact(logit, target), 12);

        var tail = MulticlassAccuracy.Tail(5, 4, valid);
        var groundTruth = torch.ones(1, 20, ScalarType.Float64);
        Assert.Equal(1.0, Tensors.Value(tail(groundTruth).squeeze(0)));
    }

    [Fact]
    public void The_smooth_accuracy_is_a_finite_differentiable_value_in_the_unit_interval()
    {
        using var scope = torch.NewDisposeScope();
        var logit = torch.tensor(Logits, ScalarType.Float64).requires_grad_(true);
        var target = torch.tensor(Targets);
        var (delta, valid) = MulticlassAccuracy.Comparisons(logit, target);
        using var generator = new torch.Generator(2020, CPU);
        var value = UniLossSurrogate.Evaluate(delta, valid, 1.0, UniLossDefaults.Good, UniLossDefaults.Nearby, UniLossDefaults.Random,
            generator, MulticlassAccuracy.Tail(5, 4, valid));
        Assert.Equal(0, value.dim());
        Assert.InRange(Tensors.Value(value), 0.0, 1.0);
        value.backward();
        var gradient = Tensors.Values(logit.grad!);
        Assert.All(gradient, g => Assert.True(double.IsFinite(g)));
        Assert.True(gradient.Max(Math.Abs) > 0);
        // Each comparison pushes the target's logit up and the other's down by the same amount: rows sum to 0.
        for (var n = 0; n < 5; n++) Assert.Equal(0.0, gradient.Skip(4 * n).Take(4).Sum(), 12);
    }

    [Fact]
    public void Gradient_descent_on_one_minus_the_smooth_accuracy_raises_the_exact_accuracy()
    {
        using var scope = torch.NewDisposeScope();
        var (features, target) = Blobs(new Random(7), perClass: 20);
        // A linear classifier started on the wrong classes: the class c weight points at blob c + 1 (accuracy 0).
        // Its scale is small (logits of a few tenths, as UniLoss's sigmoid-squashed scores keep Δ in (−1, 1)):
        // with |Δ/τ| ≫ 1 every σ saturates and the interpolant's gradient through b̃ vanishes.
        using var tenth = 0.1.ToScalar();
        var weight = torch.tensor(new double[,] { { Cos(1), Cos(2), Cos(0) }, { Sin(1), Sin(2), Sin(0) } }, ScalarType.Float32)
            .mul_(tenth).requires_grad_(true);
        var bias = torch.zeros(3, ScalarType.Float32).requires_grad_(true);
        using var generator = new torch.Generator(1234, CPU);
        Tensor Logit() => features.matmul(weight).add(bias);

        double before;
        using (torch.no_grad()) before = MulticlassAccuracy.Exact(Logit(), target);
        for (var step = 0; step < 40; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            var (delta, valid) = MulticlassAccuracy.Comparisons(Logit(), target);
            var value = UniLossSurrogate.Evaluate(delta, valid, 1.0, 16, 16, 16, generator, MulticlassAccuracy.Tail(features.shape[0], 3, valid));
            using var one = 1.0.ToScalar();
            var loss = value.neg().add(one);
            loss.backward();
            using (torch.no_grad())
            {
                using var rate = 0.5.ToScalar();
                foreach (var parameter in new[] { weight, bias })
                {
                    parameter.sub_(parameter.grad!.mul(rate));
                    parameter.grad!.zero_();
                }
            }
        }
        double after;
        using (torch.no_grad()) after = MulticlassAccuracy.Exact(Logit(), target);
        Assert.True(before < 0.2, $"accuracy before training {before}");
        Assert.True(after > 0.9, $"accuracy {before} before training, {after} after");
    }

    private static double Cos(int c) => 2 * Math.Cos(2 * Math.PI * c / 3);
    private static double Sin(int c) => 2 * Math.Sin(2 * Math.PI * c / 3);

    /// <summary>Three Gaussian blobs (σ = 0.5) at radius 2, 120° apart.</summary>
    private static (Tensor Features, Tensor Target) Blobs(Random random, int perClass)
    {
        var n = 3 * perClass;
        var x = new float[n, 2];
        var y = new long[n];
        for (var i = 0; i < n; i++)
        {
            var c = i % 3;
            x[i, 0] = (float)(Cos(c) + 0.5 * Normal(random));
            x[i, 1] = (float)(Sin(c) + 0.5 * Normal(random));
            y[i] = c;
        }
        return (torch.tensor(x), torch.tensor(y));
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
