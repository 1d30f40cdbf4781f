using System.Collections.Generic;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// What one chunk lambda of a chunked reduction is lowered in: the chunk axis, its leaves (tensors of the enclosing
/// program, read as <c>L[k]</c> in order of first read), the axes of its intermediates (they size the chunk) and its
/// locals. Which leaves arrive sliced is decided once the body is lowered (Ir/ChunkLeafSlicing).
/// </summary>
internal sealed class ChunkContext(string variable)
{
    public string Variable { get; } = variable;

    public List<string> Leaves { get; } = new();

    /// <summary>The axes of every intermediate of the body: the largest sizes the chunk.</summary>
    public List<IReadOnlyList<string>> Intermediates { get; } = new();

    /// <summary>The body's values as locals of the lambda.</summary>
    public ChunkLocals Locals { get; } = new();

    /// <summary>The leaf read whole.</summary>
    public Op Read(string local) => new LeafOp(IndexOf(local), LeafOp.Whole);

    /// <summary>The leaf narrowed to the chunk along <paramref name="dimension"/>.</summary>
    public Op ReadNarrowed(string local, int dimension) => new LeafOp(IndexOf(local), dimension);

    private int IndexOf(string local)
    {
        var index = Leaves.IndexOf(local);
        if (index >= 0) return index;
        Leaves.Add(local);
        return Leaves.Count - 1;
    }
}
