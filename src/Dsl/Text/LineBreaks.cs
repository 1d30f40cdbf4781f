using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MetricLoss.Dsl.Text;

/// <summary>
/// Line breaks as C# (and Roslyn's SourceText, hence the IDE) count them: CR, LF, CR LF, NEL (U+0085), and the line and
/// paragraph separators U+2028 and U+2029. A `//` comment ends at any of them, and a position's line is counted by
/// them, so a file saved with old Mac (CR-only) endings reads as the lines its author sees.
/// </summary>
public static class LineBreaks
{
    /// <summary>The offset where each line starts, per text (by reference): every span of a text needs them.</summary>
    private static readonly ConditionalWeakTable<string, int[]> Starts = new();

    public static bool IsLineBreak(char c) => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>The 0-based line and column of <paramref name="offset"/> (a column counts UTF-16 code units, as Roslyn's).</summary>
    public static (int Line, int Column) LineColumn(string text, int offset)
    {
        var starts = Starts.GetValue(text, LineStarts);
        // The last line that starts at or before the offset.
        int low = 0, high = starts.Length - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (starts[middle] <= offset) low = middle;
            else high = middle - 1;
        }
        return (low, offset - starts[low]);
    }

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (!IsLineBreak(text[i])) continue;
            if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++; // CR LF is one break
            starts.Add(i + 1);
        }
        return starts.ToArray();
    }
}
