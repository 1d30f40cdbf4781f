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
            var argumentLocation = argumentSyntax is null ? classLocation : Locate(tree, argumentSyntax.Span);
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string text)
            {
                return Only(DiagnosticFactory.Info(DiagnosticCatalog.HostNotConstant,
                    $"[Metric] on `{symbol.Name}` needs the metric definition as a constant string", argumentLocation));
            }

            var map = argumentSyntax is LiteralExpressionSyntax literal
                ? LiteralTextMap.For(literal.Token, text)
                : LiteralTextMap.Fallback(argumentSyntax?.SpanStart ?? declaration.Identifier.SpanStart);
            var ns = symbol.ContainingNamespace.IsGlobalNamespace ? null : symbol.ContainingNamespace.ToDisplayString();
            LocationInfo LocateSpan(SourceSpan span)
            {
                var start = map.ToSource(span.Start);
                var end = Math.Max(start, map.ToSource(span.End));
                return Locate(tree, TextSpan.FromBounds(start, end));
            }
            return HostCompiler.Compile(text, ns, MetricHost.Attribute, LocateSpan,
                (compilation, diagnostics) => CheckMetric(compilation, symbol.Name, classLocation, diagnostics, LocateSpan));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return HostCompiler.InternalError(exception, Locate(tree, declaration.Identifier.Span));
        }
    }

    private static string? CheckClass(ClassDeclarationSyntax declaration, INamedTypeSymbol symbol)
    {
        var isStatic = declaration.Modifiers.Any(SyntaxKind.StaticKeyword);
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

    private static bool CheckMetric(MetricCompilation compilation, string className, LocationInfo classLocation,
        List<DiagnosticInfo> diagnostics, Func<SourceSpan, LocationInfo> locate)
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
            diagnostics.Add(DiagnosticFactory.Info(DiagnosticCatalog.HostNameMismatch,
                $"the metric is named `{metric.Name}` but its class is `{className}`; the names must be equal",
                locate(compilation.NameSpans[metric.Name])));
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
