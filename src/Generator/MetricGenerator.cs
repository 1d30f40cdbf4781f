using System;
using System.Collections.Immutable;
using System.Linq;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Diagnostics;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Hosts;
using MetricLoss.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricLoss.Generator;

/// <summary>
/// The incremental pipeline. Each host (a .metric file, a [Metric] class) is compiled on its own into
/// equatable data; the emitted source depends only on the bound metrics (no spans), so whitespace and
/// comment edits re-emit nothing, and an unrelated C# edit re-runs nothing.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class MetricGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // The project's root namespace is the namespace of a .metric file without a `namespace` line.
        var rootNamespace = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var ns) && !string.IsNullOrWhiteSpace(ns) ? ns : null);

        // Compile each .metric file.
        var files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(".metric", StringComparison.OrdinalIgnoreCase))
            .Combine(rootNamespace)
            .Select(static (pair, ct) => MetricFileHost.Compile(pair.Left.Path, pair.Left.GetText(ct), pair.Right, ct))
            .WithTrackingName(TrackingNames.MetricFiles);

        // Compile each [Metric] class.
        var attributes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                AttributeHost.AttributeName,
                static (node, _) => node is ClassDeclarationSyntax,
                static (ctx, ct) => AttributeHost.Compile(ctx, ct))
            .WithTrackingName(TrackingNames.MetricAttributes);

        // Report every diagnostic of both hosts.
        context.RegisterSourceOutput(files.Select(static (r, _) => r.Diagnostics), ReportDiagnostics);
        context.RegisterSourceOutput(attributes.Select(static (r, _) => r.Diagnostics), ReportDiagnostics);

        // A metric declared twice (same namespace and name) is reported and emitted nowhere.
        var declarations = files.Select(static (r, _) => r.Declarations).Collect()
            .Combine(attributes.Select(static (r, _) => r.Declarations).Collect())
            .Select(static (pair, _) => pair.Left.Concat(pair.Right).SelectMany(d => d).ToEquatableArray())
            .WithTrackingName(TrackingNames.Declarations);
        context.RegisterSourceOutput(declarations, ReportDuplicates);
        var duplicateNames = declarations
            .Select(static (all, _) => all.GroupBy(d => d.FullName).Where(g => g.Count() > 1).Select(g => g.Key).OrderBy(n => n, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.DuplicateNames);

        // Generated code calls MetricLoss.Runtime. Without it every generated file would fail with C# errors
        // inside obj/ (CS0400, CS0246); instead the build gets one MTR0250 and nothing is emitted. The check
        // reduces the compilation to a bool, so an edit elsewhere re-runs nothing downstream.
        var runtimeReferenced = context.CompilationProvider
            .Select(static (compilation, _) => compilation.GetTypeByMetadataName(RuntimeMarkerType) is not null)
            .WithTrackingName(TrackingNames.RuntimeReferenced);
        context.RegisterSourceOutput(declarations.Combine(runtimeReferenced), static (spc, pair) => ReportMissingRuntime(spc, pair.Left, pair.Right));

        // Emit one file per metric.
        var units = files.SelectMany(static (r, _) => r.Units)
            .Collect()
            .Combine(attributes.SelectMany(static (r, _) => r.Units).Collect())
            .SelectMany(static (pair, _) => pair.Left.Concat(pair.Right))
            .WithTrackingName(TrackingNames.Units)
            .Combine(duplicateNames)
            .Combine(runtimeReferenced);
        context.RegisterSourceOutput(units, static (spc, pair) =>
        {
            if (pair.Right) EmitUnit(spc, pair.Left.Left, pair.Left.Right);
        });
    }

    /// <summary>A type of MetricLoss.Runtime that every generated file relies on being there.</summary>
    internal const string RuntimeMarkerType = "MetricLoss.MetricAttribute";

    private static void ReportMissingRuntime(SourceProductionContext context, EquatableArray<MetricDeclaration> declarations, bool runtimeReferenced)
    {
        if (runtimeReferenced || declarations.Count == 0) return;
        var first = declarations.OrderBy(d => d.FullName, StringComparer.Ordinal).First();
        context.ReportDiagnostic(DiagnosticFactory.ToDiagnostic(DiagnosticFactory.Info(DiagnosticCatalog.RuntimeNotReferenced,
            $"the MetricLoss generator is running but the MetricLoss runtime (MetricLoss.Runtime.dll) is not referenced, so no metric is generated " +
            $"({declarations.Count} defined, first `{first.FullName}`); reference the MetricLoss package (`dotnet add package MetricLoss`) rather than the generator alone",
            first.Location)));
    }

    private static void ReportDiagnostics(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics) context.ReportDiagnostic(DiagnosticFactory.ToDiagnostic(diagnostic));
    }

    private static void ReportDuplicates(SourceProductionContext context, EquatableArray<MetricDeclaration> declarations)
    {
        foreach (var group in declarations.GroupBy(d => d.FullName).Where(g => g.Count() > 1))
        {
            foreach (var declaration in group)
            {
                context.ReportDiagnostic(DiagnosticFactory.ToDiagnostic(DiagnosticFactory.Info(DiagnosticCatalog.DuplicateMetric,
                    $"metric `{group.Key}` is defined {group.Count()} times; each metric needs a unique name in its namespace", declaration.Location)));
            }
        }
    }

    private static void EmitUnit(SourceProductionContext context, MetricUnit unit, EquatableArray<string> duplicates)
    {
        if (duplicates.Contains(unit.FullName)) return;
        string source;
        try
        {
            source = MetricEmitter.Emit(unit.Metric);
        }
        catch (Exception exception)
        {
            context.ReportDiagnostic(DiagnosticFactory.ToDiagnostic(DiagnosticFactory.Info(DiagnosticCatalog.InternalError,
                $"emitting metric `{unit.FullName}` failed ({exception.GetType().Name}: {exception.Message}); please report this with the metric text", null)));
            return;
        }
        context.AddSource(unit.HintName, source);
    }
}
