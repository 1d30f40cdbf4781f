using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Generator.Model;
using Microsoft.CodeAnalysis;

namespace MetricLoss.Generator.Diagnostics;

internal static class DiagnosticFactory
{
    public static DiagnosticInfo Info(DiagnosticKind kind, string message, LocationInfo? location) =>
        new(kind.Id, message, location);

    public static Diagnostic ToDiagnostic(DiagnosticInfo info) =>
        Diagnostic.Create(DiagnosticDescriptors.ById[info.Id], info.Location?.ToLocation() ?? Location.None, info.Message);
}
