using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// The sort-based form of a smooth rank, R_i = Σ_j m_j · relax((x_j − x_i)/τ) per row (minus j = i when asked), that
/// generated surrogates call in place of the chunked pairwise program when the relaxation allows it
/// (<see cref="Applies"/>; docs/architecture.md, "Lowering: the performance contract"). O(N log N) a row for value
/// and gradient instead of O(N²), and equal to the pairwise program: the relaxation is piecewise polynomial, so the
/// sum is computed exactly from sorted prefix sums (<see cref="SortedRankSums"/>), not approximated.
/// </summary>
/// <remarks>
/// Infinite scores are ordered as the pairwise program orders them (docs/language.md, "Infinite scores"): the kernel
/// bounds the scaled scores, so an infinity is above or below every finite score, two equal infinities are a tie, and
/// an infinite score gets gradient 0 (<see cref="SortedRankSums"/>).
/// </remarks>
public static class SmoothRankSums
{
    /// <summary>
    /// Whether a generated surrogate takes its sort-based program under these options: the relaxation is one whose
    /// rank sums have a sort-based kernel (<see cref="Relaxation.Linear"/>, <see cref="Relaxation.Smoothstep"/>), and
    /// <see cref="MetricOptions.SortBasedRanks"/> asks for it or, by default, the pairwise program does not restrict
    /// its rows to a support (<paramref name="rowSupports"/>: there it costs O(N·|P|) a row, which beats the sort for
    /// few positives). σ's tails never vanish, so under <see cref="Relaxation.Sigmoid"/> the pairwise program is kept.
    /// </summary>
    /// <param name="options">The call's options.</param>
    /// <param name="rowSupports">Whether the metric's pairwise program restricts rows to a support (the generator knows).</param>
    /// <returns>True when the sort-based program runs.</returns>
    public static bool Applies(MetricOptions options, bool rowSupports)
    {
        if (options is null) throw new ArgumentNullException(nameof(options));
        return HasKernel(options.Relaxation) && (options.SortBasedRanks ?? !rowSupports);
    }

    /// <summary>Whether the relaxation's rank sums have a sort-based kernel.</summary>
    /// <param name="relaxation">A relaxation.</param>
    /// <returns>True for <see cref="Relaxation.Linear"/> and <see cref="Relaxation.Smoothstep"/>.</returns>
    public static bool HasKernel(Relaxation relaxation) => relaxation is Relaxation.Linear or Relaxation.Smoothstep;

    /// <summary>R over the last dimension of <paramref name="x"/> (rows over the leading ones), differentiable in x.</summary>
    /// <param name="x">Scores, [..., N], a floating dtype, ±∞ allowed; any device.</param>
    /// <param name="mask">Constant weights m_j broadcastable to <paramref name="x"/>, or null for all 1.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="excludeSelf">Leave out j = i (<c>sum[j != i]</c>).</param>
    /// <param name="relaxation">The relaxation; one for which <see cref="HasKernel"/> holds.</param>
    /// <returns>R, shaped and typed as <paramref name="x"/>, on its device.</returns>
    /// <exception cref="ArgumentException">The relaxation has no sort-based kernel, or the kernel refuses its arguments.</exception>
    public static Tensor Sum(Tensor x, Tensor? mask, double temperature, bool excludeSelf, Relaxation relaxation) =>
        Sum(x, mask, temperature, excludeSelf, relaxation, rows: null);

    /// <summary>R over the last dimension of <paramref name="x"/>, only at the items of <paramref name="rows"/> (0 elsewhere), differentiable in x.</summary>
    /// <param name="x">Scores, [..., N], a floating dtype, ±∞ allowed; any device.</param>
    /// <param name="mask">Constant weights m_j broadcastable to <paramref name="x"/>, or null for all 1.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="excludeSelf">Leave out j = i (<c>sum[j != i]</c>).</param>
    /// <param name="relaxation">The relaxation; one for which <see cref="HasKernel"/> holds.</param>
    /// <param name="rows">A constant mask broadcastable to <paramref name="x"/> (bool or 0/1): the items i whose R_i is
    /// wanted, or null for all. The result is 0 at the others (no gradient flows from them), and on the CPU the band
    /// searches and coefficients cost only the wanted items (the sort and prefix sums still cover whole rows): the form
    /// for a rank read only under a constant mask over i, as RS@k and mAP read each query's positives' ranks.</param>
    /// <returns>R, shaped and typed as <paramref name="x"/>, on its device.</returns>
    /// <exception cref="ArgumentException">The relaxation has no sort-based kernel, or the kernel refuses its arguments.</exception>
    public static Tensor Sum(Tensor x, Tensor? mask, double temperature, bool excludeSelf, Relaxation relaxation, Tensor? rows)
    {
        if (x is null) throw new ArgumentNullException(nameof(x));
        if (!HasKernel(relaxation)) throw new ArgumentException($"SmoothRankSums: the relaxation {relaxation} has no sort-based kernel; the pairwise program computes it.", nameof(relaxation));
        return SortedRankSums.Compute(x, mask, temperature, relaxation, excludeSelf, rows);
    }
}
