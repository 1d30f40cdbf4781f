using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using MetricLoss.Tool.Generation;

namespace MetricLoss.Tool.Commands;

/// <summary>
/// <c>metricloss show FILE [METRIC]</c>: the generator's output for the file's metrics, verbatim. With several
/// metrics each file is preceded by a <c>// ==== hint name ====</c> line so that they can be told apart.
/// </summary>
internal static class ShowCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse("show", args, NamespaceOption.Name);
        if (line.Positional.Count is 0 or > 2) throw new UsageException("show: expected a .metric file and optionally a metric name");
        var ns = NamespaceOption.Read(line);
        var path = line.Positional[0];
        var metric = line.Positional.Count == 2 ? line.Positional[1] : null;

        var result = GeneratorHost.Run(MetricFile.ReadAll(new[] { path }), ns);
        foreach (var diagnostic in result.Diagnostics) stderr.WriteLine(DiagnosticFormatter.Format(diagnostic));
        if (result.HasErrors) return ExitCodes.Diagnostics;

        var sources = result.Sources;
        if (metric is not null)
        {
            // Hint names are `Namespace.Name.g.cs` (or `Name.g.cs`): match the metric's own name.
            sources = sources.Where(s => s.HintName == metric + ".g.cs" || s.HintName.EndsWith("." + metric + ".g.cs", StringComparison.Ordinal)).ToList();
            if (sources.Count == 0)
            {
                throw UnknownMetric.Error("show", path, metric, result.Sources.Select(s => MetricName(s.HintName)).ToList());
            }
        }
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources.Count > 1)
            {
                if (i > 0) stdout.WriteLine();
                stdout.WriteLine($"// ==== {sources[i].HintName} ====");
            }
            stdout.Write(sources[i].Text);
        }
        return ExitCodes.Success;
    }

    private static string MetricName(string hintName)
    {
        var stem = hintName[..^".g.cs".Length];
        return stem[(stem.LastIndexOf('.') + 1)..];
    }
}
