using MetricLoss.Dsl.Text;

namespace MetricLoss.Generator.Model;

/// <summary>
/// What one host (a .metric file or a [Metric] class) yields: units to emit, declarations, diagnostics.
/// The pipeline splits these three apart so that each output re-runs only when its own part changes.
/// </summary>
public sealed record HostResult(
    EquatableArray<MetricUnit> Units,
    EquatableArray<MetricDeclaration> Declarations,
    EquatableArray<DiagnosticInfo> Diagnostics);
