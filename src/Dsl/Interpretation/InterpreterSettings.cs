using System;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// The run-time settings of the smooth program that are not options of the metric itself; they mirror
/// the generated <c>Options.Relaxation</c> and <c>Options.Epsilon</c>.
/// </summary>
/// <param name="Relaxation">The relaxation of score-dependent comparisons and steps.</param>
/// <param name="Epsilon">
/// The guard ε of the smooth program: a / b becomes a / max(b, ε), and the arguments of sqrt, log and
/// log2 are clamped to ≥ ε. Must be positive and finite.
/// </param>
public sealed record InterpreterSettings(Relaxation Relaxation = Relaxation.Sigmoid, double Epsilon = 1e-8)
{
    /// <summary>The settings used when none are given: σ and ε = 1e-8, as in the generated Options.</summary>
    public static InterpreterSettings Default { get; } = new();

    internal void Validate()
    {
        if (Relaxation is not (Relaxation.Sigmoid or Relaxation.Linear or Relaxation.Smoothstep))
        {
            throw new ArgumentException($"unknown relaxation {(int)Relaxation}; expected Sigmoid, Linear or Smoothstep", "settings");
        }
        // ε = 0 would turn a / max(b, ε) into a / 0 and log(max(x, ε)) into −∞: the very cases ε exists for.
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon))
        {
            throw new ArgumentException($"Epsilon must be positive and finite; found {Epsilon.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}", "settings");
        }
    }
}
