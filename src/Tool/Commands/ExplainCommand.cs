using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using MetricLoss.Generator.Hosts;
using MetricLoss.Generator.Plan;
using MetricLoss.Tool.Generation;
using Microsoft.CodeAnalysis.Text;

namespace MetricLoss.Tool.Commands;

/// <summary>
/// <c>metricloss explain FILE [METRIC] [--size AXIS=N]...</c>: the plan of each metric of the file, the text of its
/// generated <c>Info.Plan</c>: per statement of both programs, the lowering of each reduction, its cost class, its
/// peak intermediate (in elements for the sizes given, by size axis: <c>--size n=100000</c>, <c>--size '|P|=3'</c>),
/// and its host syncs. The file is first checked as a build would check it; with errors nothing is explained.
/// </summary>
internal static class ExplainCommand
{
    private const string SizeOption = "--size";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse("explain", args, NamespaceOption.Name, SizeOption);
        if (line.Positional.Count is 0 or > 2) throw new UsageException("explain: expected a .metric file and optionally a metric name");
        var ns = NamespaceOption.Read(line);
        var path = line.Positional[0];
        var name = line.Positional.Count == 2 ? line.Positional[1] : null;
        var sizes = Sizes(line.Values(SizeOption));

        var files = MetricFile.ReadAll(new[] { path });
        var generation = GeneratorHost.Run(files, ns);
        foreach (var diagnostic in generation.Diagnostics) stderr.WriteLine(DiagnosticFormatter.Format(diagnostic));
        if (generation.HasErrors) return ExitCodes.Diagnostics;

        var metrics = MetricFileHost.Compile(path, SourceText.From(files[0].Text), ns, default).Units.Select(u => u.Metric).ToList();
        if (name is not null)
        {
            var chosen = metrics.Where(m => m.Name == name).ToList();
            if (chosen.Count == 0) throw UnknownMetric.Error("explain", path, name, metrics.Select(m => m.Name).ToList());
            metrics = chosen;
        }
        for (var i = 0; i < metrics.Count; i++)
        {
            if (i > 0) stdout.WriteLine();
            stdout.Write(PlanPrinter.Print(PlanBuilder.Build(metrics[i]), sizes));
        }
        return ExitCodes.Success;
    }

    /// <summary><c>AXIS=N</c> pairs, N a positive integer (underscores and commas allowed as digit separators).</summary>
    private static IReadOnlyDictionary<string, long> Sizes(IReadOnlyList<string> values)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=');
            var axis = equals < 0 ? "" : value[..equals].Trim();
            var digits = equals < 0 ? "" : value[(equals + 1)..].Replace("_", "").Replace(",", "").Trim();
            if (axis.Length == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size <= 0)
            {
                throw new UsageException($"explain: `{SizeOption} {value}` must be AXIS=N with N a positive integer, e.g. {SizeOption} n=100000");
            }
            sizes[axis] = size;
        }
        return sizes;
    }
}
