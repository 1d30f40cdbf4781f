using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;
using Sprache;

namespace MetricLoss.Dsl.Parsing;

/// <summary>The result of parsing: a file syntax, or a syntax diagnostic (never an exception).</summary>
public sealed record ParseResult(MetricFileSyntax? File, DslDiagnostic? Error);

/// <summary>Non-throwing entry point of the parser.</summary>
public static class MetricParser
{
    public static ParseResult Parse(string text)
    {
        var tooComplex = TextLimits.CheckComplexity(text);
        if (tooComplex is not null)
        {
            return new ParseResult(null, tooComplex);
        }
        var result = MetricGrammar.File.TryParse(text);
        if (!result.WasSuccessful)
        {
            return new ParseResult(null, ToDiagnostic(text, result));
        }
        var invalidNumber = TextLimits.CheckNumbers(text);
        return invalidNumber is null ? new ParseResult(result.Value, null) : new ParseResult(null, invalidNumber);
    }

    /// <summary>"unexpected `)`, expected number or identifier": what was found, then what would have fitted.</summary>
    private static DslDiagnostic ToDiagnostic(string text, IResult<MetricFileSyntax> result)
    {
        var position = result.Remainder.Position;
        var found = DescribeTokenAt(text, position, out var length);
        var expected = result.Expectations
            .Where(e => !string.IsNullOrWhiteSpace(e))
            .Distinct()
            .ToList();
        var message = expected.Count == 0
            ? $"unexpected {found}"
            : $"unexpected {found}, expected {JoinAlternatives(expected)}";
        // Where `==` is not even parsed as a comparison (after one: comparisons do not chain), still say what to write.
        if (found == "`==`") message += "; the language has no `==`: to test that a equals b write `a >= b & b >= a`";
        var span = SourceSpan.FromOffsets(text, position, position + length);
        return DiagnosticCatalog.Create(DiagnosticCatalog.SyntaxError, span, message);
    }

    private static string JoinAlternatives(IReadOnlyList<string> items) =>
        items.Count == 1 ? items[0] : string.Join(", ", items.Take(items.Count - 1)) + " or " + items[items.Count - 1];

    private static string DescribeTokenAt(string text, int position, out int length)
    {
        length = 0;
        if (position >= text.Length)
        {
            return "end of text";
        }
        var c = text[position];
        var end = position + 1;
        if (char.IsLetterOrDigit(c) || c == '_')
        {
            while (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_' || text[end] == '.')) end++;
        }
        else if (end < text.Length && "=<>!".IndexOf(c) >= 0 && text[end] == '=')
        {
            end++;
        }
        length = end - position;
        return "`" + text.Substring(position, length) + "`";
    }
}
