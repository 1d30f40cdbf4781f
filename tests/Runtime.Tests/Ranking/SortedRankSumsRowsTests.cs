using MetricLoss.Runtime.Ranking;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// The row restriction of the sort-based smooth rank sums (issue 15): R_i only at the items i of a constant mask r,
/// the band searches and coefficients only for them. It equals the unrestricted kernel times r, value and gradient,
/// whatever the rows hold (ties, ±∞, rows with no wanted item or all of them), and no gradient flows from the items
/// left out.
/// </summary>
[Collection(ResourceCountingCollection.Name)]
public class SortedRankSumsRowsTests
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>Restricted against unrestricted·r: values, and gradients of Σ upstream·R, in float64.</summary>
    private static void AssertEqualToMasked(Tensor values, Tensor? mask, Tensor rows, double tau, Relaxation relaxation, bool excludeSelf, ScalarType dtype, double tolerance)
    {
        var upstream = randn(values.shape, dtype: ScalarType.Float64, generator: new Generator(5));
        var x = values.to_type(dtype).requires_grad_(true);
        var restricted = SortedRankSums.Compute(x, mask, tau, relaxation, excludeSelf, rows);
        var restrictedGrad = autograd.grad(new[] { restricted.to_type(ScalarType.Float64).mul(upstream).sum() }, new[] { x })[0];
        var y = values.to_type(dtype).requires_grad_(true);
        var wanted = rows.to_type(ScalarType.Float64);
        var whole = SortedRankSums.Compute(y, mask, tau, relaxation, excludeSelf).to_type(ScalarType.Float64).mul(wanted);
        var wholeGrad = autograd.grad(new[] { whole.mul(upstream).sum() }, new[] { y })[0];

        Assert.Equal(dtype, restricted.dtype);
        Assert.Equal(values.shape, restricted.shape);
        var valueError = restricted.to_type(ScalarType.Float64).sub(whole).abs().max().item<double>();
        var gradError = restrictedGrad.to_type(ScalarType.Float64).sub(wholeGrad.to_type(ScalarType.Float64)).abs().max().item<double>();
        Assert.True(valueError <= tolerance, $"max |Δ| {valueError}");
        Assert.True(gradError <= tolerance, $"max |Δ grad| {gradError}");
        // Nothing at the items left out, exactly.
        Assert.Equal(0.0, restricted.to_type(ScalarType.Float64).mul(wanted.neg().add(1.0)).abs().sum().item<double>());
    }

    [Theory]
    [MemberData(nameof(SortedRankSumsTests.Cases), MemberType = typeof(SortedRankSumsTests))]
    public void Restricted_rows_equal_the_unrestricted_kernel_times_the_mask(Relaxation relaxation, ScalarType dtype, bool masked, bool excludeSelf, double tolerance)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(43);
        // Ties on a grid of 0.1; row 0 has no wanted item, row 1 all of them, the others about one in five.
        var values = randint(-30, 30, new long[] { 5, 64 }, generator: generator).to_type(ScalarType.Float64).mul(0.1);
        var rows = rand(new long[] { 5, 64 }, generator: generator).lt(0.2);
        rows[0] = zeros(64, dtype: ScalarType.Bool);
        rows[1] = ones(64, dtype: ScalarType.Bool);
        var mask = masked ? rand(new long[] { 5, 64 }, generator: generator).lt(0.4) : null;
        AssertEqualToMasked(values, mask, rows, 0.37, relaxation, excludeSelf, dtype, tolerance);
        // A 0/1 float mask is read as the bool one.
        AssertEqualToMasked(values, mask, rows.to_type(ScalarType.Float32), 0.37, relaxation, excludeSelf, dtype, tolerance);
    }

    [Theory]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void Infinite_scores_and_broadcast_masks_are_restricted_alike(Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        var values = tensor(new[,] { { Inf, 0.1, -Inf, 0.3, Inf, -0.2, -Inf, 0.15 }, { 0.2, 0.2, Inf, -0.1, 0.5, -Inf, 0.0, 0.2 } });
        var perItem = tensor(new[] { true, true, false, true, true, false, true, false });
        AssertEqualToMasked(values, null, perItem, 0.37, relaxation, excludeSelf: true, ScalarType.Float64, 1e-9);
        var perRow = tensor(new[,] { { true }, { false } });
        AssertEqualToMasked(values, perItem, perRow, 0.37, relaxation, excludeSelf: false, ScalarType.Float64, 1e-9);
        // Layouts of more than two dimensions, and a row restriction of fewer.
        var cube = randn(new long[] { 2, 3, 40 }, dtype: ScalarType.Float64, generator: new Generator(47));
        var shared = rand(new long[] { 3, 40 }, generator: new Generator(48)).lt(0.3);
        AssertEqualToMasked(cube, null, shared, 0.2, relaxation, excludeSelf: true, ScalarType.Float32, 1e-5);
    }

    [Theory]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void The_restricted_gradient_equals_central_differences(Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(53);
        var values = randn(new long[] { 3, 30 }, dtype: ScalarType.Float64, generator: generator);
        var mask = rand(new long[] { 3, 30 }, generator: generator).lt(0.5);
        var rows = rand(new long[] { 3, 30 }, generator: generator).lt(0.25);
        var upstream = randn(new long[] { 3, 30 }, dtype: ScalarType.Float64, generator: generator);
        const double tau = 0.3, h = 1e-6;
        double F(Tensor x)
        {
            using var inner = NewDisposeScope();
            return SortedRankSums.Compute(x, mask, tau, relaxation, excludeSelf: true, rows).mul(upstream).sum().item<double>();
        }
        var x = values.clone().requires_grad_(true);
        var analytic = autograd.grad(new[] { SortedRankSums.Compute(x, mask, tau, relaxation, excludeSelf: true, rows).mul(upstream).sum() }, new[] { x })[0];
        var flat = values.data<double>().ToArray();
        var analyticFlat = analytic.data<double>().ToArray();
        var moved = 0;
        for (var k = 0; k < flat.Length; k++)
        {
            var plus = (double[])flat.Clone();
            plus[k] += h;
            var minus = (double[])flat.Clone();
            minus[k] -= h;
            var numeric = (F(tensor(plus).reshape(values.shape)) - F(tensor(minus).reshape(values.shape))) / (2 * h);
            Assert.True(Math.Abs(numeric - analyticFlat[k]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                $"item {k}: analytic {analyticFlat[k]:R}, central differences {numeric:R}");
            if (Math.Abs(analyticFlat[k]) > 1e-3) moved++;
        }
        // Items left out still get gradient through the wanted items' ranks: the check is not vacuous.
        Assert.True(moved > flat.Length / 4, $"only {moved} of {flat.Length} gradients are nonzero");
    }

    [Fact]
    public void A_NaN_score_makes_the_wanted_items_of_its_row_NaN()
    {
        using var scope = NewDisposeScope();
        var values = tensor(new[,] { { 0.1, double.NaN, 0.3 }, { 0.1, 0.2, 0.3 } });
        var rows = tensor(new[,] { { true, false, true }, { false, true, false } });
        var result = SortedRankSums.Compute(values, null, 0.1, Relaxation.Linear, excludeSelf: false, rows).data<double>().ToArray();
        Assert.True(double.IsNaN(result[0]) && double.IsNaN(result[2]));
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, new[] { result[1], result[3], result[5] });
        Assert.Equal(1.5, result[4], 12); // 0.2 against 0.1, itself and 0.3 at τ = 0.1: ¼ + ½ + ¾
    }

    [Fact]
    public void A_row_restriction_that_does_not_broadcast_is_refused_with_the_kernel_and_argument_named()
    {
        using var scope = NewDisposeScope();
        var x = randn(new long[] { 2, 3 }, dtype: ScalarType.Float64);
        foreach (var relaxation in new[] { Relaxation.Linear, Relaxation.Smoothstep })
        {
            foreach (var rows in new[] { ones(new long[] { 4 }, dtype: ScalarType.Bool), ones(new long[] { 3, 3 }, dtype: ScalarType.Bool), ones(new long[] { 1, 2, 3 }, dtype: ScalarType.Bool) })
            {
                var error = Assert.Throws<ArgumentException>("rows", () => SortedRankSums.Compute(x, null, 0.1, relaxation, false, rows));
                Assert.Contains("SortedRankSums", error.Message);
                Assert.Contains("rows", error.Message);
            }
            var fromFacade = Assert.Throws<ArgumentException>("rows", () => SmoothRankSums.Sum(x, null, 0.1, false, relaxation, rows: ones(new long[] { 2 }, dtype: ScalarType.Bool)));
            Assert.Contains("SortedRankSums", fromFacade.Message);
        }
    }
}
