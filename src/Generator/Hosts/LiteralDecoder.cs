using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MetricLoss.Generator.Hosts;

/// <summary>
/// Where each character of one string token's value is in the file: a literal (regular, verbatim, raw) or the text
/// part of an interpolated string. A value character spans the source characters it is written with (<c>\u0041</c>
/// is six). Regular and verbatim text is decoded as the compiler decodes it; raw text has no escapes, only its
/// delimiters, indentation and first and last line breaks dropped, so its value is matched in order against the token.
/// The decoding is checked against the compiler's value: on any disagreement the token is not decoded.
/// </summary>
internal static class LiteralDecoder
{
    /// <summary>How the text of a token is written.</summary>
    public enum Form
    {
        Regular,
        Verbatim,
        Raw,
    }

    /// <summary>One value character: its source span [Start, End).</summary>
    public readonly record struct Source(int Start, int End);

    /// <summary>
    /// The value of the token and the source span of each of its characters, or null when the token cannot be followed.
    /// The text part of an interpolated string is decoded here (its ValueText keeps <c>{{</c> doubled); a literal's
    /// decoding must equal its ValueText.
    /// </summary>
    public static (string Value, IReadOnlyList<Source> Sources)? Decode(SyntaxToken token, Form form, bool interpolated)
    {
        var text = token.Text;
        var (first, last) = interpolated ? (0, text.Length) : Content(text, form);
        if (first < 0) return null;
        var sources = new List<Source>(text.Length);
        var decoded = new StringBuilder(text.Length);
        var ok = form switch
        {
            // Raw text has no escapes, and no doubled braces either: its ValueText is its value.
            Form.Raw => Raw(text, first, last, token.ValueText, token.SpanStart, sources, decoded),
            Form.Verbatim => Verbatim(text, first, last, interpolated, token.SpanStart, sources, decoded),
            _ => Regular(text, first, last, interpolated, token.SpanStart, sources, decoded),
        };
        var value = decoded.ToString();
        return ok && (interpolated || value == token.ValueText) ? (value, sources) : null;
    }

    /// <summary>The form of a string literal token.</summary>
    public static Form? FormOf(SyntaxToken literal) => literal.Kind() switch
    {
        SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken => Form.Raw,
        SyntaxKind.StringLiteralToken => literal.Text.StartsWith("@", System.StringComparison.Ordinal) ? Form.Verbatim : Form.Regular,
        _ => null,
    };

    /// <summary>The form of the text parts of an interpolated string, from its opening token.</summary>
    public static Form FormOf(SyntaxKind interpolatedStart) => interpolatedStart switch
    {
        SyntaxKind.InterpolatedVerbatimStringStartToken => Form.Verbatim,
        SyntaxKind.InterpolatedSingleLineRawStringStartToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken => Form.Raw,
        _ => Form.Regular,
    };

    /// <summary>The token text between a literal's delimiters: <c>"…"</c>, <c>@"…"</c>, or a raw literal's runs of quotes.</summary>
    private static (int First, int Last) Content(string text, Form form)
    {
        if (form != Form.Raw)
        {
            var open = form == Form.Verbatim ? 2 : 1;
            return text.Length >= open + 1 && text[text.Length - 1] == '"' ? (open, text.Length - 1) : (-1, -1);
        }
        // A raw literal's content neither starts nor ends with a quote: the delimiters are the maximal runs.
        var first = 0;
        while (first < text.Length && text[first] == '"') first++;
        var last = text.Length;
        while (last > first && text[last - 1] == '"') last--;
        return (first, last);
    }

    /// <summary>
    /// The value is the content without indentation and the first and last line breaks: each value character is the
    /// next equal source character. Only whitespace is dropped, so only whitespace can be matched early.
    /// </summary>
    private static bool Raw(string text, int first, int last, string value, int offset, List<Source> sources, StringBuilder decoded)
    {
        var at = first;
        foreach (var c in value)
        {
            while (at < last && text[at] != c) at++;
            if (at == last) return false;
            sources.Add(new Source(offset + at, offset + at + 1));
            decoded.Append(c);
            at++;
        }
        return true;
    }

    private static bool Verbatim(string text, int first, int last, bool interpolated, int offset, List<Source> sources, StringBuilder decoded)
    {
        for (var i = first; i < last; i++)
        {
            var doubled = i + 1 < last && text[i + 1] == text[i] && (text[i] == '"' || interpolated && text[i] is '{' or '}');
            sources.Add(new Source(offset + i, offset + i + (doubled ? 2 : 1)));
            decoded.Append(text[i]);
            if (doubled) i++;
        }
        return true;
    }

    private static bool Regular(string text, int first, int last, bool interpolated, int offset, List<Source> sources, StringBuilder decoded)
    {
        for (var i = first; i < last; i++)
        {
            var start = i;
            if (interpolated && text[i] is '{' or '}' && i + 1 < last && text[i + 1] == text[i])
            {
                sources.Add(new Source(offset + start, offset + start + 2));
                decoded.Append(text[i++]);
                continue;
            }
            if (text[i] != '\\')
            {
                sources.Add(new Source(offset + start, offset + start + 1));
                decoded.Append(text[i]);
                continue;
            }
            if (++i >= last) return false;
            string? value = text[i] switch
            {
                '\'' => "'", '"' => "\"", '\\' => "\\", '0' => "\0", 'a' => "\a", 'b' => "\b", 'e' => "\u001b",
                'f' => "\f", 'n' => "\n", 'r' => "\r", 't' => "\t", 'v' => "\v",
                'u' => Hex(text, ref i, last, 4, 4),
                'U' => Hex(text, ref i, last, 8, 8),
                'x' => Hex(text, ref i, last, 1, 4),
                _ => null,
            };
            if (value is null) return false;
            // Every character of an escape (two for \U beyond the BMP) is written by the whole escape.
            foreach (var c in value)
            {
                sources.Add(new Source(offset + start, offset + i + 1));
                decoded.Append(c);
            }
        }
        return true;
    }

    /// <summary>The character(s) of the hex escape after <c>\u</c>, <c>\U</c> or <c>\x</c> at <paramref name="i"/>; i ends on its last digit.</summary>
    private static string? Hex(string text, ref int i, int last, int min, int max)
    {
        var digits = 0;
        while (digits < max && i + 1 + digits < last && IsHexDigit(text[i + 1 + digits])) digits++;
        if (digits < min) return null;
        var code = int.Parse(text.Substring(i + 1, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        i += digits;
        if (code > 0x10FFFF) return null;
        return code <= 0xFFFF ? ((char)code).ToString() : char.ConvertFromUtf32(code);
    }

    private static bool IsHexDigit(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');
}
