using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using MetricLoss.Dsl;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Diagnostics;
using MetricLoss.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace MetricLoss.Generator.Hosts;

/// <summary>
/// <c>[Metric("""...""")]</c> on a top-level <c>static partial class</c>: one definition, named like the
/// class, in the class's namespace. Everything Roslyn-typed is reduced to strings and locations here.
/// </summary>
internal static class AttributeHost
{
    public const string AttributeName = "MetricLoss.MetricAttribute";

    /// <summary>Appended to a message whose position could not be traced to a literal of the definition.</summary>
    public const string ApproximateNote = " (position approximate: this part of the [Metric] definition is not written as a string literal)";

    public static HostResult Compile(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
        var tree = declaration.SyntaxTree;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var symbol = (INamedTypeSymbol)context.TargetSymbol;
            var classLocation = Locate(tree, declaration.Identifier.Span);
            var problem = CheckClass(declaration, symbol);
            if (problem is not null)
            {
                return Only(DiagnosticFactory.Info(DiagnosticCatalog.HostNotStaticPartial, problem, classLocation));
            }

            var attribute = context.Attributes[0];
            var argumentSyntax = (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault()?.Expression;
            var argumentLocation = argumentSyntax is null ? classLocation : Locate(argumentSyntax.SyntaxTree, argumentSyntax.Span);
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string text)
            {
                return Only(DiagnosticFactory.Info(DiagnosticCatalog.HostNotConstant,
                    $"[Metric] on `{symbol.Name}` needs the metric definition as a constant string", argumentLocation));
            }

            var map = argumentSyntax is null ? null : DefinitionTextMap.For(argumentSyntax, text, context.SemanticModel, cancellationToken);
            var ns = NamespaceOf(symbol);
            LocationInfo LocateSpan(SourceSpan span)
            {
                if (map is null) return classLocation;
                var (file, where, _) = map.Locate(span.Start, span.End);
                return Locate(file, where);
            }
            // Where the text does not come from a literal, the message says that its position is approximate.
            string Annotate(SourceSpan span, string message) =>
                map is not null && map.Locate(span.Start, span.End).Exact ? message : message + ApproximateNote;
            return HostCompiler.Compile(text, ns, MetricHost.Attribute, LocateSpan,
                (compilation, diagnostics) => CheckMetric(compilation, symbol.Name, classLocation, diagnostics, LocateSpan, Annotate), Annotate);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HostCompiler.InternalError(exception, Locate(tree, declaration.Identifier.Span));
        }
    }

    private static string? CheckClass(ClassDeclarationSyntax declaration, INamedTypeSymbol symbol)
    {
        // `static` may be written on any part of a partial class (C# makes the whole class static); `partial` must be on
        // this part, or the generated part would not join it.
        var isStatic = symbol.IsStatic;
        var isPartial = declaration.Modifiers.Any(SyntaxKind.PartialKeyword);
        if (!isStatic || !isPartial)
        {
            return $"[Metric] class `{symbol.Name}` must be declared `static partial`; found `{string.Join(" ", declaration.Modifiers.Select(m => m.Text).DefaultIfEmpty("class"))}`";
        }
        if (symbol.ContainingType is not null)
        {
            return $"[Metric] class `{symbol.Name}` must be a top-level class, but it is nested in `{symbol.ContainingType.Name}`";
        }
        if (symbol.IsGenericType)
        {
            return $"[Metric] class `{symbol.Name}` must not be generic";
        }
        return null;
    }

    /// <summary>
    /// The class's namespace as names, not as C# text (<c>my.class</c> for <c>namespace my.@class</c>), as a
    /// <c>namespace</c> line gives it: Info reports it so, and the emitter escapes what needs it.
    /// </summary>
    private static string? NamespaceOf(INamedTypeSymbol symbol)
    {
        var parts = new List<string>();
        for (var ns = symbol.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace) parts.Insert(0, ns.Name);
        return parts.Count == 0 ? null : string.Join(".", parts);
    }

    private static bool CheckMetric(MetricCompilation compilation, string className, LocationInfo classLocation,
        List<DiagnosticInfo> diagnostics, Func<SourceSpan, LocationInfo> locate, Func<SourceSpan, string, string> annotate)
    {
        if (compilation.HasErrors) return true;
        if (compilation.Metrics.Count != 1)
        {
            diagnostics.Add(DiagnosticFactory.Info(DiagnosticCatalog.HostOneMetric,
                $"[Metric] on `{className}` must hold exactly one metric definition, found {compilation.Metrics.Count}", classLocation));
            return false;
        }
        var metric = compilation.Metrics[0];
        if (metric.Name != className)
        {
            var nameSpan = compilation.NameSpans[metric.Name];
            diagnostics.Add(DiagnosticFactory.Info(DiagnosticCatalog.HostNameMismatch,
                annotate(nameSpan, $"the metric is named `{metric.Name}` but its class is `{className}`; the names must be equal"),
                locate(nameSpan)));
            return false;
        }
        return true;
    }

    private static HostResult Only(DiagnosticInfo diagnostic) =>
        new(EquatableArray<MetricUnit>.Empty, EquatableArray<MetricDeclaration>.Empty, EquatableArray.Of(diagnostic));

    private static LocationInfo Locate(SyntaxTree tree, TextSpan span)
    {
        var lines = tree.GetLineSpan(span);
        return new LocationInfo(tree.FilePath, span.Start, span.Length,
            lines.StartLinePosition.Line, lines.StartLinePosition.Character,
            lines.EndLinePosition.Line, lines.EndLinePosition.Character);
    }
}
