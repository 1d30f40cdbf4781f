using System;
using System.Threading;
using MetricLoss.Dsl;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Model;
using Microsoft.CodeAnalysis.Text;

namespace MetricLoss.Generator.Hosts;

/// <summary>A <c>.metric</c> additional file: an optional namespace line, then metrics.</summary>
internal static class MetricFileHost
{
    public static HostResult Compile(string path, SourceText? sourceText, string? rootNamespace, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var text = sourceText?.ToString() ?? string.Empty;
            return HostCompiler.Compile(text, rootNamespace, MetricHost.File, span => Locate(path, span));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HostCompiler.InternalError(exception, new LocationInfo(path, 0, 0, 0, 0, 0, 0));
        }
    }

    private static LocationInfo Locate(string path, SourceSpan span) =>
        new(path, span.Start, span.Length, span.StartLine, span.StartColumn, span.EndLine, span.EndColumn);
}
