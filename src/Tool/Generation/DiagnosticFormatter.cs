using System.Globalization;
using Microsoft.CodeAnalysis;

namespace MetricLoss.Tool.Generation;

/// <summary>
/// The C# compiler's one-line format, <c>path(line,col): error MTR0105: message</c>, which editors'
/// problem matchers and CI annotations already understand. Line and column are 1-based.
/// </summary>
internal static class DiagnosticFormatter
{
    public static string Format(Diagnostic diagnostic)
    {
        var message = diagnostic.GetMessage(CultureInfo.InvariantCulture);
        var prefix = $"{Severity(diagnostic.Severity)} {diagnostic.Id}: {message}";
        if (diagnostic.Location == Location.None) return prefix;
        var span = diagnostic.Location.GetLineSpan();
        var start = span.StartLinePosition;
        return $"{span.Path}({start.Line + 1},{start.Character + 1}): {prefix}";
    }

    private static string Severity(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        DiagnosticSeverity.Info => "info",
        _ => "hidden",
    };
}
