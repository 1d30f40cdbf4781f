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
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class MetricAttribute : Attribute
{
    public MetricAttribute(string definition) => Definition = definition;

    /// <summary>The metric's definition in the MetricLoss language.</summary>
    public string Definition { get; }
}
