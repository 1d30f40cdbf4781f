using System.Collections.Generic;
using System.IO;
using MetricLoss.Tool.Generation;

namespace MetricLoss.Tool.Commands;

/// <summary>
/// <c>metricloss check FILES...</c>: the diagnostics a build would report for the files, without a build;
/// exit 1 when any is an error.
/// </summary>
internal static class CheckCommand
{
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse("check", args, NamespaceOption.Name);
        if (line.Positional.Count == 0) throw new UsageException("check: expected one or more .metric files");
        var ns = NamespaceOption.Read(line);
        var result = GeneratorHost.Run(MetricFile.ReadAll(line.Positional), ns);
        foreach (var diagnostic in result.Diagnostics) stdout.WriteLine(DiagnosticFormatter.Format(diagnostic));
        return result.HasErrors ? ExitCodes.Diagnostics : ExitCodes.Success;
    }
}
