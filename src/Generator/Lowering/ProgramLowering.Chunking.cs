using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Plan;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Printing a chunked reduction (Plan/ChunkRule decides it): a reduction whose body spans axes that no single input
/// spans (a pairwise term) is computed chunk by chunk along one axis, each chunk within Options.MaxPairwiseElements, through the
/// runtime's ChunkedReduction (which keeps one graph when the whole term fits, and otherwise recomputes chunks in
/// backward, so the gradient is bounded too). The chunk's body is lowered as a lambda that reads every tensor through
/// its leaf array <c>L</c> (<see cref="ChunkContext"/>: which leaves arrive narrowed, the body's shared locals).
/// </summary>
internal sealed partial class ProgramLowering
{
    private ChunkContext? _chunk;

    private int _chunkCount;

    /// <summary>A tensor local as the current program sees it: itself, or its leaf in a chunk (narrowed to the chunk).</summary>
    private Op Leaf(string local, IReadOnlyList<string> axes)
    {
        if (_chunk is null) return Op.Name(local);
        var position = IndexOf(axes, _chunk.Variable);
        return position < 0 ? _chunk.Read(local) : _chunk.ReadNarrowed(local, position);
    }

    /// <summary>
    /// The source of a gather: in a chunk, narrowed along the first index that is the plain chunk variable (that
    /// index then counts from the chunk's start, <see cref="RelativeIndex"/>), else read whole.
    /// </summary>
    private Op GatherSource(string local, IReadOnlyList<BoundIndex> indices, out int relative)
    {
        relative = RelativeIndex(indices);
        if (_chunk is null) return Op.Name(local);
        return relative < 0 ? _chunk.Read(local) : _chunk.ReadNarrowed(local, relative);
    }

    private int RelativeIndex(IReadOnlyList<BoundIndex> indices)
    {
        if (_chunk is null) return -1;
        for (var d = 0; d < indices.Count; d++)
        {
            if (!indices[d].IsGather && indices[d].Variable == _chunk.Variable) return d;
        }
        return -1;
    }

    private ProgramValue LowerChunkedReduction(BoundReduction reduction, ChunkedLowering lowering)
    {
        var chunkAxis = lowering.Axis;
        var chunk = new ChunkContext(chunkAxis);
        _chunk = chunk;
        ProgramValue inner;
        try
        {
            inner = lowering.Masked ? LowerMaskedReduction(reduction) : LowerReduction(reduction);
        }
        finally
        {
            _chunk = null;
        }

        var isOutput = inner.Axes.Contains(chunkAxis);
        var local = Local.Temporary("c", _chunkCount++);
        var locals = chunk.Locals.All.Select(l => new Let(l.Name, l.Code)).ToEquatableArray();
        var shapes = IntermediateShapes(chunk).Select(shape => shape.ToEquatableArray()).ToEquatableArray();
        // The locals read once and the leaves' slicing are settled by the passes (Ir/LoweringPasses).
        _statements.Add(new ChunkedReduction(local, locals, inner.Code, chunk.Leaves.ToEquatableArray(), EquatableArray<int>.Empty,
            SizeOf(chunkAxis), shapes, isOutput ? IndexOf(inner.Axes, chunkAxis) : 0, Concatenate: isOutput, Differentiable: IsSmooth));
        return ProgramValue.Tensor(Op.Name(local), inner.Axes);
    }

    /// <summary>
    /// The intermediates' sizes without the chunk axis, each once, those contained in another dropped: what one
    /// position of the chunk axis costs is the largest of them, not the product of every axis the body mentions (a
    /// support replaces an axis, and a [q, j, p] pairwise term and a [q, p, k] term never exist as one [q, j, p, k]).
    /// </summary>
    private IReadOnlyList<IReadOnlyList<string>> IntermediateShapes(ChunkContext chunk)
    {
        var shapes = chunk.Intermediates
            .Select(axes => axes.Where(a => a != chunk.Variable).Distinct().Select(a => OpPrinter.Print(SizeOf(a))).OrderBy(size => size, System.StringComparer.Ordinal).ToList())
            .Where(sizes => sizes.Count > 0)
            .GroupBy(sizes => string.Join(",", sizes))
            .Select(group => group.First())
            .ToList();
        return shapes.Where(shape => !shapes.Any(other => other.Count > shape.Count && Contains(other, shape))).ToList<IReadOnlyList<string>>();
    }

    /// <summary>Whether the multiset <paramref name="larger"/> holds every element of <paramref name="smaller"/>.</summary>
    private static bool Contains(IReadOnlyList<string> larger, IReadOnlyList<string> smaller)
    {
        var remaining = larger.ToList();
        return smaller.All(remaining.Remove);
    }
}
