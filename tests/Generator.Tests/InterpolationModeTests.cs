using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// `interpolate` metrics (UniLoss): the exact program is the metric; the smooth one interpolates the exact tail
/// through anchors, deterministically under a seed, with autograd's gradient (checked against central
/// differences) and defined values on degenerate batches.
/// </summary>
public class InterpolationModeTests
{
    private static readonly Lazy<CompiledMetric> Accuracy = new(() =>
        CompiledMetric.Compile(TestFiles.NormativeMetric("AccuracyInterpolated").Replace("namespace MetricLoss.Catalog;", "namespace Interpolated.Tests;"), "AccuracyInterpolated"));

    private static (Tensor Logit, Tensor Target) Batch(int seed, int n = 6, int c = 4)
    {
        var random = new Random(seed);
        var logit = tensor(Enumerable.Range(0, n * c).Select(_ => random.NextDouble() * 4 - 2).ToArray()).reshape(n, c);
        var target = tensor(Enumerable.Range(0, n).Select(_ => (long)random.Next(c)).ToArray());
        return (logit, target);
    }

    [Fact]
    public void Exact_equals_the_reference_interpreter()
    {
        var metric = Accuracy.Value;
        var random = new Random(11);
        for (var trial = 0; trial < 10; trial++)
        {
            var (tensors, arrays) = metric.RandomInputs(random, new Dictionary<string, int> { ["n"] = 7, ["c"] = 4 }, float64);
            Assert.Equal(ReferenceInterpreter.Exact(metric.Bound, arrays), metric.Exact(tensors), 12);
        }
    }

    [Fact]
    public void Smooth_is_deterministic_under_a_seed_and_redrawn_without_one()
    {
        var metric = Accuracy.Value;
        var (logit, target) = Batch(1);
        var seeded = metric.Options(("Seed", (long?)42));
        var first = metric.Smooth(new[] { logit, target }, seeded).item<double>();
        var second = metric.Smooth(new[] { logit, target }, seeded).item<double>();
        Assert.Equal(first, second);
        var other = metric.Smooth(new[] { logit, target }, metric.Options(("Seed", (long?)43))).item<double>();
        Assert.NotEqual(first, other);
        Assert.InRange(first, 0, 1);
    }

    [Fact]
    public void Gradient_equals_float64_central_differences()
    {
        var metric = Accuracy.Value;
        var (logit, target) = Batch(2);
        var options = metric.Options(("Seed", (long?)7));
        var x = logit.detach().clone().requires_grad_(true);
        var value = metric.Smooth(new[] { x, target }, options);
        value.backward();
        var analytic = x.grad!.clone();
        Assert.True(analytic.abs().sum().item<double>() > 0, "the interpolant should depend on the logits");

        const double h = 1e-6;
        var flat = logit.reshape(-1);
        for (var k = 0; k < flat.shape[0]; k++)
        {
            var plus = flat.clone();
            plus[k] = plus[k] + h;
            var minus = flat.clone();
            minus[k] = minus[k] - h;
            var up = metric.Smooth(new[] { plus.reshape(logit.shape), target }, options).item<double>();
            var down = metric.Smooth(new[] { minus.reshape(logit.shape), target }, options).item<double>();
            Assert.Equal((up - down) / (2 * h), analytic.reshape(-1)[k].item<double>(), 6);
        }
    }

    [Fact]
    public void One_class_means_no_coordinates_and_a_defined_value_with_zero_gradient()
    {
        var metric = Accuracy.Value;
        var x = tensor(new double[] { 0.3, -1, 2 }).reshape(3, 1).requires_grad_(true);
        var target = tensor(new long[] { 0, 0, 0 });
        var value = metric.Smooth(new[] { x, target }, metric.Options(("Seed", (long?)1)));
        value.backward();
        Assert.Equal(1.0, value.item<double>(), 12);
        Assert.Equal(0.0, x.grad!.abs().sum().item<double>());
    }

    [Fact]
    public void All_comparisons_already_true_gives_a_finite_value_and_gradient()
    {
        var metric = Accuracy.Value;
        var x = tensor(new double[,] { { 9, 0, 0 }, { 0, 9, 0 } }).requires_grad_(true);
        var target = tensor(new long[] { 0, 1 });
        var value = metric.Smooth(new[] { x, target }, metric.Options(("Seed", (long?)5)));
        value.backward();
        Assert.False(double.IsNaN(value.item<double>()));
        Assert.False(x.grad!.isnan().any().item<bool>());
        Assert.Equal(1.0, metric.Exact(new[] { x.detach(), target }));
    }

    [Fact]
    public void Gradient_descent_on_the_interpolated_loss_raises_exact_accuracy()
    {
        var metric = Accuracy.Value;
        var (logit, target) = Batch(3, n: 12, c: 3);
        var x = logit.detach().clone().requires_grad_(true);
        var before = metric.Exact(new[] { x.detach(), target });
        for (var step = 0; step < 60; step++)
        {
            var loss = 1 - metric.Smooth(new[] { x, target }, metric.Options(("Seed", (long?)step)));
            loss.backward();
            using (no_grad()) x.sub_(x.grad!.mul(20.0));
            x.grad!.zero_();
        }
        Assert.True(metric.Exact(new[] { x.detach(), target }) > before, $"accuracy {before} did not improve");
    }

    [Fact]
    public void A_generator_in_the_options_redraws_the_anchors_every_call_and_replays_under_its_seed()
    {
        var metric = Accuracy.Value;
        var (logit, target) = Batch(4);
        double[] Run()
        {
            var options = metric.Options(("Generator", new TorchSharp.torch.Generator(17)));
            return Enumerable.Range(0, 3).Select(_ => metric.Smooth(new[] { logit, target }, options).item<double>()).ToArray();
        }
        var first = Run();
        Assert.Equal(first, Run());
        Assert.True(first.Distinct().Count() > 1, "anchors should be re-drawn from call to call: " + string.Join(", ", first));
    }
}
