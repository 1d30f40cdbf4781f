using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;
using Sprache;
using static MetricLoss.Dsl.Parsing.Lexical;

namespace MetricLoss.Dsl.Parsing;

/// <summary>
/// Expressions, loosest first: <c>|</c>, <c>&amp;</c>, <c>!</c>, comparison (with its <c>@</c>),
/// <c>+ -</c>, <c>* /</c>, unary <c>-</c>, <c>^</c> (right-associative).
/// </summary>
internal static class ExpressionGrammar
{
    public static readonly Parser<ExpressionSyntax> Expression = Parse.Ref(() => OrExpression);

    private static readonly Parser<IndexSyntax> Index = Parse.Ref(() => IndexParser);

    private static readonly Parser<IndexSyntax> IndexParser =
        from name in Identifier
        from sub in IndexList.XOptional()
        select new IndexSyntax(
            name.Value,
            sub.IsDefined ? sub.Get().Value : null,
            sub.IsDefined ? SourceSpan.Cover(name.Span, sub.Get().Span) : name.Span);

    /// <summary><c>[i, target[n]]</c></summary>
    public static readonly Parser<Spanned<IReadOnlyList<IndexSyntax>>> IndexList =
        from open in Symbol("[")
        from items in Index.XDelimitedBy(Symbol(","))
        from close in Symbol("]")
        select new Spanned<IReadOnlyList<IndexSyntax>>(items.ToList(), SourceSpan.Cover(open.Span, close.Span));

    private static readonly Parser<BinderSyntax> Binder =
        from axis in Index
        from excluded in (from ne in Symbol("!=") from index in Index select index).XOptional()
        select new BinderSyntax(axis, excluded.GetOrDefault(),
            excluded.IsDefined ? SourceSpan.Cover(axis.Span, excluded.Get().Span) : axis.Span);

    private static readonly Parser<Spanned<IReadOnlyList<BinderSyntax>>> BinderList =
        from open in Symbol("[")
        from items in Binder.XDelimitedBy(Symbol(","))
        from close in Symbol("]")
        select new Spanned<IReadOnlyList<BinderSyntax>>(items.ToList(), SourceSpan.Cover(open.Span, close.Span));

    private static readonly Parser<Spanned<IReadOnlyList<ExpressionSyntax>>> Arguments =
        from open in Symbol("(")
        from items in Expression.XDelimitedBy(Symbol(","))
        from close in Symbol(")")
        select new Spanned<IReadOnlyList<ExpressionSyntax>>(items.ToList(), SourceSpan.Cover(open.Span, close.Span));

    /// <summary>
    /// A name and what follows it: <c>f(args)</c> is a call, <c>r[binders](args)</c> a reduction,
    /// <c>x[indices]</c> an indexed reference, <c>x</c> a plain reference.
    /// </summary>
    private static readonly Parser<ExpressionSyntax> NameForm =
        from name in Identifier
        from form in
            Arguments.Select(args => (ExpressionSyntax)new CallSyntax(name.Value, args.Value, name.Span, SourceSpan.Cover(name.Span, args.Span)))
            .XOr(
                from binders in BinderList
                from args in Arguments.XOptional()
                select args.IsDefined
                    ? new ReductionSyntax(name.Value, binders.Value, args.Get().Value, name.Span, SourceSpan.Cover(name.Span, args.Get().Span))
                    : ToIndexedName(name, binders))
            .XOr(Parse.Return<ExpressionSyntax>(new NameSyntax(name.Value, null, name.Span, name.Span)))
        select form;

    /// <summary><c>x[i != j]</c> is not an index list; the binder reports it (the parser keeps the text).</summary>
    private static ExpressionSyntax ToIndexedName(Spanned<string> name, Spanned<IReadOnlyList<BinderSyntax>> binders) =>
        new NameSyntax(
            name.Value,
            binders.Value.Select(b => b.Excluded is null ? b.Axis : new IndexSyntax("!=", new[] { b.Axis, b.Excluded }, b.Span)).ToList(),
            name.Span,
            SourceSpan.Cover(name.Span, binders.Span));

    private static readonly Parser<ExpressionSyntax> NumberLiteral =
        Number.Select(n => (ExpressionSyntax)new NumberSyntax(n.Value, n.Span));

    /// <summary>The span includes the parentheses, so that quoting <c>(a + b) * c</c> never cuts a bracket in half.</summary>
    private static readonly Parser<ExpressionSyntax> Parenthesised =
        from open in Symbol("(")
        from inner in Expression
        from close in Symbol(")")
        select inner with { Span = SourceSpan.Cover(open.Span, close.Span) };

