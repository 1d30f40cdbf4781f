using System.Collections.Generic;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Syntax;

/// <summary>Parse tree of an expression. Every node keeps its span for diagnostics.</summary>
public abstract record ExpressionSyntax(SourceSpan Span);

public sealed record NumberSyntax(double Value, SourceSpan Span) : ExpressionSyntax(Span);

/// <summary><c>name</c> or <c>name[i, target[n]]</c>.</summary>
public sealed record NameSyntax(string Name, IReadOnlyList<IndexSyntax>? Indices, SourceSpan NameSpan, SourceSpan Span)
    : ExpressionSyntax(Span);

public sealed record UnarySyntax(string Operator, ExpressionSyntax Operand, SourceSpan Span) : ExpressionSyntax(Span);

public sealed record BinarySyntax(string Operator, ExpressionSyntax Left, ExpressionSyntax Right, SourceSpan Span)
    : ExpressionSyntax(Span);

/// <summary><c>a &gt; b</c>, optionally annotated with a temperature: <c>a &gt; b @ tau</c>.</summary>
public sealed record ComparisonSyntax(string Operator, ExpressionSyntax Left, ExpressionSyntax Right, SourceSpan OperatorSpan, SourceSpan Span)
    : ExpressionSyntax(Span);

/// <summary><c>expr @ tau</c> where <c>expr</c> must turn out to be a comparison or <c>step(...)</c>.</summary>
public sealed record TemperatureSyntax(ExpressionSyntax Target, ExpressionSyntax Temperature, SourceSpan Span)
    : ExpressionSyntax(Span);

/// <summary><c>f(a, b)</c>.</summary>
public sealed record CallSyntax(string Function, IReadOnlyList<ExpressionSyntax> Arguments, SourceSpan NameSpan, SourceSpan Span)
    : ExpressionSyntax(Span);

/// <summary><c>sum[i, j != i](body)</c>; also <c>ideal_dcg[i](gain, k)</c>.</summary>
public sealed record ReductionSyntax(string Reducer, IReadOnlyList<BinderSyntax> Binders, IReadOnlyList<ExpressionSyntax> Arguments, SourceSpan NameSpan, SourceSpan Span)
    : ExpressionSyntax(Span);

/// <summary>A list literal, only meaningful as a vector option default: <c>[1, 2, 4]</c>.</summary>
public sealed record ListSyntax(IReadOnlyList<ExpressionSyntax> Items, SourceSpan Span) : ExpressionSyntax(Span);

/// <summary>An index: an axis name, or a gather <c>target[n]</c>.</summary>
public sealed record IndexSyntax(string Name, IReadOnlyList<IndexSyntax>? Indices, SourceSpan Span);

/// <summary>A reduction binder: <c>j</c> or <c>j != i</c>.</summary>
public sealed record BinderSyntax(IndexSyntax Axis, IndexSyntax? Excluded, SourceSpan Span);
