using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;
using Sprache;
using static MetricLoss.Dsl.Parsing.ExpressionGrammar;
using static MetricLoss.Dsl.Parsing.Lexical;

namespace MetricLoss.Dsl.Parsing;

/// <summary>Declarations: types, parameters, statements, the goal, metrics and files.</summary>
internal static class MetricGrammar
{
    private static readonly Parser<Spanned<string>> ElementType =
        Keyword("real").XOr(Keyword("bool")).XOr(Keyword("int")).XOr(Keyword("index")).Named("type (real, bool, int or index<axis>)");

    private static readonly Parser<TypeSyntax> Type =
        from isConst in Keyword("const").XOptional()
        from element in ElementType
        from indexAxis in (element.Value == "index"
            ? (from open in Symbol("<") from axis in Identifier from close in Symbol(">") select new Spanned<string>(axis.Value, close.Span)).Once().Select(x => x.First())
            : Parse.Return(new Spanned<string>(null!, element.Span)))
        from axes in IndexList.XOptional()
        select new TypeSyntax(
            isConst.IsDefined,
            element.Value,
            element.Value == "index" ? indexAxis.Value : null,
            axes.IsDefined ? axes.Get().Value : new List<IndexSyntax>(),
            SourceSpan.Cover(isConst.IsDefined ? isConst.Get().Span : element.Span,
                axes.IsDefined ? axes.Get().Span : element.Value == "index" ? indexAxis.Span : element.Span));

    private static readonly Parser<ParameterSyntax> Parameter =
        from name in Identifier
        from colon in Symbol(":")
        from type in Type
        from defaultValue in (from eq in Symbol("=") from value in Expression select value).XOptional()
        select new ParameterSyntax(name.Value, type, defaultValue.GetOrDefault(), name.Span,
            SourceSpan.Cover(name.Span, defaultValue.IsDefined ? defaultValue.Get().Span : type.Span));

    private static readonly Parser<InterpolateOptionSyntax> InterpolateOption =
        from name in Identifier
        from colon in Symbol(":")
        from value in Expression
        select new InterpolateOptionSyntax(name.Value, value, SourceSpan.Cover(name.Span, value.Span));

    private static readonly Parser<InterpolateSyntax> Interpolate =
        from keyword in Keyword("interpolate")
        from options in (
            from open in Symbol("(")
            from items in InterpolateOption.XDelimitedBy(Symbol(","))
            from close in Symbol(")")
            select new Spanned<IReadOnlyList<InterpolateOptionSyntax>>(items.ToList(), close.Span)).XOptional()
        select new InterpolateSyntax(
            options.IsDefined ? options.Get().Value : new List<InterpolateOptionSyntax>(),
            options.IsDefined ? SourceSpan.Cover(keyword.Span, options.Get().Span) : keyword.Span);

    private static readonly Parser<BodyItemSyntax> Goal =
        from keyword in Keyword("maximize").XOr(Keyword("minimize"))
        from value in Expression
        from semicolon in Symbol(";")
        select new BodyItemSyntax(null, new GoalSyntax(keyword.Value == "maximize", value, SourceSpan.Cover(keyword.Span, semicolon.Span)));

    private static readonly Parser<BodyItemSyntax> Statement =
        from name in Identifier
        from axes in IndexList.XOptional()
        from eq in Symbol("=")
        from value in Expression
        from semicolon in Symbol(";")
        select new BodyItemSyntax(
            new StatementSyntax(name.Value, axes.IsDefined ? axes.Get().Value : new List<IndexSyntax>(), value, name.Span,
                SourceSpan.Cover(name.Span, semicolon.Span)),
            null);

    public static readonly Parser<MetricSyntax> Metric =
        from keyword in Keyword("metric")
        from name in Identifier
        from open in Symbol("(")
        from parameters in Parameter.XDelimitedBy(Symbol(","))
        from close in Symbol(")")
        from interpolate in Interpolate.XOptional()
        from openBody in Symbol("{")
        from body in Goal.XOr(Statement).XMany()
        from closeBody in Symbol("}")
        select new MetricSyntax(name.Value, parameters.ToList(), interpolate.GetOrDefault(), body.ToList(), name.Span,
            SourceSpan.Cover(keyword.Span, closeBody.Span));

    private static readonly Parser<Spanned<string>> QualifiedName =
        from first in Identifier
        from rest in (from dot in Symbol(".") from part in Identifier select part).XMany()
        select new Spanned<string>(
            string.Join(".", new[] { first.Value }.Concat(rest.Select(r => r.Value))),
            rest.Any() ? SourceSpan.Cover(first.Span, rest.Last().Span) : first.Span);

    private static readonly Parser<Spanned<string>> NamespaceLine =
        from keyword in Keyword("namespace")
        from name in QualifiedName
        from semicolon in Symbol(";")
        select name;

    public static readonly Parser<MetricFileSyntax> File =
        from leading in Trivia
        from ns in NamespaceLine.XOptional()
        from metrics in Metric.XMany()
        from end in Parse.End(Parse.Return(0)).Named("`metric` or end of text")
        select new MetricFileSyntax(
            ns.IsDefined ? ns.Get().Value : null,
            ns.IsDefined ? ns.Get().Span : null,
            metrics.ToList());
}
