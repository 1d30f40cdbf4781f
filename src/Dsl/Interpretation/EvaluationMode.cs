namespace MetricLoss.Dsl.Interpretation;

/// <summary>Which of the two programs of a metric is evaluated (docs/language.md: exact evaluator, smooth surrogate).</summary>
internal enum EvaluationMode
{
    /// <summary>Comparisons and steps are hard; a / 0 = 0.</summary>
    Exact,

    /// <summary>Comparisons and steps with a temperature are relaxed; divisions and logs are guarded by ε.</summary>
    Smooth,
}
