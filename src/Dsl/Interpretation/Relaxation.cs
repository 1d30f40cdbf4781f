namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// How the smooth program relaxes a score-dependent comparison (docs/language.md, "Semantics"): the
/// margin x = (a − b) / τ becomes a number in [0, 1] instead of a hard 0/1.
/// </summary>
public enum Relaxation
{
    /// <summary>σ(x) = 1 / (1 + e^(−x)), the default.</summary>
    Sigmoid,

    /// <summary>clamp(½ + x/4, 0, 1): the same value and slope as σ at 0, saturating at |x| = 2.</summary>
    Linear,

    /// <summary>
    /// The cubic smoothstep: 0 for x ≤ −3, 1 for x ≥ 3, ½ + x/4 − x³/108 between (3t² − 2t³, t = (x + 3)/6): the same
    /// value and slope as σ at 0, continuously differentiable, saturating at |x| = 3.
    /// </summary>
    Smoothstep,
}
