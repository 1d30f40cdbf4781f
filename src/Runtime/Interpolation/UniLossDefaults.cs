namespace MetricLoss.Interpolation;

/// <summary>
/// Defaults of interpolation mode (docs/language.md, "Interpolation mode (UniLoss)"): 1 ground-truth
/// anchor plus 16 good, 16 nearby and 16 random ones, as in the classification scripts of UniLoss (Liu, Wang,
/// Deng, "A Unified Framework of Surrogate Loss by Refactoring and Interpolation", ECCV 2020; <c>nsingle = 16</c>,
/// K = 49), and the ε of its pose loss (w = 1 / (d + 1e-8)).
/// </summary>
public static class UniLossDefaults
{
    /// <summary>Ground truth with one valid coordinate flipped.</summary>
    public const int Good = 16;

    /// <summary>The current hard state moved one coordinate towards the ground truth.</summary>
    public const int Nearby = 16;

    /// <summary>Uniform {0, 1} on the valid coordinates.</summary>
    public const int Random = 16;

    /// <summary>ε of the inverse-distance weights w = 1 / (d + ε).</summary>
    public const double Epsilon = 1e-8;
}
