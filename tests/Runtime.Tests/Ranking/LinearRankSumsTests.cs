using MetricLoss.Runtime.Ranking;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// The sort-based smooth rank sums equal the pairwise program they replace, value and gradient: per row
/// Σ_j m_j·relax((x_j − x_i)/τ) with the linear relaxation (MetricOps.Relax), with and without j = i.
/// </summary>
[Collection(ResourceCountingCollection.Name)]
public class LinearRankSumsTests
{
    /// <summary>The pairwise program: an [.., N, N] tensor of relaxed differences, masked and summed over j.</summary>
    private static Tensor Dense(Tensor x, Tensor? mask, double tau, bool excludeSelf)
    {
        var difference = x.unsqueeze(-2).sub(x.unsqueeze(-1)); // [.., i, j]: x_j − x_i
        var relaxed = MetricOps.Relax(difference, tau, Relaxation.Linear);
        if (mask is not null) relaxed = relaxed.mul(mask.to_type(x.dtype).unsqueeze(-2));
        if (excludeSelf) relaxed = relaxed.mul(eye(x.shape[^1], dtype: x.dtype).neg().add(1.0));
        return relaxed.sum(-1);
    }

    [Theory]
    [InlineData(ScalarType.Float64, false, false, 1e-10)]
    [InlineData(ScalarType.Float64, true, false, 1e-10)]
    [InlineData(ScalarType.Float64, true, true, 1e-10)]
    [InlineData(ScalarType.Float32, true, true, 2e-5)]
    public void Value_and_gradient_equal_the_pairwise_program(ScalarType dtype, bool masked, bool excludeSelf, double tolerance)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(17);
        // Scores on a grid of 0.1 (ties), τ = 0.37 so that no difference lands on the band's edges ±2τ.
        var values = randint(-30, 30, new long[] { 3, 64 }, generator: generator).to_type(ScalarType.Float64).mul(0.1);
        var mask = masked ? rand(new long[] { 3, 64 }, generator: generator).lt(0.4) : null;
        var upstream = randn(new long[] { 3, 64 }, dtype: ScalarType.Float64, generator: generator);
        const double tau = 0.37;

        var x = values.to_type(dtype).requires_grad_(true);
        var sorted = LinearRankSums.Compute(x, mask, tau, excludeSelf);
        var sortedGrad = autograd.grad(new[] { sorted.to_type(ScalarType.Float64).mul(upstream).sum() }, new[] { x })[0];
        var reference = values.requires_grad_(true);
        var dense = Dense(reference, mask, tau, excludeSelf);
        var denseGrad = autograd.grad(new[] { dense.mul(upstream).sum() }, new[] { reference })[0];

        Assert.Equal(dtype, sorted.dtype);
        Assert.True(sorted.to_type(ScalarType.Float64).allclose(dense, rtol: tolerance, atol: tolerance), $"max |Δ| {sorted.to_type(ScalarType.Float64).sub(dense).abs().max().item<double>()}");
        Assert.True(sortedGrad.to_type(ScalarType.Float64).allclose(denseGrad, rtol: tolerance, atol: tolerance), $"max |Δ grad| {sortedGrad.to_type(ScalarType.Float64).sub(denseGrad).abs().max().item<double>()}");
    }

    [Fact]
    public void A_single_item_and_a_row_of_ties_are_handled()
    {
        using var scope = NewDisposeScope();
        var one = LinearRankSums.Compute(tensor(new[] { 0.3 }), null, 0.1, excludeSelf: false);
        Assert.Equal(0.5, one.item<double>(), 12);
        var ties = LinearRankSums.Compute(full(new long[] { 5 }, 2.0, dtype: ScalarType.Float64), null, 0.1, excludeSelf: true);
        Assert.All(ties.data<double>().ToArray(), v => Assert.Equal(2.0, v, 12)); // four others, each ½
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new[] { 0.1, 0.2 });
        Assert.Throws<ArgumentException>("temperature", () => LinearRankSums.Compute(x, null, 0, false));
        Assert.Throws<ArgumentException>("temperature", () => LinearRankSums.Compute(x, null, double.NaN, false));
        Assert.Throws<ArgumentException>("x", () => LinearRankSums.Compute(tensor(new long[] { 1, 2 }), null, 0.1, false));
        Assert.Throws<ArgumentException>("mask", () => LinearRankSums.Compute(x, tensor(new[] { true, false, true }), 0.1, false));
    }
}
