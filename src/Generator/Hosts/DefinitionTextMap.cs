using System.Collections.Generic;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace MetricLoss.Generator.Hosts;

/// <summary>
/// Where each character of a <c>[Metric]</c> definition comes from, so that a diagnostic points at its fault. The
/// argument is any constant string expression: literals (through escapes, indentation and delimiters), their
/// concatenations, interpolated strings of constants, and const fields declared in source (in whichever file). A
/// character whose text the user cannot see as a literal (a const from another assembly, <c>nameof</c>) is placed on
/// the expression that yields it, and marked approximate; so is everything when the pieces do not spell the value.
/// </summary>
internal sealed class DefinitionTextMap
{
    /// <summary>Const fields followed at most: a definition is built from a few.</summary>
    private const int MaxConstHops = 64;

    private readonly List<(SyntaxTree Tree, int Start, int End, bool Exact)> _characters;
    private readonly (SyntaxTree Tree, int Position) _fallback;

    private DefinitionTextMap(List<(SyntaxTree, int, int, bool)> characters, (SyntaxTree, int) fallback)
    {
        _characters = characters;
        _fallback = fallback;
    }

    /// <summary>The file and span of value characters [start, end), and whether they come from a literal there.</summary>
    public (SyntaxTree Tree, TextSpan Span, bool Exact) Locate(int start, int end)
    {
        if (_characters.Count == 0) return (_fallback.Tree, new TextSpan(_fallback.Position, 0), true);
        if (start >= _characters.Count)
        {
            // Past the last character (the end of the text): just after it.
            var after = _characters[_characters.Count - 1];
            return (after.Tree, new TextSpan(after.End, 0), after.Exact);
        }
        var first = _characters[System.Math.Max(0, start)];
        var last = _characters[System.Math.Max(start, System.Math.Min(end, _characters.Count) - 1)];
        var spanEnd = end > start && last.Tree == first.Tree && last.End >= first.Start ? last.End : first.Start;
        return (first.Tree, TextSpan.FromBounds(first.Start, spanEnd), first.Exact && last.Exact);
    }

    public static DefinitionTextMap For(ExpressionSyntax argument, string value, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.SyntaxTree != argument.SyntaxTree) model = model.Compilation.GetSemanticModel(argument.SyntaxTree);
        var characters = new List<(SyntaxTree, int, int, bool)>(value.Length);
        var text = new StringBuilder(value.Length);
        var fallback = (argument.SyntaxTree, argument.SpanStart);
        if (!Collect(argument, model, characters, text, cancellationToken) || text.ToString() != value)
        {
            // The pieces do not spell the value: every character at the argument, approximately.
            characters.Clear();
            for (var i = 0; i < value.Length; i++) characters.Add((argument.SyntaxTree, argument.SpanStart, argument.Span.End, false));
        }
        return new DefinitionTextMap(characters, fallback);
    }

    /// <summary>A piece of the definition still to read: an expression, or the text part of an interpolated string.</summary>
    private readonly record struct Piece(ExpressionSyntax? Expression, InterpolatedStringTextSyntax? Text, SemanticModel Model, int Hops);

    /// <summary>
    /// The characters of the pieces, left to right, from an explicit stack: a concatenation of thousands of literals is
    /// a syntax tree thousands deep, and the compiler's stack must not depend on it.
    /// </summary>
    private static bool Collect(ExpressionSyntax argument, SemanticModel model, List<(SyntaxTree, int, int, bool)> characters, StringBuilder text,
        CancellationToken cancellationToken)
    {
        var pending = new Stack<Piece>();
        pending.Push(new Piece(argument, null, model, 0));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var piece = pending.Pop();
            if (piece.Text is { } part)
            {
                // A text part's value is known only by decoding it: without it, the pieces cannot be followed.
                var form = LiteralDecoder.FormOf(((InterpolatedStringExpressionSyntax)part.Parent!).StringStartToken.Kind());
                if (LiteralDecoder.Decode(part.TextToken, form, interpolated: true) is not { } decodedPart) return false;
                Add(part.TextToken, decodedPart.Value, decodedPart.Sources, characters, text);
                continue;
            }
            var expression = piece.Expression!;
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    pending.Push(piece with { Expression = parenthesized.Expression });
                    continue;
                case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression) && IsString(binary.Left, piece.Model) && IsString(binary.Right, piece.Model):
                    pending.Push(piece with { Expression = binary.Right });
                    pending.Push(piece with { Expression = binary.Left });
                    continue;
                case LiteralExpressionSyntax literal when LiteralDecoder.FormOf(literal.Token) is { } form:
                    Add(literal.Token, literal.Token.ValueText, LiteralDecoder.Decode(literal.Token, form, interpolated: false)?.Sources, characters, text);
                    continue;
                case InterpolatedStringExpressionSyntax interpolated:
                    for (var k = interpolated.Contents.Count - 1; k >= 0; k--)
                    {
                        pending.Push(interpolated.Contents[k] switch
                        {
                            InterpolatedStringTextSyntax textPart => piece with { Expression = null, Text = textPart },
                            InterpolationSyntax hole => piece with { Expression = hole.Expression },
                            _ => piece,
                        });
                    }
                    continue;
            }
            if (piece.Hops < MaxConstHops && DeclaredConstant(expression, piece.Model, cancellationToken) is { } initializer)
            {
                var initializerModel = initializer.SyntaxTree == piece.Model.SyntaxTree ? piece.Model : piece.Model.Compilation.GetSemanticModel(initializer.SyntaxTree);
                pending.Push(new Piece(initializer, null, initializerModel, piece.Hops + 1));
                continue;
            }
            // Text the user cannot see as a literal: on the expression that yields it, approximately.
            if (!ConstantText(expression, piece.Model, cancellationToken, out var constant)) return false;
            foreach (var c in constant)
            {
                characters.Add((expression.SyntaxTree, expression.SpanStart, expression.Span.End, false));
                text.Append(c);
            }
        }
        return true;
    }

    /// <summary>A token's characters: exactly where they are written, or (not decoded) all on the token, approximately.</summary>
    private static void Add(SyntaxToken token, string value, IReadOnlyList<LiteralDecoder.Source>? sources, List<(SyntaxTree, int, int, bool)> characters, StringBuilder text)
    {
        for (var i = 0; i < value.Length; i++)
        {
            characters.Add(sources is null ? (token.SyntaxTree!, token.SpanStart, token.Span.End, false) : (token.SyntaxTree!, sources[i].Start, sources[i].End, true));
        }
        text.Append(value);
    }

    private static bool IsString(ExpressionSyntax expression, SemanticModel model) =>
        model.GetTypeInfo(expression).Type?.SpecialType == SpecialType.System_String;

    /// <summary>The initializer of the const field (declared in source) that <paramref name="expression"/> names.</summary>
    private static ExpressionSyntax? DeclaredConstant(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        if (expression is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or QualifiedNameSyntax or AliasQualifiedNameSyntax)) return null;
        if (model.GetSymbolInfo(expression, cancellationToken).Symbol is not IFieldSymbol { IsConst: true } field) return null;
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: { } value }) return value;
        }
        return null;
    }

    private static bool ConstantText(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken, out string text)
    {
        var constant = model.GetConstantValue(expression, cancellationToken);
        text = constant is { HasValue: true, Value: string s } ? s : constant is { HasValue: true, Value: char c } ? c.ToString() : "";
        return constant is { HasValue: true, Value: string or char or null };
    }
}
