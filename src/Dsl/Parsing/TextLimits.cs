using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Parsing;

/// <summary>
/// Checks made on the raw text around the grammar. The parser, the binder and the generator all recurse
/// over expressions, and a compiler host whose stack overflows dies (a StackOverflowException cannot be
/// caught), so an expression nested or chained far beyond anything a metric needs is refused up front.
/// Number literals must fit a double: <c>1e999</c> would otherwise become infinity in generated code.
/// </summary>
internal static class TextLimits
{
    /// <summary>Brackets, <c>(</c> and <c>[</c>, open at once. The normative examples (docs/language.md) need 5.</summary>
    public const int MaxNesting = 32;

    /// <summary>Operators in one declaration (up to the next <c>;</c>, <c>{</c> or <c>}</c>). The normative examples (docs/language.md) need 15.</summary>
    public const int MaxOperators = 100;

    /// <summary>The first bracket or operator beyond the limits, as a syntax error; null when the text is within them.</summary>
    public static DslDiagnostic? CheckComplexity(string text)
    {
        var depth = 0;
        var operators = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && !LineBreaks.IsLineBreak(text[i])) i++;
                continue;
            }
            switch (c)
            {
                case '(' or '[':
                    if (++depth > MaxNesting)
                    {
                        return Error(DiagnosticCatalog.SyntaxError, text, i, 1,
                            $"expression nested too deeply: more than {MaxNesting} levels of brackets; split it into smaller statements");
                    }
                    break;
                case ')' or ']':
                    if (depth > 0) depth--;
                    break;
                case ';' or '{' or '}':
                    operators = 0;
                    break;
                case '+' or '-' or '*' or '/' or '^' or '&' or '|' or '!' or '<' or '>' or '@':
                    if (++operators > MaxOperators)
                    {
                        return Error(DiagnosticCatalog.SyntaxError, text, i, 1,
                            $"expression too long: more than {MaxOperators} operators in one statement; split it into smaller statements");
                    }
                    break;
            }
        }
        return null;
    }

    /// <summary>The first number literal that does not fit a double, or null. Digits inside names and comments are skipped.</summary>
    public static DslDiagnostic? CheckNumbers(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && !LineBreaks.IsLineBreak(text[i])) i++;
            }
            else if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_')
            {
                while (i + 1 < text.Length && text[i + 1] is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_') i++;
            }
            else if (c is >= '0' and <= '9')
            {
                var length = NumberLength(text, i);
                var literal = text.Substring(i, length);
                var value = Lexical.ToDouble(literal);
                if (double.IsInfinity(value) || double.IsNaN(value))
                {
                    return Error(DiagnosticCatalog.InvalidNumber, text, i, length,
                        $"number `{literal}` is too large; expected a finite number (at most about 1.8e308)");
                }
                i += length - 1;
            }
        }
        return null;
    }

    /// <summary>The length of the literal at <paramref name="start"/>, by the grammar's rule: digits [. digits] [e [+-] digits].</summary>
    private static int NumberLength(string text, int start)
    {
        var i = Digits(text, start);
        if (i + 1 < text.Length && text[i] == '.' && text[i + 1] is >= '0' and <= '9') i = Digits(text, i + 1);
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            var j = i + 1;
            if (j < text.Length && text[j] is '+' or '-') j++;
            if (j < text.Length && text[j] is >= '0' and <= '9') i = Digits(text, j);
        }
        return i - start;
    }

    private static int Digits(string text, int i)
    {
        while (i < text.Length && text[i] is >= '0' and <= '9') i++;
        return i;
    }

    private static DslDiagnostic Error(DiagnosticKind kind, string text, int start, int length, string message) =>
        DiagnosticCatalog.Create(kind, SourceSpan.FromOffsets(text, start, start + length), message);
}
