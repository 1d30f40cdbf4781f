namespace MetricLoss;

/// <summary>
/// How the surrogate relaxes a score-dependent comparison: <c>a &gt; b</c> becomes relax(x) with x = (a − b)/τ, its
/// difference divided by its temperature (docs/language.md, "The two programs"). As τ → 0 both tend to the hard 0/1 value
/// wherever a ≠ b.
/// </summary>
public enum Relaxation
{
    /// <summary>
    /// σ(x) = 1/(1 + e^−x): smooth everywhere, with a gradient at every x. The default, and the relaxation of AnyLoss
    /// (Han, Moniz, Chawla, KDD 2024), RS@k (Patel, Tolias, Matas, CVPR 2022) and Smooth-AP (Brown et al., ECCV 2020).
    /// </summary>
    Sigmoid,

    /// <summary>
    /// clamp(½ + x/4, 0, 1): the same value and slope as σ at 0, exactly 0 or 1 beyond |x| = 2, so comparisons
    /// decided by more than 2τ pass no gradient.
    /// </summary>
    Linear,
}
