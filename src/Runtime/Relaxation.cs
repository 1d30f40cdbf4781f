namespace MetricLoss;

/// <summary>
/// How the surrogate relaxes a score-dependent comparison: <c>a &gt; b</c> becomes relax(x) with x = (a − b)/τ, its
/// difference divided by its temperature (docs/language.md, "The two programs"). As τ → 0 each tends to the hard 0/1 value
/// wherever a ≠ b.
/// All three have relax(0) = ½, slope ¼ at 0 and relax(−x) = 1 − relax(x); side by side in docs/surrogates.md, §6.5.
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

    /// <summary>
    /// The cubic smoothstep of x over the band (−3, 3): 0 for x ≤ −3, 1 for x ≥ 3, and ½ + x/4 − x³/108 between (the
    /// Hermite cubic 3t² − 2t³ of t = (x + 3)/6). The same value and slope as σ at 0, continuously differentiable (its
    /// slope falls to 0 at ±3), so comparisons decided by 3τ or more pass no gradient; being a polynomial on a finite
    /// band, its rank sums have a sort-based form, as the linear ramp's (issue 15).
    /// </summary>
    Smoothstep,
}
