using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Tests.Parsing;

/// <summary>
/// Every line break C# knows (CR, LF, CR LF, NEL, LS, PS) ends a `//` comment and a line, as it does in the editor and
/// in Roslyn's SourceText: a file saved with CR-only endings keeps its metrics, and diagnostics name the lines people see.
/// </summary>
public class LineBreakTests
{
    public static TheoryData<string> Breaks => new() { "\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029" };

    private static string Text(string newline) => string.Join(newline,
        "// Accuracy at a threshold",
        "metric M(score: real[n], label: bool[n], tau: real = 1) { // one line",
        "    maximize mean[n]((score[n] > 0) & labl[n]);",
        "}",
        "");

    [Theory]
    [MemberData(nameof(Breaks))]
    public void A_comment_ends_at_the_line_break_and_the_metric_is_read(string newline)
    {
        var compilation = MetricCompiler.Compile(Text(newline).Replace("labl", "label", StringComparison.Ordinal), "Tests");
        Assert.Empty(compilation.Diagnostics.Select(d => d.ToString()));
        Assert.Equal("M", Assert.Single(compilation.Metrics).Name);
    }

    [Theory]
    [MemberData(nameof(Breaks))]
    public void Diagnostics_are_at_the_line_and_column_people_see(string newline)
    {
        var text = Text(newline);
        var diagnostic = Assert.Single(MetricCompiler.Compile(text, "Tests").Diagnostics);
        Assert.Equal("MTR0100", diagnostic.Id);
        Assert.Equal("3:39", diagnostic.Span.ToString());
        Assert.Equal((2, 42), (diagnostic.Span.EndLine, diagnostic.Span.EndColumn));
        Assert.Equal("labl", text.Substring(diagnostic.Span.Start, diagnostic.Span.Length));
    }

    [Theory]
    [MemberData(nameof(Breaks))]
    public void Syntax_errors_after_a_comment_are_found_on_their_line(string newline)
    {
        // Before, with CR-only endings, the comment swallowed the rest of the file and the error (and the metric) vanished.
        var text = Text(newline).Replace("labl[n])", "label[n]", StringComparison.Ordinal);
        var diagnostic = Assert.Single(MetricCompiler.Compile(text, "Tests").Diagnostics);
        Assert.Equal("MTR0001", diagnostic.Id);
        Assert.Equal(2, diagnostic.Span.StartLine);
    }

    [Fact]
    public void Line_starts_follow_every_kind_of_break_and_count_cr_lf_once()
    {
        const string Text = "a\nb\r\nc\rd\u0085e\u2028f\u2029g";
        foreach (var (letter, line) in new[] { ('a', 0), ('b', 1), ('c', 2), ('d', 3), ('e', 4), ('f', 5), ('g', 6) })
        {
            Assert.Equal((line, 0), LineBreaks.LineColumn(Text, Text.IndexOf(letter)));
        }
        // The LF of a CR LF is still on the CR's line, one column further.
        Assert.Equal((1, 2), LineBreaks.LineColumn(Text, Text.IndexOf('\n', 2)));
    }

    [Fact]
    public void The_limits_and_the_formatted_source_end_comments_at_a_cr()
    {
        // 101 operators inside a comment are no expression; the formatted source keeps the code after a CR-only comment.
        var text = "// " + string.Concat(Enumerable.Repeat("+", 101)) + "\rmetric M(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); }\r";
        var compilation = MetricCompiler.Compile(text, "Tests");
        Assert.Empty(compilation.Diagnostics.Select(d => d.ToString()));
        Assert.Contains("maximize mean[n](score[n] > 0);", Assert.Single(compilation.Metrics).Source);
    }
}
