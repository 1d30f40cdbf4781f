namespace MetricLoss.Generator.Emit;

/// <summary>The two programs of a metric: they differ only in comparisons, divisions and guarded functions.</summary>
internal enum ProgramKind
{
    /// <summary>Hard comparisons, float64, division by zero gives 0 (scikit-learn's zero_division=0).</summary>
    Exact,

    /// <summary>Score-dependent comparisons relaxed with their temperature; a / max(b, ε) for a score-dependent b; sqrt/log of max(x, ε).</summary>
    Smooth,
}
