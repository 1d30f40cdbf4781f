using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MetricLoss.Dsl;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Tool.Evaluation;

/// <summary>
/// The runtime's catalogue (src/Runtime/Catalog/*.metric), embedded in the tool at build time so that
/// `eval F1` evaluates the very definitions the runtime's generated code is compiled from.
/// </summary>
internal static class Catalog
{
    private const string Prefix = "Catalog/";

    private static readonly Lazy<IReadOnlyDictionary<string, BoundMetric>> Metrics = new(Load);

    /// <summary>Every catalogue metric's name, in ordinal order.</summary>
    public static IEnumerable<string> Names => Metrics.Value.Keys;

    public static BoundMetric? Find(string name) => Metrics.Value.TryGetValue(name, out var metric) ? metric : null;

    private static IReadOnlyDictionary<string, BoundMetric> Load()
    {
        var assembly = typeof(Catalog).Assembly;
        var metrics = new SortedDictionary<string, BoundMetric>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var compilation = MetricCompiler.Compile(reader.ReadToEnd(), defaultNamespace: null);
            // The runtime's build compiles the same text, so an error here means the tool was built from a broken tree.
            if (compilation.HasErrors)
            {
                throw new InvalidOperationException($"the embedded catalogue file {resource} has errors: {compilation.Diagnostics.First(d => d.IsError)}");
            }
            foreach (var metric in compilation.Metrics) metrics.Add(metric.Name, metric);
        }
        return metrics;
    }
}
