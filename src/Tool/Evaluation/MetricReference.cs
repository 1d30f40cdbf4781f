using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MetricLoss.Dsl;
using MetricLoss.Dsl.Bound;
using MetricLoss.Tool.Commands;
using MetricLoss.Tool.Generation;
using Microsoft.CodeAnalysis;

namespace MetricLoss.Tool.Evaluation;

/// <summary>
/// The METRIC argument of <c>eval</c>: a catalogue name (<c>F1</c>), a file (<c>path/to/file.metric</c>) or one
/// metric of a file (<c>path/to/file.metric:Name</c>).
/// </summary>
internal static class MetricReference
{
    /// <summary>
    /// The bound metric and, for a file, the generator's diagnostics (warnings are worth showing too);
    /// no metric when they include an error.
    /// </summary>
    public static (BoundMetric? Metric, IReadOnlyList<Diagnostic> Diagnostics) Resolve(string argument)
    {
        var (path, name) = Split(argument);
        if (path is null) return (FromCatalog(argument), Array.Empty<Diagnostic>());

        var files = MetricFile.ReadAll(new[] { path });
        // The generator decides whether the file is valid, so eval accepts exactly what a build accepts.
        var generated = GeneratorHost.Run(files, NamespaceOption.Default);
        if (generated.HasErrors) return (null, generated.Diagnostics);
        return (Select(path, name, MetricCompiler.Compile(files[0].Text, NamespaceOption.Default).Metrics), generated.Diagnostics);
    }

    private static BoundMetric Select(string path, string? name, IReadOnlyList<BoundMetric> metrics)
    {
        var defined = string.Join(", ", metrics.Select(m => $"`{m.Name}`"));
        if (name is not null)
        {
            return metrics.FirstOrDefault(m => m.Name == name)
                ?? throw new UsageException($"eval: `{path}` has no metric `{name}`; it defines {(metrics.Count == 0 ? "none" : defined)}");
        }
        return metrics.Count switch
        {
            1 => metrics[0],
            0 => throw new UsageException($"eval: `{path}` defines no metric"),
            _ => throw new UsageException($"eval: `{path}` defines {metrics.Count} metrics ({defined}); name one as {path}:{metrics[0].Name}"),
        };
    }

    /// <summary>A path to a .metric file (with an optional <c>:Name</c>), or (null, null) for a catalogue name.</summary>
    private static (string? Path, string? Name) Split(string argument)
    {
        if (argument.EndsWith(".metric", StringComparison.OrdinalIgnoreCase)) return (argument, null);
        // The last colon, so that a Windows drive letter (C:\...) stays in the path.
        var colon = argument.LastIndexOf(':');
        if (colon > 0 && argument[..colon].EndsWith(".metric", StringComparison.OrdinalIgnoreCase))
        {
            return (argument[..colon], argument[(colon + 1)..]);
        }
        if (argument.Contains('/') || argument.Contains(Path.DirectorySeparatorChar) || argument.Contains('.'))
        {
            throw new UsageException($"eval: `{argument}` is neither a catalogue metric nor a .metric file (path/to/file.metric or path/to/file.metric:Name)");
        }
        return (null, null);
    }

    private static BoundMetric FromCatalog(string name)
    {
        var metric = Catalog.Find(name);
        if (metric is not null) return metric;
        var close = Catalog.Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        var hint = close is not null ? $" (did you mean `{close}`?)" : "";
        throw new UsageException(
            $"eval: unknown metric `{name}`{hint}; the catalogue has {string.Join(", ", Catalog.Names)}; or give a file: path/to/file.metric[:Name]");
    }
}
