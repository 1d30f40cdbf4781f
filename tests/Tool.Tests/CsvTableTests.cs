using MetricLoss.Tool.Evaluation;

namespace MetricLoss.Tool.Tests;

public sealed class CsvTableTests
{
    [Fact]
    public void Quoted_cells_keep_commas_quotes_spaces_and_line_breaks()
    {
        var table = Parse("name,note\n\"a, b\",\" x \"\"y\"\" \"\n\"two\nlines\",z\nlast,1\n");

        Assert.Equal(["name", "note"], table.Columns);
        Assert.Equal(["a, b", " x \"y\" "], table.Rows[0].Cells);
        Assert.Equal(["two\nlines", "z"], table.Rows[1].Cells);
        // A record is numbered by the line it starts on; the quoted line break moves the next one down.
        Assert.Equal([2, 3, 5], table.Rows.Select(r => r.Line));
    }

    [Fact]
    public void CRLF_blank_lines_spaces_and_a_missing_last_line_break_are_accepted()
    {
        var table = Parse("score , label\r\n\r\n 0.5 , 1\r\n   \r\n-1,0");

        Assert.Equal(["score", "label"], table.Columns);
        Assert.Equal(["0.5", "1"], table.Rows[0].Cells);
        Assert.Equal(["-1", "0"], table.Rows[1].Cells);
        Assert.Equal([3, 5], table.Rows.Select(r => r.Line));
    }

    [Fact]
    public void Empty_cells_are_kept()
    {
        var table = Parse("a,b,c\n,,\n");

        Assert.Equal(["", "", ""], table.Rows[0].Cells);
    }

    [Fact]
    public void A_byte_order_mark_is_not_part_of_the_first_column()
    {
        var path = Path.Combine(Path.GetTempPath(), $"metricloss-bom-{Guid.NewGuid():N}.csv");
        try
        {
            File.WriteAllText(path, "score,label\n1,0\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            Assert.Equal("score", CsvTable.Read(path).Columns[0]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("a,b\n\"open,1\n", "t.csv line 2: a quoted cell is not closed before the end of the file")]
    [InlineData("a,b\n\"x\"y,1\n", "t.csv line 2: text after a closing quote; expected `,` or the end of the line")]
    [InlineData("a,b\nx\"y,1\n", "t.csv line 2: a quote inside an unquoted cell; quote the whole cell and double the quote (\"a \"\"b\"\"\")")]
    [InlineData("a,,c\n1,2,3\n", "t.csv line 1: column 2 of the header has no name")]
    [InlineData("a,b,a\n1,2,3\n", "t.csv line 1: column `a` appears twice in the header")]
    [InlineData("a,b\n1,2\n3\n", "t.csv line 3: expected 2 cells as in the header, found 1")]
    [InlineData("", "t.csv is empty; expected a header line naming the columns")]
    public void Malformed_files_name_the_line(string text, string message)
    {
        var exception = Assert.Throws<UsageException>(() => Parse(text));

        Assert.Equal(message, exception.Message);
    }

    private static CsvTable Parse(string text) => CsvTable.Parse(new StringReader(text), "t.csv");
}
