using System;
using System.Text;

namespace MetricLoss.Generator.Emit;

/// <summary>An indentation-aware StringBuilder: the emitters write lines and blocks, never raw indentation.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _text = new();
    private int _indent;

    public void Line(string line = "")
    {
        if (line.Length > 0) _text.Append(' ', 4 * _indent).Append(line);
        _text.Append('\n');
    }

    public IDisposable Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Closer(this);
    }

    public void Indent() => _indent++;

    /// <summary>A writer at this one's indentation whose text is appended later (to write what precedes it last).</summary>
    public SourceWriter Fork() => new() { _indent = _indent };

    /// <summary>A fork one level deeper: the body of a block that is written around it later.</summary>
    public SourceWriter ForkNested() => new() { _indent = _indent + 1 };

    /// <summary>Appends a forked writer's text as written.</summary>
    public void Append(SourceWriter fork) => _text.Append(fork._text);

    public void Outdent() => _indent--;

    public override string ToString() => _text.ToString();

    private sealed class Closer : IDisposable
    {
        private readonly SourceWriter _writer;

        public Closer(SourceWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line("}");
        }
    }
}
