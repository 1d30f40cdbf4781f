using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Diagnostics;
using MetricLoss.Generator.Lowering;
using MetricLoss.Generator.Model;

namespace MetricLoss.Generator.Hosts;

/// <summary>
/// Shared by both hosts: compiles metric text, refuses constructs the back end cannot lower yet, and
/// turns Dsl spans into file locations through <paramref name="locate"/>.
/// </summary>
internal static class HostCompiler
{
    public static HostResult Compile(
        string text,
        string? ns,
        MetricHost host,
        Func<SourceSpan, LocationInfo> locate,
        Func<MetricCompilation, List<DiagnosticInfo>, bool>? hostChecks = null,
        Func<SourceSpan, string, string>? annotate = null)
    {
        // A message about a span the host can only place approximately says so (AttributeHost).
        annotate ??= static (_, message) => message;
        var compilation = MetricCompiler.Compile(text, ns, host);
        var diagnostics = compilation.Diagnostics
            .Select(d => new DiagnosticInfo(d.Id, annotate(d.Span, d.Message), locate(d.Span)))
            .ToList();
        if (hostChecks is not null && !hostChecks(compilation, diagnostics))
        {
            return new HostResult(EquatableArray<MetricUnit>.Empty, EquatableArray<MetricDeclaration>.Empty, diagnostics.ToEquatableArray());
        }

        var units = new List<MetricUnit>();
        var declarations = new List<MetricDeclaration>();
        foreach (var metric in compilation.Metrics)
        {
            var unsupported = LoweringSupport.Unsupported(metric.Name, compilation.Features).ToList();
            foreach (var (use, reason) in unsupported)
            {
                diagnostics.Add(DiagnosticFactory.Info(DiagnosticCatalog.NotSupportedYet,
                    annotate(use.Span, $"metric `{metric.Name}` is not generated: {reason}"), locate(use.Span)));
            }
            if (unsupported.Count > 0) continue;
            // Decided here, where the metric's name can be located; the emitter then follows the same plan.
            if (SupportPlan.Build(metric).Problem is { } tooLarge)
            {
                var nameSpan = compilation.NameSpans[metric.Name];
                diagnostics.Add(DiagnosticFactory.Info(DiagnosticCatalog.TooLargeToLower,
                    annotate(nameSpan, $"metric `{metric.Name}` is not generated: {tooLarge}; shorten the chain of statements it reads"), locate(nameSpan)));
                continue;
            }
            var unit = new MetricUnit(metric);
            units.Add(unit);
            declarations.Add(new MetricDeclaration(unit.FullName, locate(compilation.NameSpans[metric.Name])));
        }
        return new HostResult(units.ToEquatableArray(), declarations.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    /// <summary>A host must never throw: anything unexpected becomes MTR0900 at <paramref name="where"/>.</summary>
    public static HostResult InternalError(Exception exception, LocationInfo? where) =>
        new(EquatableArray<MetricUnit>.Empty, EquatableArray<MetricDeclaration>.Empty,
            EquatableArray.Of(DiagnosticFactory.Info(DiagnosticCatalog.InternalError,
                $"the MetricLoss generator failed unexpectedly ({exception.GetType().Name}: {exception.Message}); please report this with the metric text",
                where)));
}
