using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// Chunk planning: a reduction whose body spans axes that no single input spans (a pairwise term) is
/// computed chunk by chunk along one axis, each chunk within Options.MaxPairwiseElements, through the
/// runtime's ChunkedReduction (which recomputes chunks in backward, so the gradient is bounded too).
/// The chunk's body is emitted as a lambda that reads every tensor through its leaf array <c>L</c>. A leaf that
/// the body reads only through the chunk's rows (always narrowed along the same dimension, or gathered with the
/// chunk's positions there) is handed to the body already narrowed, so that backward takes its gradient per chunk
/// rather than a dense leaf-sized one; any other leaf is narrowed in the body where it needs to be.
/// </summary>
internal sealed partial class ProgramEmitter
{
    private sealed class ChunkContext(string variable)
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

        /// <summary>The body's values as locals of the lambda, in order; equal code is one local (see Intern).</summary>
        private readonly List<(string Name, string Code)> _locals = new();
        private readonly Dictionary<string, string> _localByCode = new();

        /// <summary>
        /// A value of the body as a local of the lambda, the same local for the same code: the body's common
        /// subexpressions (Smooth-AP's σ((s_j − s_i)/τ) over [q, j, p], read by both of its ranks, with its
        /// exclusion mask) are computed once per chunk, and once more in backward, instead of twice each time.
        /// Code is pure (leaves, positions and elementwise ops), so equal code is an equal value.
        /// </summary>
        public string Intern(string code)
        {
            if (code.IndexOf('(') < 0) return code;
            if (_localByCode.TryGetValue(code, out var name)) return name;
            name = "b_" + _locals.Count;
            _locals.Add((name, code));
            _localByCode[code] = name;
            return name;
        }

        /// <summary>The lambda's statements and its result, with the locals read once put back in place.</summary>
        public (IReadOnlyList<(string Name, string Code)> Locals, string Result) Inline(string result)
        {
            var locals = _locals.ToList();
            for (var k = locals.Count - 1; k >= 0; k--)
            {
                var token = new System.Text.RegularExpressions.Regex($@"\b{locals[k].Name}\b");
                var uses = token.Matches(result).Count + locals.Skip(k + 1).Sum(l => token.Matches(l.Code).Count);
                if (uses > 1) continue;
                var code = locals[k].Code;
                result = token.Replace(result, _ => code);
                for (var later = k + 1; later < locals.Count; later++)
                {
                    locals[later] = (locals[later].Name, token.Replace(locals[later].Code, _ => code));
                }
                locals.RemoveAt(k);
            }
            return Renumber(locals, result);
        }

        /// <summary>The kept locals as b_0, b_1, … in order (inlining leaves gaps).</summary>
        private static (IReadOnlyList<(string Name, string Code)> Locals, string Result) Renumber(List<(string Name, string Code)> locals, string result)
        {
            var names = locals.Select((local, k) => (Old: local.Name, New: "b_" + k)).ToDictionary(p => p.Old, p => p.New);
            var token = new System.Text.RegularExpressions.Regex(@"\bb_\d+\b");
            string Rename(string code) => token.Replace(code, match => names.TryGetValue(match.Value, out var name) ? name : match.Value);
            return (locals.Select(local => (names[local.Name], Rename(local.Code))).ToList(), Rename(result));
        }

        /// <summary>The leaf read whole.</summary>
        public string Read(string local)
        {
            var index = IndexOf(local);
            Slices[index] = Whole;
            return $"L[{index}]";
        }

        /// <summary>The leaf narrowed to the chunk along <paramref name="dimension"/> (a marker until the body is done).</summary>
        public string ReadNarrowed(string local, int dimension)
        {
            var index = IndexOf(local);
            if (Slices[index] != dimension) Slices[index] = Slices[index] == int.MinValue ? dimension : Whole;
            return $"L[{index}]{MarkStart}{index},{dimension}{MarkEnd}";
        }

