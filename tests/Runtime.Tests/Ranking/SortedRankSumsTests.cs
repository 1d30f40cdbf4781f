using MetricLoss.Runtime.Ranking;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// The sort-based smooth rank sums equal the pairwise program they replace, value and gradient, for both relaxations
/// that have a sort-based form: per row Σ_j m_j·relax((x_j − x_i)/τ) with MetricOps' relaxation on the [.., N, N]
/// differences, with and without j = i, masked or not, with ties, on rows of several layouts and far from 0.
/// </summary>
[Collection(ResourceCountingCollection.Name)]
public class SortedRankSumsTests
{
    private const double Inf = double.PositiveInfinity;

    /// <summary>The pairwise program: an [.., N, N] tensor of relaxed differences x_j − x_i, masked and summed over j.</summary>
    private static Tensor Dense(Tensor x, Tensor? mask, double tau, Relaxation relaxation, bool excludeSelf)
    {
        // RelaxPairwise(a, b) relaxes (a − b)/τ, with the language's rule for equal infinities (a tie).
        var relaxed = MetricOps.RelaxPairwise(x.unsqueeze(-2), x.unsqueeze(-1), tau, relaxation); // [.., i, j]
        if (mask is not null) relaxed = relaxed.mul(mask.to_type(x.dtype).unsqueeze(-2));
        if (excludeSelf)
        {
            using var one = 1.0.ToScalar();
            relaxed = relaxed.mul(eye(x.shape[^1], dtype: x.dtype).neg().add_(one, KeptScalars.One));
        }
        return relaxed.sum(-1);
    }

    /// <summary>Kernel and dense values and gradients of Σ upstream·R, the dense one in float64 on the same (rounded) scores.</summary>
    private static void AssertEqualToDense(Tensor values, Tensor? mask, double tau, Relaxation relaxation, bool excludeSelf, ScalarType dtype, double tolerance)
    {
        var upstream = randn(values.shape, dtype: ScalarType.Float64, generator: new Generator(3));
        var x = values.to_type(dtype).requires_grad_(true);
        var sorted = SortedRankSums.Compute(x, mask, tau, relaxation, excludeSelf);
        var sortedGrad = autograd.grad(new[] { sorted.to_type(ScalarType.Float64).mul(upstream).sum() }, new[] { x })[0];
        var reference = x.detach().to_type(ScalarType.Float64).requires_grad_(true);
        var dense = Dense(reference, mask, tau, relaxation, excludeSelf);
        var denseGrad = autograd.grad(new[] { dense.mul(upstream).sum() }, new[] { reference })[0];

        Assert.Equal(dtype, sorted.dtype);
        Assert.Equal(values.shape, sorted.shape);
        var valueError = sorted.to_type(ScalarType.Float64).sub(dense).abs().max().item<double>();
        var gradError = sortedGrad.to_type(ScalarType.Float64).sub(denseGrad).abs().max().item<double>();
        Assert.True(sorted.to_type(ScalarType.Float64).allclose(dense, rtol: tolerance, atol: tolerance), $"max |Δ| {valueError}");
        Assert.True(sortedGrad.to_type(ScalarType.Float64).allclose(denseGrad, rtol: tolerance, atol: tolerance), $"max |Δ grad| {gradError}");
    }

