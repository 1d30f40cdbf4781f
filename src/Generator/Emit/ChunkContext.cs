using System.Collections.Generic;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// What one chunk lambda of a chunked reduction reads: its leaves (tensors of the enclosing program, as <c>L[k]</c>),
/// the chunk axis, the axes of its intermediates (they size the chunk) and its locals. A leaf that the body reads only
/// through the chunk's rows (always narrowed along the same dimension, or gathered with the chunk's positions there)
/// is sliced: ChunkedReduction hands it to the body already narrowed, so that backward takes its gradient per chunk
/// rather than a dense leaf-sized one. Any other leaf is narrowed in the body where it needs to be.
/// </summary>
internal sealed class ChunkContext(string variable)
{
    /// <summary>Where the body reads a leaf narrowed along a dimension: resolved once every read is known.</summary>
    private const char MarkStart = '\u0001', MarkEnd = '\u0002';
    private const int Whole = -1;

    public string Variable { get; } = variable;

    public List<string> Leaves { get; } = new();

    /// <summary>Per leaf, the one dimension every read narrows (the leaf is sliced), or Whole.</summary>
    public List<int> Slices { get; } = new();

    /// <summary>The axes of every intermediate of the body: the largest sizes the chunk.</summary>
    public List<IReadOnlyList<string>> Intermediates { get; } = new();

    /// <summary>The body's values as locals of the lambda.</summary>
    public ChunkLocals Locals { get; } = new();

    /// <summary>The leaf read whole.</summary>
    public string Read(string local)
    {
        var index = IndexOf(local);
        Slices[index] = Whole;
        return $"{Local.Leaves}[{index}]";
    }

    /// <summary>The leaf narrowed to the chunk along <paramref name="dimension"/> (a marker until the body is done).</summary>
    public string ReadNarrowed(string local, int dimension)
    {
        var index = IndexOf(local);
        if (Slices[index] != dimension) Slices[index] = Slices[index] == int.MinValue ? dimension : Whole;
        return $"{Local.Leaves}[{index}]{MarkStart}{index},{dimension}{MarkEnd}";
    }

    /// <summary>The body with its markers resolved: nothing for a sliced leaf, a narrow for the others.</summary>
    public string Resolve(string body) => System.Text.RegularExpressions.Regex.Replace(body, $"{MarkStart}(\\d+),(\\d+){MarkEnd}", match =>
    {
        var index = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var dimension = match.Groups[2].Value;
        return Slices[index] == Whole ? $".narrow({dimension}, {Local.Start}, {Local.Length})" : "";
    });

    private int IndexOf(string local)
    {
        var index = Leaves.IndexOf(local);
        if (index >= 0) return index;
        Leaves.Add(local);
        Slices.Add(int.MinValue);
        return Leaves.Count - 1;
    }
}
