using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace MetricLoss.Dsl.Binding;

/// <summary>
/// Canonical text of a metric definition for <c>Info.Source</c>: comments dropped and tokens re-spaced
/// by one rule, so that whitespace and comment edits do not change the bound model (and nothing is
/// re-emitted), while the text stays readable.
/// </summary>
public static class SourceFormatter
{
    private static readonly Regex Token = new(
        @"//[^\n\r\u0085\u2028\u2029]*|[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?([eE][+-]?\d+)?|>=|<=|!=|\S",
        RegexOptions.CultureInvariant);

    public static string Format(string definition)
    {
        var tokens = new List<string>();
        foreach (Match match in Token.Matches(definition))
        {
            if (!match.Value.StartsWith("//", System.StringComparison.Ordinal)) tokens.Add(match.Value);
        }

        var text = new StringBuilder();
        var depth = 0;
        string? previous = null;
        var inIndexType = false;
        var afterUnary = false;
        foreach (var token in tokens)
        {
            if (token == "}")
            {
                depth--;
                text.Append('\n');
            }
            else if (previous is "{" or ";")
            {
                text.Append('\n').Append(' ', 4 * depth);
            }
            else if (previous is not null && !afterUnary && !inIndexType && NeedsSpace(previous, token))
            {
                text.Append(' ');
            }
            afterUnary = token is "!" || (token == "-" && (previous is null || !IsOperand(previous)));
            if (token == "<" && previous == "index") inIndexType = true;
            else if (token == ">" && inIndexType) inIndexType = false;
            text.Append(token);
            if (token == "{") depth++;
            previous = token;
        }
        return text.ToString();
    }

    private static bool NeedsSpace(string previous, string token)
    {
        if (token is "," or ";" or ")" or "]" or ":") return false;
        if (previous is "(" or "[") return false;
        if (token == "<" && previous == "index") return false;
        if (token is "(" or "[") return !IsOperand(previous) || previous is "maximize" or "minimize" or "metric" or "interpolate";
        return true;
    }

    /// <summary>Whether a token ends an operand (so a following <c>(</c> is a call and <c>-</c> is binary).</summary>
    private static bool IsOperand(string token) =>
        token.Length > 0 && (char.IsLetterOrDigit(token[0]) || token[0] == '_' || token is ")" or "]");
}
