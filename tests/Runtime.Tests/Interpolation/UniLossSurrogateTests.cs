using MetricLoss.Interpolation;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Runtime.Tests.Interpolation.InterpolationTensors;

namespace MetricLoss.Runtime.Tests.Interpolation;

/// <summary>
/// <see cref="UniLossSurrogate"/>: relax, anchors, exact tail under no_grad, interpolate (docs/language.md,
/// "Interpolation mode (UniLoss)"). Determinism, degenerate inputs, gradients, dtype and device.
/// </summary>
public sealed class UniLossSurrogateTests
{
    private static readonly double[] Delta = { 0.4, -0.3, 0.2, 0.9, -0.8, 0.1, -0.5, -0.6, -0.7, 0.3 };
    private static readonly bool[] Valid = Bools(1, 1, 1, 0, 1, 1, 1, 0, 1, 1);

    /// <summary>A non-trivial exact tail: the fraction of valid coordinates that are true, squared, per anchor.</summary>
    private static Func<Tensor, Tensor> Tail(bool[] valid) => anchors =>
    {
        var v = Mask(valid, anchors.device).to_type(anchors.dtype);
        using var one = 1.0.ToScalar();
        var count = v.sum().clamp_min(one);
        return anchors.mul(v).sum(new long[] { 1 }).div(count).square();
    };

    private static Tensor Evaluate(Tensor delta, bool[] valid, ulong seed, Func<Tensor, Tensor>? tail = null,
        Relaxation relaxation = Relaxation.Sigmoid, double temperature = 0.5)
    {
        using var generator = new torch.Generator(seed, delta.device);
        return UniLossSurrogate.Evaluate(delta, Mask(valid, delta.device), temperature, 16, 16, 16, generator, tail ?? Tail(valid), relaxation: relaxation);
    }

    [Fact]
    public void Same_seed_gives_the_same_anchors_and_value_and_another_seed_different_ones()
    {
        using var scope = torch.NewDisposeScope();
        var seen = new List<double[][]>();
        Func<Tensor, Tensor> recording = anchors => { seen.Add(Rows(anchors)); return Tail(Valid)(anchors); };
        var a = Tensors.Value(Evaluate(Vector(Delta), Valid, 42, recording));
        var b = Tensors.Value(Evaluate(Vector(Delta), Valid, 42, recording));
        var c = Tensors.Value(Evaluate(Vector(Delta), Valid, 43, recording));
        Assert.Equal(seen[0], seen[1]);
        Assert.NotEqual(seen[0], seen[2]);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void A_generator_kept_across_calls_redraws_the_anchors()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(5, CPU);
        var seen = new List<double[][]>();
        Func<Tensor, Tensor> recording = anchors => { seen.Add(Rows(anchors)); return Tail(Valid)(anchors); };
        UniLossSurrogate.Evaluate(Vector(Delta), Mask(Valid), 1.0, 4, 4, 4, generator, recording);
        UniLossSurrogate.Evaluate(Vector(Delta), Mask(Valid), 1.0, 4, 4, 4, generator, recording);
        Assert.NotEqual(seen[0], seen[1]);
    }

    [Theory]
    [InlineData(Relaxation.Sigmoid)]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void The_gradient_matches_float64_central_differences(Relaxation relaxation)
    {
        // Δ/τ stays inside (−2, 2), where the linear ramp is differentiable, and away from 0, so ±h keeps the anchors.
        var result = GradientCheck.Compute(delta => Evaluate(delta, Valid, 3, relaxation: relaxation), Delta);
        GradientCheck.AssertClose(result, context: relaxation.ToString());
        Assert.Equal(0.0, result.Analytic[3]);
        Assert.Equal(0.0, result.Analytic[7]);
        Assert.True(result.MaxAbsAnalytic > 1e-4);
    }

