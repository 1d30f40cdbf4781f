using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Smooth rank sums without pairs, for the relaxations that are a polynomial P on a band (−a, a) of u = (x_j − x_i)/τ
/// (<see cref="Relaxation.Linear"/>: ½ + u/4 on (−2, 2); <see cref="Relaxation.Smoothstep"/>: ½ + u/4 − u³/108 on
/// (−3, 3)): per row, R_i = Σ_j m_j·relax((x_j − x_i)/τ) (minus the j = i term when <c>excludeSelf</c>), in O(N log N) a
/// row for value and gradient, where the pairwise program costs O(N²). This is the relaxation itself, not an
/// approximation (issue 15).
/// </summary>
/// <remarks>
/// <para>Every j with x_j ≥ x_i + aτ contributes m_j, every j at or below x_i − aτ nothing, and those strictly between
/// m_j·P((x_j − x_i)/τ). After one sort of each row, each band is found by binary search and
/// Σ_band m_j·P(v_j − v_i) (v = x/τ) comes from prefix sums of m·w^p, p ≤ D, where w are local coordinates chosen so
/// that the prefix sums cannot cancel (<see cref="SortedBands"/>, which also says how ±∞ and very large scores are
/// taken). Prefix sums run in float64 on x's device; nothing is read back to the host.</para>
/// <para>Backward: ∂R_i/∂v_k = m_k·P′(v_k − v_i) for k in i's band, and ∂R_i/∂v_i = −Σ_band m_j·P′(v_j − v_i) (the
/// self term's two parts cancel, as in the pairwise program, where it is the constant P(0) = ½). The band relation is
/// symmetric, so with upstream gradients g,
/// ∂L/∂v_k = m_k·Σ_{i in band(k)} g_i·P′(v_k − v_i) − g_k·Σ_{j in band(k)} m_j·P′(v_j − v_k): two more band sums, of
/// degree D − 1, from the sort and searches kept by forward. At exactly |x_j − x_i| = aτ the one-sided slope 0 is
/// taken; for the smoothstep that is its slope (it is C¹), for the linear ramp autograd's clamp would take ¼ there.</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SortedRankSums : autograd.SingleTensorFunction<SortedRankSums>
{
    /// <summary>The autograd function's name, as it appears in the graph (<c>grad_fn</c>).</summary>
    public override string Name => "MetricLoss.SortedRankSums";

    /// <summary>R over the last dimension of <paramref name="x"/> (rows over the leading ones), differentiable in x.</summary>
    /// <param name="x">Scores, [..., N], a floating dtype; any device.</param>
    /// <param name="mask">Constant weights m_j broadcastable to <paramref name="x"/> (a bool or 0/1 mask), or null for all 1.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="relaxation"><see cref="Relaxation.Linear"/> or <see cref="Relaxation.Smoothstep"/>.</param>
    /// <param name="excludeSelf">Leave out j = i (sum[j != i]).</param>
    /// <returns>R, shaped and typed as <paramref name="x"/>; a row holding a NaN score is NaN.</returns>
    /// <exception cref="ArgumentException">τ is not a positive finite number, x is not floating point or has no
    /// dimension, the mask does not broadcast to it, or the relaxation has no sort-based form (σ).</exception>
    public static Tensor Compute(Tensor x, Tensor? mask, double temperature, Relaxation relaxation, bool excludeSelf)
    {
        if (x is null) throw new ArgumentNullException(nameof(x));
        var kernel = $"SortedRankSums ({relaxation})";
        if (BandPolynomial.Of(relaxation) is null) throw new ArgumentException($"{kernel}: only the Linear and Smoothstep relaxations are polynomials on a band; σ has no sort-based form.", nameof(relaxation));
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentException($"{kernel}: the temperature must be a positive finite number, found {temperature}.", nameof(temperature));
        if (x.IsInvalid) throw new ArgumentException($"{kernel}: x is a disposed tensor.", nameof(x));
        if (!x.is_floating_point() || x.dim() == 0) throw new ArgumentException($"{kernel}: x must be a floating tensor with at least one dimension, found {x.dtype} of shape [{string.Join(", ", x.shape)}].", nameof(x));
        HandedToAutograd.Release();
        using var scope = NewDisposeScope();
        Tensor weights;
        try
        {
            weights = mask is null ? ones_like(x, dtype: ScalarType.Float64) : mask.to(ScalarType.Float64, x.device).expand(x.shape).contiguous();
        }
        catch (Exception exception) when (exception is not ArgumentException)
        {
            throw new ArgumentException($"{kernel}: the mask of shape [{string.Join(", ", mask!.shape)}] does not broadcast to x's [{string.Join(", ", x.shape)}].", nameof(mask), exception);
        }
        // apply wraps forward's result in a handle of its own; the one forward returned is disposed with this scope.
        return apply(x, weights, temperature, relaxation, excludeSelf).MoveToOuterDisposeScope();
    }

    /// <summary>The autograd forward: R without a graph; keeps the sort, the bands and the weights' band sums for backward.</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, weights, temperature, relaxation, excludeSelf) = ((Tensor)vars[0], (Tensor)vars[1], (double)vars[2], (Relaxation)vars[3], (bool)vars[4]);
        using var scope = NewDisposeScope();
        var polynomial = BandPolynomial.Of(relaxation)!;
        var bands = SortedBands.Of(x, temperature, polynomial.HalfWidth);
        var sortedWeights = weights.gather(-1, bands.Order);
        var parts = bands.PartSums(sortedWeights, polynomial.Degree);
        // Σ_above m + Σ_band m·P(v_j − v_i)
        var result = bands.Above(sortedWeights).add_(bands.Combine(parts, polynomial), KeptScalars.One);
        if (excludeSelf)
        {
            using var atZero = polynomial.Coefficients[0].ToScalar();
            result.sub_(weights.mul(atZero));
        }
        // The pairwise program's row is NaN when one of its scores is (a NaN is not an order, docs/language.md).
        using var nan = double.NaN.ToScalar();
        result.masked_fill_(x.detach().isnan().any(-1, keepdim: true), nan);

        // Backward needs the band sums of the weights up to degree D − 1 (for P′), not the one of degree D.
        var intermediates = new List<Tensor> { sortedWeights };
        intermediates.AddRange(bands.ToSave());
        intermediates.AddRange(parts.First.Take(polynomial.Degree));
        intermediates.AddRange(parts.Second.Take(polynomial.Degree));
        // TorchSharp packs the saved tensors after forward returns, so those made here must outlive this scope: they
        // move to Compute's, which disposes these handles once apply has returned (the packed copies live on in the
        // graph). The weights are Compute's already.
        foreach (var tensor in intermediates) tensor.MoveToOuterDisposeScope();
        ctx.save_for_backward(intermediates.Prepend(weights).ToList());
        ctx.save_data("temperature", temperature);
        ctx.save_data("relaxation", relaxation);
        return result.to_type(x.dtype).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The autograd backward: ∂L/∂x_k = (m_k·Σ_{band(k)} g_i·P′(v_k − v_i) − g_k·Σ_{band(k)} m_j·P′(v_j − v_k))/τ, 0 for a
    /// score beyond the bound; none for the other arguments.
    /// </summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        // The gradient returned is read by LibTorch after this returns: disposed on the thread's next call.
        HandedToAutograd.Release();
        var saved = ctx.get_saved_variables();
        var temperature = (double)ctx.get_data("temperature");
        var polynomial = BandPolynomial.Of((Relaxation)ctx.get_data("relaxation"))!;
        Tensor grad;
        using (var scope = NewDisposeScope())
        {
            var (weights, sortedWeights) = (saved[0], saved[1]);
            var bands = SortedBands.FromSaved(saved, 2);
            var degree = polynomial.Degree;
            var start = 2 + SortedBands.SavedCount;
            var weightParts = (saved.Skip(start).Take(degree).ToArray(), saved.Skip(start + degree).Take(degree).ToArray());
            var slope = polynomial.Derivative();
            var g = gradOutput.to_type(ScalarType.Float64);
            // Σ_{i in band(k)} g_i·P′(v_k − v_i) = Σ g_i·Q(v_i − v_k) with Q(u) = P′(−u).
            var upstream = bands.Combine(bands.PartSums(g.gather(-1, bands.Order), degree - 1), slope.Reflected());
            var own = bands.Combine(weightParts, slope);
            using var inverse = SortedBands.InverseTemperature(temperature).ToScalar();
            grad = weights.mul(upstream).sub_(g.mul(own)).mul_(bands.Movable).mul_(inverse).to_type(gradOutput.dtype).MoveToOuterDisposeScope();
        }
        foreach (var tensor in saved) tensor.Dispose();
        gradOutput.Dispose();
        return new List<Tensor> { HandedToAutograd.Keep(grad), null!, null!, null!, null! };
    }
}
