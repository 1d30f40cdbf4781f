using System.Collections.Generic;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace MetricLoss.Generator.Hosts;

/// <summary>
/// Maps offsets in a string literal's value back to positions in the C# file, so that a diagnostic in
/// <c>[Metric("""...""")]</c> points at the right character of the literal. Raw literals drop their
/// indentation and regular literals decode escapes, so the map is rebuilt from the token text and then
/// checked against the compiler's value; when they disagree, everything maps to the literal's start.
/// </summary>
internal sealed class LiteralTextMap
{
    private readonly int[] _sourceOffsets;
    private readonly int _fallback;

    private LiteralTextMap(int[] sourceOffsets, int fallback)
    {
        _sourceOffsets = sourceOffsets;
        _fallback = fallback;
    }

    /// <summary>The file offset of value offset <paramref name="valueOffset"/> (the end maps past the last character).</summary>
    public int ToSource(int valueOffset)
    {
        if (_sourceOffsets.Length == 0) return _fallback;
        if (valueOffset < 0) return _sourceOffsets[0];
        if (valueOffset < _sourceOffsets.Length) return _sourceOffsets[valueOffset];
        return _sourceOffsets[_sourceOffsets.Length - 1] + 1;
    }

    public static LiteralTextMap For(SyntaxToken token, string value)
    {
        var offsets = new List<int>();
        var decoded = new StringBuilder();
        var text = token.Text;
        var start = token.SpanStart;
        var ok = token.Kind() switch
        {
            SyntaxKind.MultiLineRawStringLiteralToken => MultiLineRaw(text, start, decoded, offsets),
            SyntaxKind.SingleLineRawStringLiteralToken => SingleLineRaw(text, start, decoded, offsets),
            SyntaxKind.StringLiteralToken when text.StartsWith("@", System.StringComparison.Ordinal) => Verbatim(text, start, decoded, offsets),
            SyntaxKind.StringLiteralToken => Regular(text, start, decoded, offsets),
            _ => false,
        };
        return ok && decoded.ToString() == value
            ? new LiteralTextMap(offsets.ToArray(), start)
            : Fallback(start);
    }

    public static LiteralTextMap Fallback(int start) => new(System.Array.Empty<int>(), start);

    private static bool MultiLineRaw(string text, int start, StringBuilder value, List<int> offsets)
    {
        var quotes = 0;
        while (quotes < text.Length && text[quotes] == '"') quotes++;
        var firstNewline = text.IndexOf('\n', quotes);
        var closing = text.LastIndexOf('\n');
        if (firstNewline < 0 || closing <= firstNewline) return false;
        var closingLine = text.Substring(closing + 1);
        var indentation = closingLine.Substring(0, closingLine.Length - closingLine.TrimStart(' ', '\t').Length);

        // Lines between the opening and closing delimiter lines; the newline before the closing line is not part of the value.
        var contentStart = firstNewline + 1;
        var contentEnd = closing > 0 && text[closing - 1] == '\r' ? closing - 1 : closing;
        var position = contentStart;
        while (position <= contentEnd)
        {
            var lineEnd = text.IndexOf('\n', position);
            if (lineEnd < 0 || lineEnd > contentEnd) lineEnd = contentEnd;
            var line = text.Substring(position, lineEnd - position);
            var skip = line.StartsWith(indentation, System.StringComparison.Ordinal) ? indentation.Length : line.Length - line.TrimStart(' ', '\t').Length;
            for (var i = position + skip; i < lineEnd; i++)
            {
                value.Append(text[i]);
                offsets.Add(start + i);
            }
            if (lineEnd >= contentEnd) break;
            value.Append('\n');
            offsets.Add(start + lineEnd);
            position = lineEnd + 1;
        }
        return true;
    }

    private static bool SingleLineRaw(string text, int start, StringBuilder value, List<int> offsets)
    {
        var quotes = 0;
        while (quotes < text.Length && text[quotes] == '"') quotes++;
        for (var i = quotes; i < text.Length - quotes; i++)
        {
            value.Append(text[i]);
            offsets.Add(start + i);
        }
        return true;
    }

    private static bool Verbatim(string text, int start, StringBuilder value, List<int> offsets)
    {
        for (var i = 2; i < text.Length - 1; i++)
        {
            value.Append(text[i]);
            offsets.Add(start + i);
            if (text[i] == '"') i++;
        }
        return true;
    }

    private static bool Regular(string text, int start, StringBuilder value, List<int> offsets)
    {
        for (var i = 1; i < text.Length - 1; i++)
        {
            var at = i;
            if (text[i] != '\\')
            {
                value.Append(text[i]);
                offsets.Add(start + at);
                continue;
            }
            i++;
            char decoded;
            switch (text[i])
            {
                case 'n': decoded = '\n'; break;
                case 't': decoded = '\t'; break;
                case 'r': decoded = '\r'; break;
                case '0': decoded = '\0'; break;
                case '\\': decoded = '\\'; break;
                case '"': decoded = '"'; break;
                case '\'': decoded = '\''; break;
                default: return false; // rare escapes (\u, \x, ...): fall back to the literal's start
            }
            value.Append(decoded);
            offsets.Add(start + at);
        }
        return true;
    }
}