    public static TheoryData<Relaxation, ScalarType, bool, bool, double> Cases
    {
        get
        {
            var data = new TheoryData<Relaxation, ScalarType, bool, bool, double>();
            foreach (var relaxation in new[] { Relaxation.Linear, Relaxation.Smoothstep })
            foreach (var (dtype, tolerance) in new[] { (ScalarType.Float64, 1e-9), (ScalarType.Float32, 1e-5) })
            foreach (var masked in new[] { false, true })
            foreach (var excludeSelf in new[] { false, true })
            {
                data.Add(relaxation, dtype, masked, excludeSelf, tolerance);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Value_and_gradient_equal_the_pairwise_program_on_rows_with_ties(Relaxation relaxation, ScalarType dtype, bool masked, bool excludeSelf, double tolerance)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(17);
        // Scores on a grid of 0.1 (ties), τ = 0.37 so that no difference lands on a band's edge (±2τ, ±3τ).
        var values = randint(-30, 30, new long[] { 3, 64 }, generator: generator).to_type(ScalarType.Float64).mul(0.1);
        var mask = masked ? rand(new long[] { 3, 64 }, generator: generator).lt(0.4) : null;
        AssertEqualToDense(values, mask, 0.37, relaxation, excludeSelf, dtype, tolerance);
    }

    [Theory]
    [InlineData(Relaxation.Linear, ScalarType.Float64, 1e-9)]
    [InlineData(Relaxation.Smoothstep, ScalarType.Float64, 1e-9)]
    [InlineData(Relaxation.Linear, ScalarType.Float32, 1e-5)]
    [InlineData(Relaxation.Smoothstep, ScalarType.Float32, 1e-5)]
    public void Rows_of_any_layout_take_a_mask_that_broadcasts(Relaxation relaxation, ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(23);
        var values = randn(new long[] { 2, 3, 40 }, dtype: ScalarType.Float64, generator: generator);
        var perRow = rand(new long[] { 2, 1, 40 }, generator: generator).lt(0.5);
        AssertEqualToDense(values, perRow, 0.2, relaxation, excludeSelf: true, dtype, tolerance);
        var shared = rand(new long[] { 40 }, generator: generator).lt(0.5);
        AssertEqualToDense(values, shared, 0.2, relaxation, excludeSelf: false, dtype, tolerance);
    }

    /// <summary>
    /// Far from 0 and spread wide against τ: a naive expansion in powers of x_j would cancel (offset 1000: (x/τ)³ ≈ 2·10¹⁰
    /// per item; spread ±10 with τ = 0.01: |x/τ|³ up to 10⁹); the local coordinates do not.
    /// </summary>
    [Theory]
    [InlineData(Relaxation.Linear, ScalarType.Float64, 1e-9)]
    [InlineData(Relaxation.Smoothstep, ScalarType.Float64, 1e-9)]
    [InlineData(Relaxation.Linear, ScalarType.Float32, 1e-5)]
    [InlineData(Relaxation.Smoothstep, ScalarType.Float32, 1e-5)]
    public void Large_offsets_and_wide_spreads_do_not_cancel(Relaxation relaxation, ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(29);
        using var thousand = 1000.0.ToScalar();
        var offset = randint(-30, 30, new long[] { 2, 64 }, generator: generator).to_type(ScalarType.Float64).mul(0.1).add_(thousand, KeptScalars.One);
        AssertEqualToDense(offset, null, 0.37, relaxation, excludeSelf: false, dtype, tolerance);
        using var half = 0.5.ToScalar();
        using var twenty = 20.0.ToScalar();
        var wide = rand(new long[] { 1, 2000 }, dtype: ScalarType.Float64, generator: generator).sub(half).mul_(twenty);
        AssertEqualToDense(wide, null, 0.01, relaxation, excludeSelf: true, ScalarType.Float64, 1e-9);
    }

    /// <summary>
    /// A row of 2·10⁵ scores offset by 1000 and spread over ±10 at τ = 0.01: the prefix sums run over the whole row, so
    /// their rounding grows with N (at most about ε·64·N, SortedBands); 24 items checked against the exact sum over all j.
    /// </summary>
    [Theory]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void A_long_row_keeps_its_precision(Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        const long n = 200_000;
        const double tau = 0.01;
        var generator = new Generator(41);
        using var twenty = 20.0.ToScalar();
        using var offset = 990.0.ToScalar();
        var x = rand(new long[] { n }, dtype: ScalarType.Float64, generator: generator).mul_(twenty).add_(offset, KeptScalars.One);
        var mask = rand(new long[] { n }, generator: generator).lt(0.3);
        var sorted = SortedRankSums.Compute(x, mask, tau, relaxation, excludeSelf: false);
        var items = randint(0, n, new long[] { 24 }, generator: generator);
        var chosen = x.index_select(0, items);
        var dense = MetricOps.RelaxPairwise(x.unsqueeze(0), chosen.unsqueeze(1), tau, relaxation).mul(mask.to_type(ScalarType.Float64)).sum(-1);
        var error = sorted.index_select(0, items).sub(dense).abs().max().item<double>();
        Assert.True(error <= 1e-9, $"max |Δ| {error}");
    }

    [Fact]
    public void The_smoothstep_is_exact_on_its_band_edges()
    {
        // A grid of τ: many differences are exactly ±3τ, where the smoothstep's value is 0 or 1 and its slope is 0 (C¹), so
        // the kernel's one-sided slope and autograd's agree (for the linear ramp they do not: a kink).
        using var scope = NewDisposeScope();
        var values = randint(-8, 8, new long[] { 2, 48 }, generator: new Generator(31)).to_type(ScalarType.Float64).mul(0.25);
        var mask = rand(new long[] { 2, 48 }, generator: new Generator(32)).lt(0.6);
        AssertEqualToDense(values, mask, 0.25, Relaxation.Smoothstep, excludeSelf: true, ScalarType.Float64, 1e-9);
    }

    [Theory]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void The_gradient_equals_central_differences(Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(37);
        var values = randn(new long[] { 2, 30 }, dtype: ScalarType.Float64, generator: generator);
        var mask = rand(new long[] { 2, 30 }, generator: generator).lt(0.5);
        var upstream = randn(new long[] { 2, 30 }, dtype: ScalarType.Float64, generator: generator);
        const double tau = 0.3, h = 1e-6;
        double F(Tensor x)
        {
            using var inner = NewDisposeScope();
            return SortedRankSums.Compute(x, mask, tau, relaxation, excludeSelf: true).mul(upstream).sum().item<double>();
        }
        var x = values.clone().requires_grad_(true);
        var analytic = autograd.grad(new[] { SortedRankSums.Compute(x, mask, tau, relaxation, excludeSelf: true).mul(upstream).sum() }, new[] { x })[0];
        var flat = values.data<double>().ToArray();
        var analyticFlat = analytic.data<double>().ToArray();
        for (var k = 0; k < flat.Length; k++)
        {
            var plus = (double[])flat.Clone();
            plus[k] += h;
            var minus = (double[])flat.Clone();
            minus[k] -= h;
            var numeric = (F(tensor(plus).reshape(values.shape)) - F(tensor(minus).reshape(values.shape))) / (2 * h);
            Assert.True(Math.Abs(numeric - analyticFlat[k]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                $"item {k}: analytic {analyticFlat[k]:R}, central differences {numeric:R}");
        }
    }

    [Theory]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void A_single_item_and_a_row_of_ties_are_handled(Relaxation relaxation)
    {
        using var scope = NewDisposeScope();
        var one = SortedRankSums.Compute(tensor(new[] { 0.3 }), null, 0.1, relaxation, excludeSelf: false);
        Assert.Equal(0.5, one.item<double>(), 12);
        var alone = tensor(new[] { 0.3 }).requires_grad_(true);
        var excluded = SortedRankSums.Compute(alone, null, 0.1, relaxation, excludeSelf: true);
        Assert.Equal(0.0, excluded.item<double>(), 12);
        excluded.sum().backward();
        Assert.Equal(0.0, alone.grad!.item<double>());
        var ties = SortedRankSums.Compute(full(new long[] { 5 }, 2.0, dtype: ScalarType.Float64), null, 0.1, relaxation, excludeSelf: true);
        Assert.All(ties.data<double>().ToArray(), v => Assert.Equal(2.0, v, 12)); // four others, each ½
        AssertEqualToDense(full(new long[] { 2, 7 }, -1.5, dtype: ScalarType.Float64), null, 0.1, relaxation, excludeSelf: false, ScalarType.Float64, 1e-9);
    }

    [Theory]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void Infinite_scores_are_ordered_and_equal_ones_tie(Relaxation relaxation)
    {
        // The pairwise program's rule (docs/language.md, "Infinite scores"): equal infinities are a tie (½), an infinity is
        // beyond every finite score; an infinite score gets gradient 0.
        using var scope = NewDisposeScope();
        // τ = 0.37: no finite difference on a band's edge.
        var values = tensor(new[] { Inf, 0.1, -Inf, 0.3, Inf, -0.2, -Inf, 0.15 });
        AssertEqualToDense(values, null, 0.37, relaxation, excludeSelf: true, ScalarType.Float64, 1e-9);
        var x = values.clone().requires_grad_(true);
        var weighted = SortedRankSums.Compute(x, null, 0.37, relaxation, excludeSelf: false).mul(arange(8, dtype: ScalarType.Float64)).sum();
        var grad = autograd.grad(new[] { weighted }, new[] { x })[0].data<double>().ToArray();
        Assert.All(new[] { 0, 2, 4, 6 }, i => Assert.Equal(0.0, grad[i]));
        Assert.All(grad, g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void Backward_accumulates_the_gradient_into_the_scores()
    {
        using var scope = NewDisposeScope();
        var values = tensor(new[] { 0.1, 0.5, -0.2, 0.9, Inf });
        var x = values.clone().requires_grad_(true);
        var weights = arange(5, dtype: ScalarType.Float64);
        SortedRankSums.Compute(x, null, 0.37, Relaxation.Smoothstep, excludeSelf: false).mul(weights).sum().backward();
        var y = values.clone().requires_grad_(true);
        var expected = autograd.grad(new[] { Dense(y, null, 0.37, Relaxation.Smoothstep, false).mul(weights).sum() }, new[] { y })[0];
        Assert.NotNull(x.grad);
        Assert.True(x.grad!.allclose(expected, rtol: 1e-9, atol: 1e-9));
    }

    [Theory]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void A_subnormal_temperature_keeps_ties_at_one_half(Relaxation relaxation)
    {
        // 1/τ overflows float64: capped as in MetricOps, so a score of 0 stays 0 rather than 0·∞ = NaN.
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.0, 0.0, 0.25, -0.25 }).requires_grad_(true);
        var result = SortedRankSums.Compute(x, null, 1e-320, relaxation, excludeSelf: false);
        Assert.Equal(new[] { 2.0, 2.0, 0.5, 3.5 }, result.data<double>().ToArray()); // R_i counts the j above i
        var grad = autograd.grad(new[] { result.sum() }, new[] { x })[0];
        Assert.All(grad.data<double>().ToArray(), g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void A_NaN_score_makes_its_row_NaN_and_leaves_the_others()
    {
        using var scope = NewDisposeScope();
        var values = tensor(new[,] { { 0.1, double.NaN, 0.3 }, { 0.1, 0.2, 0.3 } });
        var result = SortedRankSums.Compute(values, null, 0.1, Relaxation.Smoothstep, excludeSelf: false);
        Assert.All(result[0].data<double>().ToArray(), v => Assert.True(double.IsNaN(v)));
        Assert.All(result[1].data<double>().ToArray(), v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void Bad_arguments_are_refused_with_the_argument_named()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.1, 0.2 });
        foreach (var relaxation in new[] { Relaxation.Linear, Relaxation.Smoothstep })
        {
            Assert.Throws<ArgumentException>("temperature", () => SortedRankSums.Compute(x, null, 0, relaxation, false));
            Assert.Throws<ArgumentException>("temperature", () => SortedRankSums.Compute(x, null, -1, relaxation, false));
            Assert.Throws<ArgumentException>("temperature", () => SortedRankSums.Compute(x, null, double.PositiveInfinity, relaxation, false));
            Assert.Throws<ArgumentException>("temperature", () => SortedRankSums.Compute(x, null, double.NaN, relaxation, false));
            Assert.Throws<ArgumentException>("x", () => SortedRankSums.Compute(tensor(new long[] { 1, 2 }), null, 0.1, relaxation, false));
            Assert.Throws<ArgumentException>("x", () => SortedRankSums.Compute(tensor(0.5), null, 0.1, relaxation, false));
            Assert.Throws<ArgumentException>("mask", () => SortedRankSums.Compute(x, tensor(new[] { true, false, true }), 0.1, relaxation, false));
        }
        Assert.Throws<ArgumentException>("relaxation", () => SortedRankSums.Compute(x, null, 0.1, Relaxation.Sigmoid, false));
    }

    /// <summary>For both relaxations (LinearRankSums, a thin wrapper of the linear one, is covered by it).</summary>
    [Theory]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void Repeated_backward_calls_outside_a_scope_leave_no_growing_number_of_handles(Relaxation relaxation)
    {
        var x = tensor(new[] { 0.1, 0.5, -0.2, 0.9 }).requires_grad_(true);
        void Step()
        {
            using var value = SortedRankSums.Compute(x, null, 0.3, relaxation, excludeSelf: true);
            using var sum = value.sum();
            sum.backward();
            using var grad = x.grad;
            x.grad = null;
        }
        Step();
        Step();
        DisposeScopeManager.Statistics.Reset();
        var live = new List<long>();
        for (var i = 0; i < 100; i++)
        {
            Step();
            live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        Assert.True(live.Distinct().Count() == 1, $"live handles moved: {string.Join(", ", live.Distinct())}");
        x.Dispose();
    }
}
