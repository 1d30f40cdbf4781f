using System.Globalization;
using MetricLoss.Dsl.Syntax;

namespace MetricLoss.Dsl.Tests.Parsing;

/// <summary>
/// Prints an expression tree fully parenthesised, operators first, so that a grammar test reads as
/// one line: <c>a | b &amp; c</c> prints <c>(| a (&amp; b c))</c>. Names, calls, reductions and
/// lists print as written (<c>logit[n, target[n]]</c>, <c>sum[j != i](x)</c>).
/// </summary>
internal static class SyntaxPrinter
{
    public static string Print(ExpressionSyntax syntax) => syntax switch
    {
        NumberSyntax n => n.Value.ToString("R", CultureInfo.InvariantCulture),
        NameSyntax n => n.Name + Indices(n.Indices),
        UnarySyntax u => $"({u.Operator} {Print(u.Operand)})",
        BinarySyntax b => $"({b.Operator} {Print(b.Left)} {Print(b.Right)})",
        ComparisonSyntax c => $"({c.Operator} {Print(c.Left)} {Print(c.Right)})",
        TemperatureSyntax t => $"(@ {Print(t.Target)} {Print(t.Temperature)})",
        CallSyntax c => $"{c.Function}({List(c.Arguments)})",
        ReductionSyntax r => $"{r.Reducer}[{string.Join(", ", r.Binders.Select(Print))}]({List(r.Arguments)})",
        ListSyntax l => $"[{List(l.Items)}]",
        _ => throw new ArgumentException("unknown syntax " + syntax.GetType().Name),
    };

    public static string Print(IndexSyntax index) =>
        index.Name == "!=" ? $"{Print(index.Indices![0])} != {Print(index.Indices[1])}" : index.Name + Indices(index.Indices);

    public static string Print(BinderSyntax binder) =>
        binder.Excluded is null ? Print(binder.Axis) : $"{Print(binder.Axis)} != {Print(binder.Excluded)}";

    public static string Print(TypeSyntax type) =>
        (type.IsConst ? "const " : "") + type.ElementType + (type.IndexAxis is null ? "" : $"<{type.IndexAxis}>") +
        (type.Axes.Count == 0 ? "" : Indices(type.Axes));

    private static string Indices(IReadOnlyList<IndexSyntax>? indices) =>
        indices is null ? "" : "[" + string.Join(", ", indices.Select(Print)) + "]";

    private static string List(IEnumerable<ExpressionSyntax> items) => string.Join(", ", items.Select(Print));
}