    /// <summary>May be empty, so that the binder can say why <c>k: int[m] = []</c> is refused.</summary>
    private static readonly Parser<ExpressionSyntax> ListLiteral =
        from open in Symbol("[")
        from items in Expression.XDelimitedBy(Symbol(",")).XOptional()
        from close in Symbol("]")
        select (ExpressionSyntax)new ListSyntax(items.GetOrElse(Enumerable.Empty<ExpressionSyntax>()).ToList(), SourceSpan.Cover(open.Span, close.Span));

    private static readonly Parser<ExpressionSyntax> Primary =
        NumberLiteral.XOr(Parenthesised).XOr(ListLiteral).XOr(NameForm)
            .Named("number, name, `(` or `[`");

    private static readonly Parser<ExpressionSyntax> Unary = Parse.Ref(() => UnaryParser);

    private static readonly Parser<ExpressionSyntax> Power =
        from basis in Primary
        from exponent in (from caret in Symbol("^") from e in Unary select e).XOptional()
        select exponent.IsDefined
            ? new BinarySyntax("^", basis, exponent.Get(), SourceSpan.Cover(basis.Span, exponent.Get().Span))
            : basis;

    private static readonly Parser<ExpressionSyntax> UnaryParser =
        (from minus in Symbol("-")
         from operand in Unary
         select (ExpressionSyntax)new UnarySyntax("-", operand, SourceSpan.Cover(minus.Span, operand.Span)))
        .XOr(Power);

    private static Parser<ExpressionSyntax> Chain(Parser<Spanned<string>> op, Parser<ExpressionSyntax> operand) =>
        Parse.XChainOperator(op, operand,
            (o, left, right) => new BinarySyntax(o.Value, left, right, SourceSpan.Cover(left.Span, right.Span)));

    private static readonly Parser<ExpressionSyntax> Multiplicative = Chain(Symbol("*").XOr(Symbol("/")), Unary);

    private static readonly Parser<ExpressionSyntax> Additive = Chain(Symbol("+").XOr(Symbol("-")), Multiplicative);

    /// <summary>
    /// <c>== = !=</c> are not operators of the language; they are parsed here so that the binder can say what
    /// to write instead (MTR0123) rather than "unexpected `==`". Nothing valid follows an operand with <c>=</c>.
    /// </summary>
    private static readonly Parser<Spanned<string>> ComparisonOperator =
        Symbol(">=").Or(Symbol("<=")).Or(Symbol(">")).Or(Symbol("<"))
            .Or(Symbol("==")).Or(Symbol("!=")).Or(Symbol("=")).Named("comparison");

    /// <summary>
    /// A temperature is a number, a name or a bracketed expression; a leading minus is parsed too so that
    /// <c>@ -0.5</c> gets "a temperature must be positive" from the binder instead of "unexpected `-`".
    /// </summary>
    private static readonly Parser<ExpressionSyntax> TemperatureValue =
        (from minus in Symbol("-")
         from operand in Primary
         select (ExpressionSyntax)new UnarySyntax("-", operand, SourceSpan.Cover(minus.Span, operand.Span)))
        .XOr(Primary);

    private static readonly Parser<ExpressionSyntax> Comparison =
        from left in Additive
        from rest in (from op in ComparisonOperator from right in Additive select (op, right)).XOptional()
        from temperature in (from at in Symbol("@") from t in TemperatureValue select t).XOptional()
        select Annotate(
            rest.IsDefined
                ? new ComparisonSyntax(rest.Get().op.Value, left, rest.Get().right, rest.Get().op.Span, SourceSpan.Cover(left.Span, rest.Get().right.Span))
                : left,
            temperature);

    private static ExpressionSyntax Annotate(ExpressionSyntax target, IOption<ExpressionSyntax> temperature) =>
        temperature.IsDefined
            ? new TemperatureSyntax(target, temperature.Get(), SourceSpan.Cover(target.Span, temperature.Get().Span))
            : target;

    private static readonly Parser<ExpressionSyntax> Not = Parse.Ref(() => NotParser);

    private static readonly Parser<ExpressionSyntax> NotParser =
        (from bang in Bang
         from operand in Not
         select (ExpressionSyntax)new UnarySyntax("!", operand, SourceSpan.Cover(bang.Span, operand.Span)))
        .XOr(Comparison);

    private static readonly Parser<ExpressionSyntax> And = Chain(Symbol("&"), Not);

    private static readonly Parser<ExpressionSyntax> OrExpression = Chain(Symbol("|"), And);
}
