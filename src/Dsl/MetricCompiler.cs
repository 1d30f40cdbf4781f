using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Binding;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Parsing;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl;

/// <summary>Where metric text comes from: a <c>.metric</c> file, or one <c>[Metric]</c> attribute.</summary>
public enum MetricHost
{
    File,
    Attribute,
}

/// <summary>The bound metrics of one text and every diagnostic found in it.</summary>
public sealed record MetricCompilation(IReadOnlyList<BoundMetric> Metrics, IReadOnlyList<DslDiagnostic> Diagnostics)
{
    /// <summary>Where each metric uses constructs beyond elementwise lowering (for back ends that lack one).</summary>
    public IReadOnlyList<FeatureUse> Features { get; init; } = Array.Empty<FeatureUse>();

    /// <summary>The span of each metric's name, for diagnostics about a whole metric.</summary>
    public IReadOnlyDictionary<string, SourceSpan> NameSpans { get; init; } = new Dictionary<string, SourceSpan>();

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// The front end in one call: parse, then bind every metric. Never throws on any input text; an
/// unexpected failure becomes an internal-error diagnostic instead.
/// </summary>
public static class MetricCompiler
{
    public static MetricCompilation Compile(string text, string? defaultNamespace, MetricHost host = MetricHost.File)
    {
        try
        {
            return CompileCore(text, defaultNamespace, host);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            var span = SourceSpan.FromOffsets(text, 0, 0);
            return new MetricCompilation(Array.Empty<BoundMetric>(), new[]
            {
                DiagnosticCatalog.Create(DiagnosticCatalog.InternalError, span,
                    $"the metric compiler failed unexpectedly ({exception.GetType().Name}: {exception.Message}); please report this with the metric text"),
            });
        }
    }

    private static MetricCompilation CompileCore(string text, string? defaultNamespace, MetricHost host)
    {
        var diagnostics = new List<DslDiagnostic>();
        var parsed = MetricParser.Parse(text);
        if (parsed.File is null)
        {
            diagnostics.Add(parsed.Error!);
            return new MetricCompilation(Array.Empty<BoundMetric>(), diagnostics);
        }

        var file = parsed.File;
        // An error of the whole text: its metrics are still bound (for their own diagnostics) but none is produced.
        var textError = host == MetricHost.Attribute && file.Namespace is not null;
        if (textError)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCatalog.NamespaceInAttribute, file.NamespaceSpan!.Value,
                "a [Metric] attribute takes its namespace from its class; remove the `namespace` line"));
        }
        if (file.Metrics.Count == 0)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCatalog.EmptyFile, SourceSpan.FromOffsets(text, 0, 0),
                "no metric is defined here; expected `metric Name(...) { ... }`"));
        }
        var ns = host == MetricHost.File ? file.Namespace ?? defaultNamespace : defaultNamespace;
        var metrics = new List<BoundMetric>();
        var features = new List<FeatureUse>();
        var nameSpans = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in file.Metrics)
        {
            if (!names.Add(metric.Name))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCatalog.DuplicateMetric, metric.NameSpan,
                    $"metric `{metric.Name}` is defined twice in this file"));
                continue;
            }
            var source = SourceFormatter.Format(text.Substring(metric.Span.Start, metric.Span.Length));
            nameSpans[metric.Name] = metric.NameSpan;
            var bound = MetricBinder.Bind(metric, text, ns, source, diagnostics, features);
            if (bound is not null) metrics.Add(bound);
        }
        if (textError) metrics.Clear();
        return new MetricCompilation(metrics, diagnostics) { Features = features, NameSpans = nameSpans };
    }
}
