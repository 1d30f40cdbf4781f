using System;
using System.Collections.Generic;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Smooth rank sums without pairs, for the relaxations that are a polynomial P on a band (−a, a) of u = (x_j − x_i)/τ
/// (<see cref="Relaxation.Linear"/>: ½ + u/4 on (−2, 2); <see cref="Relaxation.Smoothstep"/>: ½ + u/4 − u³/108 on
/// (−3, 3)): per row, R_i = Σ_j m_j·relax((x_j − x_i)/τ) (minus the j = i term when <c>excludeSelf</c>), in O(N log N) a
/// row for value and gradient, where the pairwise program costs O(N²). This is the relaxation itself, not an
/// approximation (issue 15). Optionally only for the items i of a row restriction r (R_i·[r_i ≠ 0]): the sort and the
/// prefix sums still cover the whole row, the band searches and coefficients only the wanted items (on the CPU).
/// </summary>
/// <remarks>
/// <para>Every j with x_j ≥ x_i + aτ contributes m_j, every j at or below x_i − aτ nothing, and those strictly between
/// m_j·P((x_j − x_i)/τ). After one sort of each row, each band is found by binary search and
/// Σ_band m_j·P(v_j − v_i) (v = x/τ) comes from prefix sums of m·w^p, p ≤ D, where w are local coordinates chosen so
/// that the prefix sums cannot cancel (<see cref="SortedBands"/>, which also says how ±∞ and very large scores are
/// taken). Prefix sums run in float64 on x's device; nothing is read back to the host but, under a row restriction on
/// the CPU, the number of wanted items of a block (<see cref="RowQueries"/>).</para>
/// <para>Backward: ∂R_i/∂v_k = m_k·P′(v_k − v_i) for k in i's band, and ∂R_i/∂v_i = −Σ_band m_j·P′(v_j − v_i) (the
/// self term's two parts cancel, as in the pairwise program, where it is the constant P(0) = ½). With upstream
/// gradients g (0 at the items not wanted),
/// ∂L/∂v_k = m_k·Σ_{i: k in band(i)} g_i·P′(v_k − v_i) − g_k·Σ_{j in band(k)} m_j·P′(v_j − v_k): the second a band sum
/// of degree D − 1 per wanted item, the first the transposed sum, spread from the wanted items' bands over the sorted
/// positions (<see cref="SortedBands.Spread"/>). At exactly |x_j − x_i| = aτ the one-sided slope 0 is taken; for the
/// smoothstep that is its slope (it is C¹), for the linear ramp autograd's clamp would take ¼ there.</para>
/// <para>Memory and time: the rows are taken in blocks of about 2¹⁷ scores on the CPU (one block on other devices),
/// and backward sorts and searches again instead of keeping forward's [.., N] intermediates: it keeps only x and the
/// constant masks. Profiled at 4,000 × 4,000 float32 (issue 15), each fresh tensor of the whole input cost 0.4–0.9 s in
/// page faults, more than the sort, and the earlier form, which kept ten of them for backward, took 30–35 s and 3 GB
/// (docs/benchmarks.md, "--sorted-ranks").</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class SortedRankSums : autograd.SingleTensorFunction<SortedRankSums>
{
    /// <summary>Scores per block of rows on the CPU: each float64 temporary of a block is 1 MB, reused by the allocator.</summary>
    private const long BlockElements = 1L << 17;

    /// <summary>The autograd function's name, as it appears in the graph (<c>grad_fn</c>).</summary>
    public override string Name => "MetricLoss.SortedRankSums";

    /// <summary>R over the last dimension of <paramref name="x"/> (rows over the leading ones), differentiable in x.</summary>
    /// <param name="x">Scores, [..., N], a floating dtype; any device.</param>
    /// <param name="mask">Constant weights m_j broadcastable to <paramref name="x"/> (a bool or 0/1 mask), or null for all 1.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="relaxation"><see cref="Relaxation.Linear"/> or <see cref="Relaxation.Smoothstep"/>.</param>
    /// <param name="excludeSelf">Leave out j = i (sum[j != i]).</param>
    /// <param name="rows">A constant mask broadcastable to <paramref name="x"/> (bool or 0/1): the items i whose R_i is
    /// wanted; the result is 0 at the others and no gradient flows from them. Null for every item.</param>
    /// <returns>R, shaped and typed as <paramref name="x"/>; a row holding a NaN score is NaN (at its wanted items).</returns>
    /// <exception cref="ArgumentException">τ is not a positive finite number, x is not floating point or has no
    /// dimension, a mask does not broadcast to it, or the relaxation has no sort-based form (σ).</exception>
    public static Tensor Compute(Tensor x, Tensor? mask, double temperature, Relaxation relaxation, bool excludeSelf, Tensor? rows = null)
    {
        if (x is null) throw new ArgumentNullException(nameof(x));
        var kernel = $"SortedRankSums ({relaxation})";
        if (BandPolynomial.Of(relaxation) is null) throw new ArgumentException($"{kernel}: only the Linear and Smoothstep relaxations are polynomials on a band; σ has no sort-based form.", nameof(relaxation));
        if (!(temperature > 0) || double.IsInfinity(temperature)) throw new ArgumentException($"{kernel}: the temperature must be a positive finite number, found {temperature}.", nameof(temperature));
        if (x.IsInvalid) throw new ArgumentException($"{kernel}: x is a disposed tensor.", nameof(x));
        if (!x.is_floating_point() || x.dim() == 0) throw new ArgumentException($"{kernel}: x must be a floating tensor with at least one dimension, found {x.dtype} of shape [{string.Join(", ", x.shape)}].", nameof(x));
        RequireBroadcast(kernel, nameof(mask), mask, x);
        RequireBroadcast(kernel, nameof(rows), rows, x);
        HandedToAutograd.Release();
        using var scope = NewDisposeScope();
        var constants = new[] { RowsOf(mask, x), RowsOf(rows, x) };
        // apply wraps forward's result in a handle of its own; the one forward returned is disposed with this scope.
        return apply(x, constants, temperature, relaxation, excludeSelf).MoveToOuterDisposeScope();
    }

    /// <summary>The autograd forward: R without a graph, block by block; keeps x and the constant masks for backward.</summary>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, constants, temperature, relaxation, excludeSelf) = ((Tensor)vars[0], (Tensor?[])vars[1], (double)vars[2], (Relaxation)vars[3], (bool)vars[4]);
        var (mask, rows) = (constants[0], constants[1]);
        var polynomial = BandPolynomial.Of(relaxation)!;
        var n = x.shape[^1];
        Tensor result;
        using (var outer = NewDisposeScope())
        {
            var scores = Flat(x.detach());
            var flat = empty(scores.shape, dtype: x.dtype, device: x.device);
            using var atZero = polynomial.Coefficients[0].ToScalar();
            using var nan = double.NaN.ToScalar();
            using var zero = 0.0.ToScalar();
            foreach (var (start, length) in Blocks(scores.shape[0], n, x.device))
            {
                using var blockScope = NewDisposeScope();
                if (RankBlock.Of(scores, flat, mask, rows, start, length, temperature, polynomial.HalfWidth) is not { } block) continue;
                var (target, queries, xb, bands, weights, sortedWeights) = block;
                // Σ_above m + Σ_band m·P(v_j − v_i)
                var r = bands.Above(sortedWeights).add_(bands.Combine(bands.PartSums(sortedWeights, polynomial.Degree), polynomial), KeptScalars.One);
                if (excludeSelf)
                {
                    if (weights is null) r.sub_(atZero);
                    else r.sub_(bands.At(weights).mul(atZero));
                }
                // The pairwise program's row is NaN when one of its scores is (a NaN is not an order, docs/language.md).
                var nanRows = xb.isnan().any(-1, keepdim: true);
                var wanted = queries.WeightsOf(bands);
                if (wanted is null) r.masked_fill_(nanRows, nan);
                else r.mul_(wanted).masked_fill_(nanRows.logical_and(wanted.ne(zero)), nan);
                target.copy_(bands.Place(r));
            }
            result = flat.reshape(x.shape).MoveToOuterDisposeScope();
        }
        var saved = new List<Tensor> { x };
        if (mask is not null) saved.Add(mask);
        if (rows is not null) saved.Add(rows);
        // The constants are Compute's: TorchSharp packs the saved tensors after forward returns, and Compute's scope
        // disposes these handles once apply has returned (the packed copies live on in the graph).
        ctx.save_for_backward(saved);
        ctx.save_data("masked", mask is not null);
        ctx.save_data("restricted", rows is not null);
        ctx.save_data("temperature", temperature);
        ctx.save_data("relaxation", relaxation);
        return result;
    }

    /// <summary>
    /// The autograd backward: ∂L/∂x_k = (m_k·Σ_{i: k in band(i)} g_i·P′(v_k − v_i) − g_k·Σ_{band(k)} m_j·P′(v_j − v_k))/τ,
    /// 0 for a score beyond the bound, block by block after sorting again; none for the other arguments.
    /// </summary>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        // The gradient returned is read by LibTorch after this returns: disposed on the thread's next call.
        HandedToAutograd.Release();
        var saved = ctx.get_saved_variables();
        var temperature = (double)ctx.get_data("temperature");
        var polynomial = BandPolynomial.Of((Relaxation)ctx.get_data("relaxation"))!;
        var mask = (bool)ctx.get_data("masked") ? saved[1] : null;
        var rows = (bool)ctx.get_data("restricted") ? saved[^1] : null;
        var slope = polynomial.Derivative();
        Tensor grad;
        using (var scope = NewDisposeScope())
        {
            var x = saved[0];
            var n = x.shape[^1];
            var scores = Flat(x.detach());
            var upstream = Flat(gradOutput);
            var flat = empty(scores.shape, dtype: gradOutput.dtype, device: x.device);
            using var inverse = SortedBands.InverseTemperature(temperature).ToScalar();
            foreach (var (start, length) in Blocks(scores.shape[0], n, x.device))
            {
                using var blockScope = NewDisposeScope();
                if (RankBlock.Of(scores, flat, mask, rows, start, length, temperature, polynomial.HalfWidth) is not { } block) continue;
                var (target, queries, xb, bands, weights, sortedWeights) = block;
                var g = bands.At(upstream.narrow(0, start, length).to_type(ScalarType.Float64));
                if (queries.WeightsOf(bands) is { } wanted) g = g.mul(wanted);
                // −g_k·Σ_{j in band(k)} m_j·P′(v_j − v_k), at the wanted items.
                var own = bands.Place(bands.Combine(bands.PartSums(sortedWeights, slope.Degree), slope).mul_(g));
                // m_k·Σ_{i: k in band(i)} g_i·P′(v_k − v_i), spread over the sorted positions, then back to the items.
                var spread = zeros(xb.shape, dtype: ScalarType.Float64, device: x.device).scatter_(-1, bands.Order, bands.Spread(g, slope));
                if (weights is not null) spread.mul_(weights);
                target.copy_(spread.sub_(own).mul_(SortedBands.Movable(xb, temperature)).mul_(inverse));
            }
            grad = flat.reshape(x.shape).MoveToOuterDisposeScope();
        }
        foreach (var tensor in saved) tensor.Dispose();
        gradOutput.Dispose();
        return new List<Tensor> { HandedToAutograd.Keep(grad), null!, null!, null!, null! };
    }

    /// <summary>
    /// Consecutive blocks of rows, (start, length): about <see cref="BlockElements"/> scores each on the CPU (at least
    /// one row), all rows at once on other devices, whose caching allocators reuse memory without faulting it in and
    /// whose kernels want large launches.
    /// </summary>
    private static IEnumerable<(long Start, long Length)> Blocks(long rowCount, long n, Device device)
    {
        var step = device.type == DeviceType.CPU ? Math.Max(1, BlockElements / Math.Max(1, n)) : rowCount;
        for (long start = 0; start < rowCount; start += step) yield return (start, Math.Min(step, rowCount - start));
    }

    /// <summary>A constant mask as [rows, N] like x's rows (a view where the layout allows it, else a copy in its own dtype), on x's device.</summary>
    private static Tensor? RowsOf(Tensor? mask, Tensor x) => mask is null ? null : Flat(mask.to(x.device).expand(x.shape));

    /// <summary>[..., N] as [rows, N] (rows = 0 for N = 0, where −1 cannot be inferred).</summary>
    private static Tensor Flat(Tensor t)
    {
        var n = t.shape[^1];
        return t.reshape(n == 0 ? 0 : t.numel() / n, n);
    }

    /// <summary>Refuses a mask that does not broadcast to x (numpy's rule: trailing dimensions equal or 1), naming it.</summary>
    private static void RequireBroadcast(string kernel, string name, Tensor? mask, Tensor x)
    {
        if (mask is null) return;
        if (mask.IsInvalid) throw new ArgumentException($"{kernel}: {name} is a disposed tensor.", name);
        var (m, s) = (mask.shape, x.shape);
        var fits = m.Length <= s.Length;
        for (var k = 1; fits && k <= m.Length; k++) fits = m[^k] == s[^k] || m[^k] == 1;
        if (!fits) throw new ArgumentException($"{kernel}: the {name} of shape [{string.Join(", ", m)}] does not broadcast to x's [{string.Join(", ", s)}].", name);
    }
}
