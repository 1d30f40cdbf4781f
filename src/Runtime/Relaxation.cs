namespace MetricLoss;

/// <summary>How the surrogate relaxes a score-dependent comparison x (already divided by its temperature).</summary>
public enum Relaxation
{
    /// <summary>σ(x): smooth everywhere (the default; AnyLoss, RS@k and Smooth-AP all use it).</summary>
    Sigmoid,

    /// <summary>clamp(½ + x/4, 0, 1): the same slope as σ at 0, exactly 0 or 1 beyond |x| = 2.</summary>
    Linear,
}
