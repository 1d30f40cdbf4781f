namespace MetricLoss.Dsl.Text;

/// <summary>
/// A range of the metric text: character offsets plus 0-based line and column of both ends.
/// Spans live only in syntax and diagnostics, never in the bound model, so that whitespace and comment
/// edits leave the model (and the generated code) unchanged.
/// </summary>
public readonly record struct SourceSpan(int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public int End => Start + Length;

    public static SourceSpan FromOffsets(string text, int start, int end)
    {
        if (start < 0) start = 0;
        if (end > text.Length) end = text.Length;
        if (end < start) end = start;
        var (startLine, startColumn) = LineBreaks.LineColumn(text, start);
        var (endLine, endColumn) = LineBreaks.LineColumn(text, end);
        return new SourceSpan(start, end - start, startLine, startColumn, endLine, endColumn);
    }

    /// <summary>The span from the start of <paramref name="first"/> to the end of <paramref name="last"/>.</summary>
    public static SourceSpan Cover(SourceSpan first, SourceSpan last) =>
        new(first.Start, last.End - first.Start, first.StartLine, first.StartColumn, last.EndLine, last.EndColumn);

    /// <summary>An empty span at the end of <paramref name="span"/> (where something is missing).</summary>
    public static SourceSpan FromOffsetsOfEnd(SourceSpan span) =>
        new(span.End, 0, span.EndLine, span.EndColumn, span.EndLine, span.EndColumn);

    /// <summary>1-based "line:column", as people read positions.</summary>
    public override string ToString() => $"{StartLine + 1}:{StartColumn + 1}";
}
