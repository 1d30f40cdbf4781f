using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Generator.Ir;

/// <summary>
/// Which leaves of a chunk's body are sliced (a pass over the lowered body): a leaf that the body reads only
/// narrowed to the chunk, always along the same dimension (or gathered with the chunk's positions there), is handed
/// to the body already narrowed by ChunkedReduction, so that backward takes its gradient per chunk rather than a
/// dense leaf-sized one; any other leaf arrives whole and the body narrows it where it needs to.
/// </summary>
internal static class ChunkLeafSlicing
{
    /// <summary>The chunked reduction with its slices decided and the reads of the leaves that are not sliced narrowed in the body.</summary>
    public static ChunkedReduction Run(ChunkedReduction chunked)
    {
        var slices = Decide(chunked.Leaves.Count, chunked.Locals.Select(l => l.Value).Append(chunked.Result));
        return chunked with
        {
            Locals = chunked.Locals.Select(l => l with { Value = Apply(l.Value, slices) }).ToEquatableArray(),
            Result = Apply(chunked.Result, slices),
            Slices = slices.ToEquatableArray(),
        };
    }

    /// <summary>Per leaf, the dimension it is sliced along, or <see cref="LeafOp.Whole"/>.</summary>
    public static IReadOnlyList<int> Decide(int leafCount, IEnumerable<Op> body)
    {
        var dimensions = Enumerable.Range(0, leafCount).Select(_ => new HashSet<int>()).ToList();
        foreach (var op in body)
        {
            OpWalk.Visit(op, node =>
            {
                if (node is LeafOp leaf) dimensions[leaf.Index].Add(leaf.Dimension);
            });
        }
        return dimensions.Select(read => read.Count == 1 && read.First() != LeafOp.Whole ? read.First() : LeafOp.Whole).ToList();
    }

    /// <summary>The body with each narrowed read of a leaf that is not sliced narrowed in the body itself.</summary>
    public static Op Apply(Op body, IReadOnlyList<int> slices) => OpWalk.Rewrite(body, node =>
        node is LeafOp { Dimension: not LeafOp.Whole } leaf && slices[leaf.Index] == LeafOp.Whole ? leaf with { NarrowedHere = true } : null);
}
