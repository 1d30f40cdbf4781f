using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Diagnostics;
using Microsoft.CodeAnalysis;

namespace MetricLoss.Generator.Diagnostics;

/// <summary>
/// Roslyn descriptors for every MTR diagnostic, made from the Dsl's catalogue (the one table of ids).
/// Each links to its entry in docs/diagnostics.md.
/// </summary>
public static class DiagnosticDescriptors
{
    private const string HelpBase = "https://github.com/metricloss/metricloss/blob/main/docs/diagnostics.md#";

    public static IReadOnlyDictionary<string, DiagnosticDescriptor> ById { get; } =
        DiagnosticCatalog.All.ToDictionary(kind => kind.Id, Create);

    private static DiagnosticDescriptor Create(DiagnosticKind kind) =>
        new(
            kind.Id,
            kind.Title,
            "{0}",
            kind.Category,
            kind.Severity == DslSeverity.Error ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
            isEnabledByDefault: true,
            helpLinkUri: HelpBase + kind.Id.ToLowerInvariant());
}
