using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// Chunk planning: a reduction whose body spans axes that no single input spans (a pairwise term) is
/// computed chunk by chunk along one axis, each chunk within Options.MaxPairwiseElements, through the
/// runtime's ChunkedReduction (which recomputes chunks in backward, so the gradient is bounded too).
/// The chunk's body is emitted as a lambda that reads every tensor through its leaf array <c>L</c>, narrowed
/// to the chunk where the tensor has the chunk axis.
/// </summary>
internal sealed partial class ProgramEmitter
{
    private sealed class ChunkContext(string variable)
    {
        public string Variable { get; } = variable;

        public List<string> Leaves { get; } = new();

        public int IndexOf(string local)
        {
            var index = Leaves.IndexOf(local);
            if (index >= 0) return index;
            Leaves.Add(local);
            return Leaves.Count - 1;
        }
    }

    private ChunkContext? _chunk;
    private int _chunkCount;

    /// <summary>A tensor local as the current program sees it: itself, or its leaf in a chunk (narrowed to the chunk).</summary>
    private string Leaf(string local, IReadOnlyList<string> axes)
    {
        if (_chunk is null) return local;
        var code = $"L[{_chunk.IndexOf(local)}]";
        var position = IndexOf(axes, _chunk.Variable);
        return position < 0 ? code : $"{code}.narrow({position}, start, length)";
    }

    /// <summary>
    /// The axis to chunk a pairwise reduction along: its first output axis, or, for a sum to a scalar, its
    /// first bound axis (the chunks' sums are added). Null when the body is no pairwise term, inside a chunk,
    /// or for reductions whose chunks cannot simply be combined (they stay dense, within the budget check).
    /// </summary>
    private string? ChunkAxis(BoundReduction reduction)
    {
        if (_chunk is not null) return null;
        var bodyAxes = BodyAxes(reduction);
        if (IsSpanned(bodyAxes)) return null;
        if (reduction.Axes.Count > 0) return reduction.Axes[0];
        return reduction.Reducer == Reducer.Sum ? reduction.Binders.Select(b => b.Variable).FirstOrDefault(bodyAxes.Contains) : null;
    }

    private static IReadOnlyList<string> BodyAxes(BoundReduction reduction) =>
        Union(new[] { (IReadOnlyList<string>)reduction.Body.Axes.ToList() }
            .Concat(reduction.Binders.Select(b => b.Excluded is null ? new[] { b.Variable } : new[] { b.Variable }.Concat(VariablesOf(b.Excluded)).ToArray())));

    /// <summary>Every axis any value inside the reduction spans, nested reductions included: what one chunk holds at most.</summary>
    private static IReadOnlyList<string> AllAxes(BoundExpression expression)
    {
        var axes = new List<string>(expression.Axes);
        if (expression is BoundReduction reduction) axes.AddRange(BodyAxes(reduction));
        foreach (var child in Children(expression)) axes.AddRange(AllAxes(child));
        return axes.Distinct().ToList();
    }

    private ProgramValue EmitChunkedReduction(BoundReduction reduction, string chunkAxis)
    {
        var bodyAxes = AllAxes(reduction);
        var chunk = new ChunkContext(chunkAxis);
        _chunk = chunk;
        ProgramValue inner;
        try
        {
            inner = reduction.Binders.All(b => b.Excluded is null) ? EmitReduction(reduction) : EmitMaskedReduction(reduction);
        }
        finally
        {
            _chunk = null;
        }

        var isOutput = inner.Axes.Contains(chunkAxis);
        var local = "c_" + _chunkCount++;
        var others = bodyAxes.Where(a => a != chunkAxis).Select(SizeOf);
        var combine = isOutput ? "Concatenate" : "Sum";
        var dim = isOutput ? IndexOf(inner.Axes, chunkAxis) : 0;
        _writer.Line($"var {local} = global::MetricLoss.Runtime.ChunkedReduction.Reduce(");
        _writer.Indent();
        _writer.Line($"(L, start, length) => {inner.Code},");
        _writer.Line($"new {CSharp.Tensor}[] {{ {string.Join(", ", chunk.Leaves)} }},");
        _writer.Line($"{SizeOf(chunkAxis)}, global::MetricLoss.Runtime.ChunkedReduction.ChunkLength(options.MaxPairwiseElements{string.Concat(others.Select(o => ", " + o))}),");
        _writer.Line($"{dim}, global::MetricLoss.Runtime.ChunkCombine.{combine}, differentiable: {(IsSmooth ? "true" : "false")});");
        _writer.Outdent();
        return ProgramValue.Tensor(local, inner.Axes);
    }
}
