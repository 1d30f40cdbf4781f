using MetricLoss.Interpolation;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Runtime.Tests.Interpolation.InterpolationTensors;

namespace MetricLoss.Runtime.Tests.Interpolation;

/// <summary>
/// The IDW interpolant Σ wₖvₖ / Σ wₖ, wₖ = 1/(‖(b̃ − aₖ)⊙valid‖ + ε) (docs/surrogates.md §1.5): exact at the anchors,
/// autograd gradient equal to central differences, zero gradient for equal values (where the official
/// classification code's hand-written gradient is wrong), finite everywhere.
/// </summary>
public sealed class IdwInterpolationTests
{
    // 7 distinct anchors in {0, 1}⁵ and their values.
    private static readonly double[,] AnchorTable =
    {
        { 1, 1, 1, 1, 1 },
        { 0, 1, 1, 1, 1 },
        { 1, 1, 0, 1, 1 },
        { 1, 0, 0, 1, 0 },
        { 0, 0, 1, 1, 0 },
        { 1, 1, 1, 0, 0 },
        { 0, 1, 0, 1, 1 },
    };
    private static readonly double[] AnchorValues = { 1.0, 0.8, 0.6, 0.1, 0.3, 0.5, 0.45 };
    private static readonly double[] Soft = { 0.7, 0.35, 0.55, 0.8, 0.25 };
    private static readonly bool[] AllValid = { true, true, true, true, true };