        /// <summary>The body with its markers resolved: nothing for a sliced leaf, a narrow for the others.</summary>
        public string Resolve(string body) => System.Text.RegularExpressions.Regex.Replace(body, $"{MarkStart}(\\d+),(\\d+){MarkEnd}", match =>
        {
            var index = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            var dimension = match.Groups[2].Value;
            return Slices[index] == Whole ? $".narrow({dimension}, start, length)" : "";
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

    private ChunkContext? _chunk;
    private int _chunkCount;

    /// <summary>A tensor local as the current program sees it: itself, or its leaf in a chunk (narrowed to the chunk).</summary>
    private string Leaf(string local, IReadOnlyList<string> axes)
    {
        if (_chunk is null) return local;
        var position = IndexOf(axes, _chunk.Variable);
        return position < 0 ? _chunk.Read(local) : _chunk.ReadNarrowed(local, position);
    }

    /// <summary>
    /// The source of a gather: in a chunk, narrowed along the first index that is the plain chunk variable (that
    /// index then counts from the chunk's start, <see cref="RelativeIndex"/>), else read whole.
    /// </summary>
    private string GatherSource(string local, IReadOnlyList<BoundIndex> indices, out int relative)
    {
        relative = RelativeIndex(indices);
        if (_chunk is null) return local;
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

    private ProgramValue EmitChunkedReduction(BoundReduction reduction, string chunkAxis)
    {
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
        var combine = isOutput ? "Concatenate" : "Sum";
        var dim = isOutput ? IndexOf(inner.Axes, chunkAxis) : 0;
        var shapes = IntermediateShapes(chunk).Select(shape => $", new long[] {{ {string.Join(", ", shape)} }}");
        _writer.Line($"var {local} = global::MetricLoss.Runtime.ChunkedReduction.Reduce(");
        _writer.Indent();
        var (locals, result) = chunk.Inline(inner.Code);
        if (locals.Count == 0)
        {
            _writer.Line($"(L, start, length) => {chunk.Resolve(result)},");
        }
        else
        {
            _writer.Line("(L, start, length) =>");
            _writer.Line("{");
            _writer.Indent();
            foreach (var (name, code) in locals) _writer.Line($"var {name} = {chunk.Resolve(code)};");
            _writer.Line($"return {chunk.Resolve(result)};");
            _writer.Outdent();
            _writer.Line("},");
        }
        _writer.Line($"new {CSharp.Tensor}[] {{ {string.Join(", ", chunk.Leaves)} }},");
        _writer.Line($"new long[] {{ {string.Join(", ", chunk.Slices.Select(s => s < 0 ? "-1" : s.ToString(System.Globalization.CultureInfo.InvariantCulture)))} }},");
        _writer.Line($"{SizeOf(chunkAxis)}, global::MetricLoss.Runtime.ChunkedReduction.ChunkLength(options.MaxPairwiseElements{string.Concat(shapes)}), options.MaxPairwiseElements,");
        _writer.Line($"{dim}, global::MetricLoss.Runtime.ChunkCombine.{combine}, differentiable: {(IsSmooth ? "true" : "false")});");
        _writer.Outdent();
        return ProgramValue.Tensor(local, inner.Axes);
    }

    /// <summary>
    /// The intermediates' sizes without the chunk axis, each once, those contained in another dropped: what one
    /// position of the chunk axis costs is the largest of them, not the product of every axis the body mentions (a
    /// support replaces an axis, and a [q, j, p] pairwise term and a [q, p, k] term never exist as one [q, j, p, k]).
    /// </summary>
    private IReadOnlyList<IReadOnlyList<string>> IntermediateShapes(ChunkContext chunk)
    {
        var shapes = chunk.Intermediates
            .Select(axes => axes.Where(a => a != chunk.Variable).Distinct().Select(SizeOf).OrderBy(size => size, System.StringComparer.Ordinal).ToList())
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