    [Fact]
    public void Saturated_linear_relaxation_at_the_ground_truth_gives_the_ground_truth_value()
    {
        // Every valid Δ/τ ≥ 2: b̃ = 1 on valid coordinates, which is the ground-truth anchor.
        using var scope = torch.NewDisposeScope();
        var delta = Vector(Delta.Select(x => 3 + Math.Abs(x)).ToArray(), requiresGrad: true);
        var value = Evaluate(delta, Valid, 8, relaxation: Relaxation.Linear, temperature: 1.0);
        Assert.Equal(1.0, Tensors.Value(value), 6);
        var gradient = Tensors.Values(torch.autograd.grad(new[] { value }, new[] { delta })[0]);
        Assert.All(gradient, g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void Per_coordinate_temperatures_equal_rescaled_comparisons()
    {
        using var scope = torch.NewDisposeScope();
        var tau = Enumerable.Range(0, Delta.Length).Select(j => 0.2 + 0.1 * j).ToArray();
        using var g1 = new torch.Generator(4, CPU);
        using var g2 = new torch.Generator(4, CPU);
        var perCoordinate = UniLossSurrogate.Evaluate(Vector(Delta), Mask(Valid), Vector(tau), 8, 8, 8, g1, Tail(Valid));
        var rescaled = UniLossSurrogate.Evaluate(Vector(Delta.Zip(tau, (x, t) => x / t).ToArray()), Mask(Valid), 1.0, 8, 8, 8, g2, Tail(Valid));
        Assert.Equal(Tensors.Value(rescaled), Tensors.Value(perCoordinate), 12);
        Assert.Throws<ArgumentException>(() => UniLossSurrogate.Evaluate(Vector(Delta), Mask(Valid), Vector(new[] { 1.0, 2.0 }), 8, 8, 8, g1, Tail(Valid)));
    }

    [Fact]
    public void No_comparison_gives_the_tail_value_and_an_empty_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var delta = Vector(Array.Empty<double>(), requiresGrad: true);
        var value = Evaluate(delta, Array.Empty<bool>(), 1, anchors => Constant(anchors.shape[0], 0.7));
        Assert.Equal(0.7, Tensors.Value(value), 12);
        var gradient = torch.autograd.grad(new[] { value }, new[] { delta })[0];
        Assert.Equal(new long[] { 0 }, gradient.shape);
    }

    [Fact]
    public void No_valid_coordinate_gives_the_ground_truth_value_and_a_zero_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var delta = Vector(Delta, requiresGrad: true);
        var invalid = new bool[Delta.Length];
        var value = Evaluate(delta, invalid, 1, anchors => anchors.mean(new long[] { 1 }).div(Constant(1, 4.0)));
        Assert.Equal(0.25, Tensors.Value(value), 12); // every anchor is the all-ones ground truth
        Assert.All(Tensors.Values(torch.autograd.grad(new[] { value }, new[] { delta })[0]), g => Assert.Equal(0.0, g));
    }

    [Fact]
    public void All_comparisons_already_true_give_a_finite_value_and_gradient()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var magnitude in new[] { 0.5, 50.0 })
        {
            var delta = Vector(Delta.Select(x => magnitude * (0.1 + Math.Abs(x))).ToArray(), requiresGrad: true);
            var value = Evaluate(delta, Valid, 2);
            var v = Tensors.Value(value);
            Assert.True(double.IsFinite(v) && v > 0 && v <= 1, $"value {v}");
            Assert.All(Tensors.Values(torch.autograd.grad(new[] { value }, new[] { delta })[0]), g => Assert.True(double.IsFinite(g)));
        }
    }

    [Fact]
    public void The_tail_runs_without_gradient_on_anchors_of_the_compute_dtype()
    {
        using var scope = torch.NewDisposeScope();
        var delta = Vector(Delta, ScalarType.Float16, requiresGrad: true);
        var calls = 0;
        var value = Evaluate(delta, Valid, 1, anchors =>
        {
            calls++;
            Assert.False(torch.is_grad_enabled());
            Assert.Equal(ScalarType.Float32, anchors.dtype);
            Assert.Equal(new long[] { 49, Delta.Length }, anchors.shape);
            return Tail(Valid)(anchors);
        });
        Assert.Equal(1, calls);
        Assert.Equal(ScalarType.Float16, value.dtype);
        Assert.Throws<InvalidOperationException>(() => Evaluate(Vector(Delta), Valid, 1, anchors => anchors.sum()));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void The_result_keeps_the_dtype_and_device_of_the_comparisons(ScalarType dtype)
    {
        foreach (var device in Tensors.AvailableDevices())
        {
            using var scope = torch.NewDisposeScope();
            var delta = Vector(Delta, dtype, device, requiresGrad: true);
            var value = Evaluate(delta, Valid, 1);
            Assert.Equal(0, value.dim());
            Assert.Equal(dtype, value.dtype);
            Assert.Equal(device.type, value.device.type);
            value.backward();
            Assert.All(Tensors.Values(delta.grad!), g => Assert.True(double.IsFinite(g)));
        }
    }

    private static Tensor Constant(long k, double value)
    {
        using var s = value.ToScalar();
        return torch.full(new[] { k }, s, ScalarType.Float64);
    }
}
