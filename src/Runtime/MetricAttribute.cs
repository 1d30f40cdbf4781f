using System;

namespace MetricLoss;

/// <summary>
/// Declares a metric on a <c>static partial class</c>; the MetricLoss generator fills the class with
/// the surrogate loss, the exact evaluator, Options, Criterion and Info. The metric's name must equal
/// the class name; the class's namespace is used.
/// </summary>
/// <example><code>
/// [Metric("""
///     metric Fowlkes(score: real[n], label: bool[n], tau: real = 1) {
///         pred[n] = score[n] > 0;
///         tp = sum[n](pred[n] &amp; label[n]);
///         maximize tp / sqrt((tp + sum[n](pred[n] &amp; !label[n])) * sum[n](label[n]));
///     }
///     """)]
/// public static partial class Fowlkes;
/// </code></example>
/// <remarks>
/// The attribute is read at compile time only. The generator reports its misuse as MTR0200–MTR0203
/// (docs/diagnostics.md): a class that is not <c>static partial</c>, a metric named otherwise than the class, an
/// argument that is not a constant string, or other than exactly one metric in it; errors in the definition are
/// reported at their position inside the string literal. At run time the attribute has no effect.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MetricAttribute : Attribute
{
    /// <summary>Declares the metric written in <paramref name="definition"/> on the class.</summary>
    /// <param name="definition">One <c>metric</c> in the MetricLoss language (docs/language.md); a raw string literal
    /// keeps it readable.</param>
    public MetricAttribute(string definition) => Definition = definition;

    /// <summary>The metric's definition in the MetricLoss language.</summary>
    public string Definition { get; }
}
