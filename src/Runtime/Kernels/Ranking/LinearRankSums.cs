using System;
using System.ComponentModel;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Smooth rank sums under <see cref="Relaxation.Linear"/> without pairs: per row,
/// R_i = Σ_j m_j · clamp(½ + (x_j − x_i)/(4τ), 0, 1) (minus the j = i term when <c>excludeSelf</c>), in
/// O(N log N) a row for value and gradient. <see cref="SortedRankSums"/> with the linear relaxation, kept under this name
/// for the callers that know only this relaxation.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LinearRankSums
{
    /// <summary>R over the last dimension of <paramref name="x"/> (rows over the leading ones), differentiable in x.</summary>
    /// <param name="x">Scores, [..., N], a floating dtype; any device.</param>
    /// <param name="mask">Constant weights m_j broadcastable to <paramref name="x"/> (a bool or 0/1 mask), or null for all 1.</param>
    /// <param name="temperature">τ &gt; 0.</param>
    /// <param name="excludeSelf">Leave out j = i (sum[j != i]).</param>
    /// <returns>R, shaped and typed as <paramref name="x"/>.</returns>
    /// <exception cref="ArgumentException">τ is not a positive finite number, x is not floating point or has no dimension, or the mask does not broadcast to it.</exception>
    public static Tensor Compute(Tensor x, Tensor? mask, double temperature, bool excludeSelf) =>
        SortedRankSums.Compute(x, mask, temperature, Relaxation.Linear, excludeSelf);
}
