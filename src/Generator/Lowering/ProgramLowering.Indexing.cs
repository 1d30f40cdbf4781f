using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Indexed constructs, lowered densely: gathers (<c>logit[n, target[n]]</c>) by advanced indexing with one
/// int64 index tensor per dimension broadcast to the result's axes, the positions of an axis, and <c>ideal_dcg</c>.
/// Reductions that skip a position are in ProgramLowering.MaskedReductions.
/// </summary>
internal sealed partial class ProgramLowering
{
    private ProgramValue LowerInput(BoundInputRef input)
    {
        var (local, conversion) = InputSource(input.Input);
        if (input.Indices.All(i => !i.IsGather))
        {
            var axes = input.Indices.Select(i => i.Variable!).ToList();
            return ProgramValue.Tensor(Converted(Leaf(local, axes), conversion), axes);
        }
        return ProgramValue.Tensor(Converted(Indexed(local, input.Indices, input.Axes), conversion), input.Axes);
    }

    private static Op Converted(Op read, bool conversion) => conversion ? Op.Call(OpCode.ToType, read, Dtype) : read;

    /// <summary>
    /// The tensor an input is read from. In a chunk a constant input (labels, gains) is read from the caller's
    /// tensor and converted to the program's dtype chunk by chunk: a converted whole copy would be a leaf of the
    /// chunked reduction, kept until backward (4 bytes per element for a bool mask that the caller already holds).
    /// </summary>
    private (string Local, bool Conversion) InputSource(string name)
    {
        if (_chunk is null) return (InputLocal(name), false);
        var declared = _metric.Inputs.FirstOrDefault(i => i.Name == name);
        if (declared?.Kind is not (InputKind.Bool or InputKind.ConstReal)) return (InputLocal(name), false);
        return (CSharp.Identifier(name), !(_readsCondition && declared.Kind == InputKind.Bool));
    }

    /// <summary>
    /// <paramref name="local"/>[idx0, idx1, …] with every index an int64 tensor aligned to <paramref name="axes"/>.
    /// In a chunk the source is narrowed along the chunk variable's index, which then counts from 0.
    /// </summary>
    private Op Indexed(string local, IReadOnlyList<BoundIndex> indices, IReadOnlyList<string> axes)
    {
        var source = GatherSource(local, indices, out var relative);
        var parts = indices.Select((index, d) => Align(d == relative ? ChunkPositions(index) : IndexValue(index), axes));
        return Op.Call(OpCode.Index, source, Op.Tensors(parts));
    }

    /// <summary>The chunk's positions counted from its start: the index into a source narrowed to the chunk.</summary>
    private ProgramValue ChunkPositions(BoundIndex index) =>
        ProgramValue.Tensor(Op.Call(OpCode.Positions, Op.Name(Local.Length), Device), new[] { index.Variable! });

    /// <summary>An index as int64 positions: a variable's arange, or a gather's values.</summary>
    private ProgramValue IndexValue(BoundIndex index)
    {
        if (!index.IsGather)
        {
            var positions = _chunk?.Variable == index.Variable
                ? Op.Call(OpCode.PositionRange, Op.Name(Local.Start), Op.Name(Local.Length), Device)
                : Op.Call(OpCode.Positions, SizeOf(index.Variable!), Device);
            return ProgramValue.Tensor(positions, new[] { index.Variable! });
        }
        var axes = Union(index.GatherIndices.Select(VariablesOf));
        if (index.GatherIndices.All(i => !i.IsGather))
        {
            var plain = index.GatherIndices.Select(i => i.Variable!).ToList();
            return ProgramValue.Tensor(Leaf(IndexLocal(index.GatherInput!), plain), plain);
        }
        return ProgramValue.Tensor(Indexed(IndexLocal(index.GatherInput!), index.GatherIndices, axes), axes);
    }


    private ProgramValue LowerIdealDcg(BoundIdealDcg idealDcg)
    {
        var gain = LowerExpression(idealDcg.Gain);
        var k = LowerExpression(idealDcg.K);
        if (gain.IsNumber || !gain.Axes.Contains(idealDcg.Variable))
        {
            // Gains constant along the axis: sort is the identity, so align the value to the axis first.
            var axes = gain.IsNumber ? new[] { idealDcg.Variable } : gain.Axes.Concat(new[] { idealDcg.Variable }).ToArray();
            var expanded = gain.IsNumber
                ? Full(new[] { idealDcg.Variable }, gain.Code)
                : Op.Call(OpCode.Expand, Align(gain, axes), Op.Longs(Sizes(axes)));
            gain = ProgramValue.Tensor(expanded, axes);
        }
        var dim = IndexOf(gain.Axes, idealDcg.Variable);
        return ProgramValue.Tensor(Op.Call(OpCode.IdealDcg, gain.Code, Op.Int(dim), k.Code), gain.Axes.Where(a => a != idealDcg.Variable).ToList());
    }
}
