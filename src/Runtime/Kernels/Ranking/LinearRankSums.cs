using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Smooth rank sums under <see cref="Relaxation.Linear"/> without pairs: per row,
/// R_i = Σ_j m_j · clamp(½ + (x_j − x_i)/(4τ), 0, 1) (minus the j = i term when <c>excludeSelf</c>), in
/// O(N log N) a row for value and gradient, where the pairwise program costs O(N²).
/// </summary>
/// <remarks>
/// <para>The relaxation is piecewise linear in x_j: every j with x_j ≥ x_i + 2τ contributes m_j, every j at or below
/// x_i − 2τ nothing, and those strictly between m_j·(½ + (x_j − x_i)/(4τ)). After one sort of each row, the band of
/// each i is found by binary search and its sums Σ m_j and Σ m_j·x_j by prefix sums, so
/// R_i = Σ_{above} m_j + (½ − x_i/(4τ))·Σ_{band} m_j + Σ_{band} m_j·x_j/(4τ). This is the relaxation itself, not an
/// approximation (issue 15). The prefix sums run in float64 (a difference of prefix sums would cancel in float32),
/// on the rows' device; nothing is read back to the host.</para>
/// <para>Backward: ∂R_i/∂x_j = m_j/(4τ) for j in i's band, and ∂R_i/∂x_i = −Σ_{band} m_j/(4τ) (the self term's two
/// parts cancel, as in the pairwise program where it is a constant ½). The band relation is symmetric, so with upstream
/// gradients g, ∂L/∂x_k = m_k/(4τ)·Σ_{i in band(k)} g_i − g_k·Σ_{j in band(k)} m_j/(4τ): the same searches and one more
/// prefix sum. At exactly |x_j − x_i| = 2τ the kink's one-sided slope is taken as 0 (autograd's clamp takes 1/(4τ)
/// there); elsewhere the two agree.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LinearRankSums : autograd.SingleTensorFunction<LinearRankSums>
{
    /// <summary>The autograd function's name, as it appears in the graph (<c>grad_fn</c>).</summary>
    public override string Name => "MetricLoss.LinearRankSums";

    /// <summary>R over the last dimension of <paramref name="x"/> (rows over the leading ones), differentiable in x.</summary>
    /// <param name="x">Scores, [..., N], a floating dtype; any device.</param>
    /// <param name="mask">Constant weights m_j broadcastable to <paramref name="x"/> (a bool or 0/1 mask), or null for all 1.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="excludeSelf">Leave out j = i (sum[j != i]).</param>
    /// <returns>R, shaped and typed as <paramref name="x"/>.</returns>
    /// <exception cref="ArgumentException">τ is not a positive finite number, x is not floating point or has no dimension, or the mask does not broadcast to it.</exception>
    public static Tensor Compute(Tensor x, Tensor? mask, double temperature, bool excludeSelf)
    {
        if (x is null) throw new ArgumentNullException(nameof(x));
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentException($"LinearRankSums: the temperature must be a positive finite number, found {temperature}.", nameof(temperature));
        if (!x.is_floating_point() || x.dim() == 0) throw new ArgumentException($"LinearRankSums: x must be a floating tensor with at least one dimension, found {x.dtype} of shape [{string.Join(", ", x.shape)}].", nameof(x));
        HandedToAutograd.Release();
        using var scope = NewDisposeScope();
        Tensor weights;
        try
        {
            weights = mask is null ? ones_like(x, dtype: ScalarType.Float64) : mask.to_type(ScalarType.Float64).expand(x.shape).contiguous();
        }
        catch (Exception exception) when (exception is not ArgumentException)
        {
            throw new ArgumentException($"LinearRankSums: the mask of shape [{string.Join(", ", mask!.shape)}] does not broadcast to x's [{string.Join(", ", x.shape)}].", nameof(mask), exception);
        }
        // apply wraps forward's result in a handle of its own; the one forward returned is disposed with this scope.
        return apply(x, weights, temperature, excludeSelf).MoveToOuterDisposeScope();
    }

    /// <summary>The autograd forward: R without a graph; saves x, the weights and the row sorts for backward.</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, weights, temperature, excludeSelf) = ((Tensor)vars[0], (Tensor)vars[1], (double)vars[2], (bool)vars[3]);
        using var scope = NewDisposeScope();
        var bands = Bands.Of(x, weights, temperature);
        ctx.save_for_backward(new List<Tensor> { x, weights });
        ctx.save_data("temperature", temperature);

        using var quarterInverse = (1.0 / (4 * temperature)).ToScalar();
        using var half = 0.5.ToScalar();
        var x64 = x.to_type(ScalarType.Float64);
        // Σ_above m + (½ − x_i/(4τ))·Σ_band m + Σ_band m·x/(4τ)
        var result = bands.AboveWeight
            .add(bands.BandWeight.mul(x64.mul(quarterInverse).neg().add_(half, KeptScalars.One)), KeptScalars.One)
            .add(bands.BandWeightedX.mul(quarterInverse), KeptScalars.One);
        if (excludeSelf) result = result.sub(weights.mul(half));
        return result.to_type(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>The autograd backward: ∂L/∂x_k = m_k/(4τ)·Σ_{band(k)} g − g_k·Σ_{band(k)} m/(4τ); none for the other arguments.</summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        // The gradient returned is read by LibTorch after this returns: disposed on the thread's next call.
        HandedToAutograd.Release();
        var saved = ctx.get_saved_variables();
        var (x, weights) = (saved[0], saved[1]);
        var temperature = (double)ctx.get_data("temperature");
        Tensor grad;
        using (var scope = NewDisposeScope())
        {
            var g = gradOutput.to_type(ScalarType.Float64);
            var bands = Bands.Of(x, weights, temperature, g);
            using var quarterInverse = (1.0 / (4 * temperature)).ToScalar();
            grad = weights.mul(bands.BandUpstream!).sub(g.mul(bands.BandWeight)).mul_(quarterInverse).to_type(x.dtype).MoveToOuterDisposeScope();
        }
        foreach (var tensor in saved) tensor.Dispose();
        gradOutput.Dispose();
        return new List<Tensor> { HandedToAutograd.Keep(grad), null!, null!, null! };
    }

    /// <summary>Per position i of each row: the band's sums, and the weight above it.</summary>
    private sealed record Bands(Tensor AboveWeight, Tensor BandWeight, Tensor BandWeightedX, Tensor? BandUpstream)
    {
        /// <summary>
        /// Sorts each row once, finds each band (x_i − 2τ, x_i + 2τ) by binary search, and reads its sums from
        /// exclusive prefix sums (float64) of the sorted weights, weights·x and, for backward, upstream gradients.
        /// </summary>
        public static Bands Of(Tensor x, Tensor weights, double temperature, Tensor? upstream = null)
        {
            var x64 = x.detach().to_type(ScalarType.Float64);
            var (sorted, order) = x64.sort(-1, descending: false);
            using var width = (2 * temperature).ToScalar();
            var low = searchsorted(sorted, x64.sub(width), right: true);   // first x_j > x_i − 2τ
            var high = searchsorted(sorted, x64.add(width, KeptScalars.One), right: false); // first x_j ≥ x_i + 2τ
            var sortedWeights = weights.gather(-1, order);
            var weightSums = Prefix(sortedWeights);
            var band = weightSums.gather(-1, high).sub(weightSums.gather(-1, low));
            var total = weightSums.narrow(-1, weightSums.shape[^1] - 1, 1);
            var above = total.sub(weightSums.gather(-1, high));
            var xSums = Prefix(sortedWeights.mul(sorted));
            var bandX = xSums.gather(-1, high).sub(xSums.gather(-1, low));
            Tensor? bandUpstream = null;
            if (upstream is not null)
            {
                var upstreamSums = Prefix(upstream.gather(-1, order));
                bandUpstream = upstreamSums.gather(-1, high).sub(upstreamSums.gather(-1, low));
            }
            return new Bands(above, band, bandX, bandUpstream);
        }

        /// <summary>[0, v_0, v_0 + v_1, …] along the last dimension: N + 1 exclusive prefix sums.</summary>
        private static Tensor Prefix(Tensor values)
        {
            var shape = values.shape.ToArray();
            shape[^1] = 1;
            return cat(new[] { zeros(shape, dtype: ScalarType.Float64, device: values.device), values.cumsum(-1) }, -1);
        }
    }
}
