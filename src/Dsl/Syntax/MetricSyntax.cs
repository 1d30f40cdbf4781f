using System.Collections.Generic;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Syntax;

/// <summary><c>[const] real[n, c]</c>, <c>index&lt;c&gt;[n]</c>.</summary>
public sealed record TypeSyntax(bool IsConst, string ElementType, string? IndexAxis, IReadOnlyList<IndexSyntax> Axes, SourceSpan Span);

/// <summary><c>name: type [= default]</c>. Without a default it is an input, with one an option.</summary>
public sealed record ParameterSyntax(string Name, TypeSyntax Type, ExpressionSyntax? Default, SourceSpan NameSpan, SourceSpan Span);

/// <summary><c>name[axes] = expr;</c></summary>
public sealed record StatementSyntax(string Name, IReadOnlyList<IndexSyntax> Axes, ExpressionSyntax Value, SourceSpan NameSpan, SourceSpan Span);

/// <summary><c>maximize expr;</c> or <c>minimize expr;</c></summary>
public sealed record GoalSyntax(bool Maximize, ExpressionSyntax Value, SourceSpan Span);

/// <summary>One item of a metric body, in source order (the binder checks that the goal comes last).</summary>
public sealed record BodyItemSyntax(StatementSyntax? Statement, GoalSyntax? Goal);

/// <summary><c>good: 16</c> inside <c>interpolate(...)</c>.</summary>
public sealed record InterpolateOptionSyntax(string Name, ExpressionSyntax Value, SourceSpan Span);

public sealed record InterpolateSyntax(IReadOnlyList<InterpolateOptionSyntax> Options, SourceSpan Span);

public sealed record MetricSyntax(
    string Name,
    IReadOnlyList<ParameterSyntax> Parameters,
    InterpolateSyntax? Interpolate,
    IReadOnlyList<BodyItemSyntax> Body,
    SourceSpan NameSpan,
    SourceSpan Span);

/// <summary>A whole <c>.metric</c> text (or the text of one <c>[Metric]</c> attribute).</summary>
public sealed record MetricFileSyntax(string? Namespace, SourceSpan? NamespaceSpan, IReadOnlyList<MetricSyntax> Metrics);
