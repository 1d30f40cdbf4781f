using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Diagnostics;

public enum DslSeverity
{
    Warning,
    Error,
}

/// <summary>A problem found in metric text: an <c>MTR</c> id, a message, and where in the text.</summary>
public sealed record DslDiagnostic(string Id, DslSeverity Severity, string Message, SourceSpan Span)
{
    public bool IsError => Severity == DslSeverity.Error;

    public override string ToString() => $"({Span}): {(IsError ? "error" : "warning")} {Id}: {Message}";
}