    private static Tensor Interpolate(Tensor soft, double[] values, bool[] valid, double epsilon) =>
        IdwInterpolation.Interpolate(soft, Matrix(AnchorTable), Vector(values), Mask(valid), epsilon);

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(1e-8, 1e-6)]
    public void The_interpolant_equals_the_anchor_value_at_every_anchor(double epsilon, double tolerance)
    {
        using var scope = torch.NewDisposeScope();
        var rows = Rows(Matrix(AnchorTable));
        for (var k = 0; k < rows.Length; k++)
        {
            var soft = Vector(rows[k], requiresGrad: true);
            var value = Interpolate(soft, AnchorValues, AllValid, epsilon);
            Assert.InRange(Tensors.Value(value), AnchorValues[k] - tolerance, AnchorValues[k] + tolerance);
            var gradient = Tensors.Values(torch.autograd.grad(new[] { value }, new[] { soft })[0]);
            Assert.All(gradient, g => Assert.True(double.IsFinite(g), $"anchor {k}: gradient {g}"));
        }
    }

    [Fact]
    public void The_value_matches_the_plain_formula()
    {
        using var scope = torch.NewDisposeScope();
        foreach (var epsilon in new[] { 0.0, 1e-8, 0.3 })
        {
            var value = Tensors.Value(Interpolate(Vector(Soft), AnchorValues, AllValid, epsilon));
            Assert.Equal(Plain(Soft, AnchorValues, epsilon), value, 12);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1e-8)]
    [InlineData(0.25)]
    public void The_gradient_matches_float64_central_differences(double epsilon)
    {
        var valid = new[] { true, true, false, true, true };
        var result = GradientCheck.Compute(soft => Interpolate(soft, AnchorValues, valid, epsilon), Soft);
        GradientCheck.AssertClose(result, context: $"ε = {epsilon}");
        Assert.Equal(0.0, result.Analytic[2]); // the invalid coordinate does not count in any distance
        Assert.True(result.MaxAbsAnalytic > 1e-3);
    }

    [Fact]
    public void The_gradient_is_the_true_IDW_gradient_while_the_official_formula_flips_one_sign()
    {
        // docs/surrogates.md §1.5: ∂f/∂b = −Σ vₖ(b − aₖ)/dₖ³ / W + V·Σ (b − aₖ)/dₖ³ / W²; the scripts use − on the second term.
        var result = GradientCheck.Compute(soft => Interpolate(soft, AnchorValues, AllValid, 0.0), Soft);
        var (correct, official) = HandWrittenGradients(Soft, AnchorValues);
        for (var j = 0; j < Soft.Length; j++) Assert.Equal(correct[j], result.Analytic[j], 10);
        Assert.True(official.Zip(correct).Max(p => Math.Abs(p.First - p.Second)) > 1e-2);
    }

    [Fact]
    public void Equal_anchor_values_give_that_value_and_a_zero_gradient_where_the_official_formula_does_not()
    {
        const double constant = 0.7;
        var values = Enumerable.Repeat(constant, AnchorValues.Length).ToArray();
        using var scope = torch.NewDisposeScope();
        var soft = Vector(Soft, requiresGrad: true);
        var value = Interpolate(soft, values, AllValid, 0.0);
        Assert.Equal(constant, Tensors.Value(value), 15);
        var gradient = Tensors.Values(torch.autograd.grad(new[] { value }, new[] { soft })[0]);
        Assert.All(gradient, g => Assert.Equal(0.0, g));

        // docs/surrogates.md §1.5: the official classification scripts' hand-written backward is non-zero here.
        var (correct, official) = HandWrittenGradients(Soft, values);
        Assert.All(correct, g => Assert.True(Math.Abs(g) < 1e-12));
        Assert.True(official.Max(Math.Abs) > 1e-2, $"official formula: {string.Join(", ", official)}");
    }

    [Fact]
    public void No_comparison_gives_the_mean_value_and_an_empty_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var soft = Vector(Array.Empty<double>(), requiresGrad: true);
        var value = IdwInterpolation.Interpolate(soft, torch.ones(3, 0, ScalarType.Float64), Vector(new[] { 0.2, 0.4, 0.9 }), Mask(Array.Empty<bool>()), 1e-8);
        Assert.Equal(0.5, Tensors.Value(value), 12);
        Assert.Equal(0, value.dim());
        var gradient = torch.autograd.grad(new[] { value }, new[] { soft })[0];
        Assert.Equal(new long[] { 0 }, gradient.shape);
    }

    [Fact]
    public void No_valid_coordinate_gives_the_mean_value_and_a_zero_gradient()
    {
        using var scope = torch.NewDisposeScope();
        var soft = Vector(Soft, requiresGrad: true);
        var value = Interpolate(soft, AnchorValues, new bool[Soft.Length], 1e-8);
        Assert.Equal(AnchorValues.Average(), Tensors.Value(value), 12);
        Assert.All(Tensors.Values(torch.autograd.grad(new[] { value }, new[] { soft })[0]), g => Assert.Equal(0.0, g));
    }

    [Theory]
    [InlineData(ScalarType.Float32)]
    [InlineData(ScalarType.Float16)]
    [InlineData(ScalarType.BFloat16)]
    public void The_result_keeps_the_dtype_and_device(ScalarType dtype)
    {
        foreach (var device in Tensors.AvailableDevices())
        {
            using var scope = torch.NewDisposeScope();
            var soft = Vector(Soft, dtype, device, requiresGrad: true);
            var value = IdwInterpolation.Interpolate(soft, Matrix(AnchorTable, dtype).to(device), Vector(AnchorValues, dtype, device), Mask(AllValid, device), 1e-8);
            Assert.Equal(dtype, value.dtype);
            Assert.Equal(device.type, value.device.type);
            Assert.Equal(Plain(Soft, AnchorValues, 1e-8), Tensors.Value(value), dtype == ScalarType.Float32 ? 5 : 1);
            value.backward();
            Assert.All(Tensors.Values(soft.grad!), g => Assert.True(double.IsFinite(g)));
        }
    }

    [Fact]
    public void Shapes_are_checked()
    {
        using var scope = torch.NewDisposeScope();
        var anchors = Matrix(AnchorTable);
        Assert.Throws<ArgumentException>(() => IdwInterpolation.Interpolate(Vector(new double[4]), anchors, Vector(AnchorValues), Mask(new bool[4]), 0));
        Assert.Throws<ArgumentException>(() => IdwInterpolation.Interpolate(Vector(Soft), anchors, Vector(new double[3]), Mask(AllValid), 0));
        Assert.Throws<ArgumentException>(() => IdwInterpolation.Interpolate(Vector(Soft), anchors.narrow(0, 0, 0), Vector(Array.Empty<double>()), Mask(AllValid), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => IdwInterpolation.Interpolate(Vector(Soft), anchors, Vector(AnchorValues), Mask(AllValid), -1));
    }

    /// <summary>Σ wₖvₖ / Σ wₖ in doubles, straight from the definition.</summary>
    private static double Plain(double[] soft, double[] values, double epsilon)
    {
        var rows = Rows(Matrix(AnchorTable));
        double numerator = 0, denominator = 0;
        for (var k = 0; k < rows.Length; k++)
        {
            var w = 1 / (Math.Sqrt(rows[k].Select((a, j) => (soft[j] - a) * (soft[j] - a)).Sum()) + epsilon);
            numerator += w * values[k];
            denominator += w;
        }
        return numerator / denominator;
    }

    /// <summary>
    /// The hand-written backward of the official classification scripts (ε = 0), and the same formula with the
    /// correct sign on its second term (docs/surrogates.md §1.5).
    /// </summary>
    private static (double[] Correct, double[] Official) HandWrittenGradients(double[] b, double[] v)
    {
        var rows = Rows(Matrix(AnchorTable));
        var d = rows.Select(a => Math.Sqrt(a.Select((x, j) => (b[j] - x) * (b[j] - x)).Sum())).ToArray();
        var w = d.Sum(x => 1 / x);
        var numerator = d.Select((x, k) => v[k] / x).Sum();
        var correct = new double[b.Length];
        var official = new double[b.Length];
        for (var j = 0; j < b.Length; j++)
        {
            double first = 0, second = 0;
            for (var k = 0; k < rows.Length; k++)
            {
                var term = (b[j] - rows[k][j]) / (d[k] * d[k] * d[k]);
                first += v[k] * term;
                second += term;
            }
            correct[j] = -first / w + numerator * second / (w * w);
            official[j] = -first / w - numerator * second / (w * w);
        }
        return (correct, official);
    }
}
