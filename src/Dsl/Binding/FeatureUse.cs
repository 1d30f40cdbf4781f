using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Binding;

/// <summary>
/// Language constructs that need more than elementwise lowering. The binder records where each is used,
/// so that a back end that does not lower one yet can say so at the right place.
/// </summary>
public enum LanguageFeature
{
    /// <summary>An index through an <c>index&lt;c&gt;</c> input: <c>logit[n, target[n]]</c>.</summary>
    Gather,
    /// <summary>A reduction binder that skips a position: <c>sum[j != i]</c>.</summary>
    Exclusion,
    /// <summary>A vector option indexed by an axis: <c>k[m]</c>.</summary>
    VectorOption,
    /// <summary><c>ideal_dcg[i](gain, k)</c>.</summary>
    IdealDcg,
    /// <summary>An <c>interpolate</c> metric (UniLoss).</summary>
    Interpolation,
    /// <summary>A value over axes that no single input spans, such as the pairs <c>[i, j]</c> of one axis.</summary>
    CrossAxes,
}

/// <summary>One use of a <see cref="LanguageFeature"/> in a metric.</summary>
public sealed record FeatureUse(string Metric, LanguageFeature Feature, SourceSpan Span);
