using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace MetricLoss.Tool.Evaluation;

/// <summary>One record of the CSV: its cells and the line it starts on (1-based; the header is line 1).</summary>
internal sealed record CsvRow(int Line, IReadOnlyList<string> Cells);

/// <summary>
/// A CSV file with a header line: comma-separated, RFC 4180 quoting (<c>"a ""b"""</c>, line breaks inside
/// quotes), LF or CRLF line ends. Spaces around unquoted cells are dropped and blank lines skipped,
/// since hand-written and exported files have both.
/// </summary>
internal sealed class CsvTable
{
    private CsvTable(string path, IReadOnlyList<string> columns, IReadOnlyList<CsvRow> rows)
    {
        Path = path;
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The path as the user gave it, for messages.</summary>
    public string Path { get; }

    public IReadOnlyList<string> Columns { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>The position of the column named <paramref name="name"/> (exactly), or −1.</summary>
    public int IndexOf(string name) => Columns.ToList().IndexOf(name);

    /// <exception cref="UsageException">The file is missing, empty, or malformed (with the line).</exception>
    public static CsvTable Read(string path)
    {
        return InputFiles.Read(path, p =>
        {
            using var reader = new StreamReader(p, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return Parse(reader, p);
        });
    }

    public static CsvTable Parse(TextReader reader, string path)
    {
        var records = Records(reader, path).ToList();
        if (records.Count == 0) throw new UsageException($"{path} is empty; expected a header line naming the columns");
        var header = records[0];
        var columns = header.Cells;
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].Length == 0) throw new UsageException($"{path} line {header.Line}: column {c + 1} of the header has no name");
            var first = columns.ToList().IndexOf(columns[c]);
            if (first != c) throw new UsageException($"{path} line {header.Line}: column `{columns[c]}` appears twice in the header");
        }
        foreach (var row in records.Skip(1))
        {
            if (row.Cells.Count != columns.Count)
            {
                throw new UsageException($"{path} line {row.Line}: expected {columns.Count} cells as in the header, found {row.Cells.Count}");
            }
        }
        return new CsvTable(path, columns, records.Skip(1).ToList());
    }

    private static IEnumerable<CsvRow> Records(TextReader reader, string path)
    {
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;      // inside quotes
        var wasQuoted = false;   // the current cell was quoted (its spaces are kept)
        var blank = true;        // nothing but spaces on this record so far

        string TakeCell()
        {
            var text = wasQuoted ? cell.ToString() : cell.ToString().Trim();
            cell.Clear();
            wasQuoted = false;
            return text;
        }

        int next;
        while ((next = reader.Read()) >= 0)
        {
            var ch = (char)next;
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        cell.Append('"');
                    }
                    else quoted = false;
                }
                else
                {
                    if (ch == '\n') line++;
                    cell.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"':
                    if (cell.ToString().Trim().Length > 0 || wasQuoted)
                    {
                        throw new UsageException($"{path} line {line}: a quote inside an unquoted cell; quote the whole cell and double the quote (\"a \"\"b\"\"\")");
                    }
                    cell.Clear();
                    quoted = wasQuoted = true;
                    blank = false;
                    break;
                case ',':
                    cells.Add(TakeCell());
                    blank = false;
                    break;
                case '\r' when reader.Peek() == '\n':
                    break;
                case '\n' or '\r':
                    if (!blank || cell.ToString().Trim().Length > 0)
                    {
                        cells.Add(TakeCell());
                        yield return new CsvRow(recordLine, cells.ToArray());
                    }
                    cells.Clear();
                    cell.Clear();
                    wasQuoted = false;
                    blank = true;
                    line++;
                    recordLine = line;
                    break;
                default:
                    if (wasQuoted && !char.IsWhiteSpace(ch))
                    {
                        throw new UsageException($"{path} line {line}: text after a closing quote; expected `,` or the end of the line");
                    }
                    if (!char.IsWhiteSpace(ch)) blank = false;
                    if (!wasQuoted) cell.Append(ch);
                    break;
            }
        }
        if (quoted) throw new UsageException($"{path} line {recordLine}: a quoted cell is not closed before the end of the file");
        if (!blank || cell.ToString().Trim().Length > 0)
        {
            cells.Add(TakeCell());
            yield return new CsvRow(recordLine, cells.ToArray());
        }
    }
}
