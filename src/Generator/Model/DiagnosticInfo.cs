namespace MetricLoss.Generator.Model;

/// <summary>A diagnostic as plain data; it becomes a Roslyn Diagnostic only in the output callback.</summary>
public sealed record DiagnosticInfo(string Id, string Message, LocationInfo? Location);
