using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// Indexed constructs, lowered densely: gathers (<c>logit[n, target[n]]</c>) by advanced indexing with one
/// int64 index tensor per dimension broadcast to the result's axes, and reductions that skip a position
/// (<c>sum[j != i]</c>) by a 0/1 mask over the binder and the excluded index.
/// </summary>
internal sealed partial class ProgramEmitter
{
    private const string Dense = "global::MetricLoss.Runtime.DenseOps";

    private ProgramValue EmitInput(BoundInputRef input)
    {
        var (local, conversion) = InputSource(input.Input);
        if (input.Indices.All(i => !i.IsGather))
        {
            var axes = input.Indices.Select(i => i.Variable!).ToList();
            return ProgramValue.Tensor(Leaf(local, axes) + conversion, axes);
        }
        return ProgramValue.Tensor(Indexed(local, input.Indices, input.Axes) + conversion, input.Axes);
    }

    /// <summary>
    /// The tensor an input is read from. In a chunk a constant input (labels, gains) is read from the caller's
    /// tensor and converted to the program's dtype chunk by chunk: a converted whole copy would be a leaf of the
    /// chunked reduction, kept until backward (4 bytes per element for a bool mask that the caller already holds).
    /// </summary>
    private (string Local, string Conversion) InputSource(string name)
    {
        if (_chunk is null) return (InputLocal(name), "");
        var declared = _metric.Inputs.FirstOrDefault(i => i.Name == name);
        if (declared?.Kind is not (InputKind.Bool or InputKind.ConstReal)) return (InputLocal(name), "");
        return (CSharp.Identifier(name), _readsCondition && declared.Kind == InputKind.Bool ? "" : ".to_type(dtype)");
    }

    /// <summary>
    /// <paramref name="local"/>[idx0, idx1, …] with every index an int64 tensor aligned to <paramref name="axes"/>.
    /// In a chunk the source is narrowed along the chunk variable's index, which then counts from 0.
    /// </summary>
    private string Indexed(string local, IReadOnlyList<BoundIndex> indices, IReadOnlyList<string> axes)
    {
        var source = GatherSource(local, indices, out var relative);
        var parts = indices.Select((index, d) => Align(d == relative ? ChunkPositions(index) : IndexValue(index), axes));
        return $"{source}.index(new {CSharp.Tensor}[] {{ {string.Join(", ", parts)} }})";
    }

    /// <summary>The chunk's positions counted from its start: the index into a source narrowed to the chunk.</summary>
    private ProgramValue ChunkPositions(BoundIndex index) =>
        ProgramValue.Tensor($"{Dense}.Positions(length, device)", new[] { index.Variable! });

    /// <summary>An index as int64 positions: a variable's arange, or a gather's values.</summary>
    private ProgramValue IndexValue(BoundIndex index)
    {
        if (!index.IsGather)
        {
            var positions = _chunk?.Variable == index.Variable
                ? $"{Dense}.PositionRange(start, length, device)"
                : $"{Dense}.Positions({SizeOf(index.Variable!)}, device)";
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

    private static IReadOnlyList<string> VariablesOf(BoundIndex index) =>
        index.IsGather ? Union(index.GatherIndices.Select(VariablesOf)) : new[] { index.Variable! };

    private static IReadOnlyList<string> Union(IEnumerable<IReadOnlyList<string>> parts)
    {
        var result = new List<string>();
        foreach (var axis in parts.SelectMany(p => p))
        {
            if (!result.Contains(axis)) result.Add(axis);
        }
        return result;
    }

    private ProgramValue EmitMaskedReduction(BoundReduction reduction)
    {
        var (bodyExpression, conditionExpression) = SplitCondition(reduction);
        var body = EmitExpression(bodyExpression);
        if (body.IsNumber) body = ProgramValue.Tensor($"{CSharp.Ops}.Full(new long[0], {body.Code}, dtype, device)", System.Array.Empty<string>());
        var condition = conditionExpression is null ? (ProgramValue?)null : EmitCondition(conditionExpression);

        // The mask of each `j != e`: positions of j against the excluded index's positions.
        var masks = reduction.Binders.Where(b => b.Excluded is not null)
            .Select(b => (Positions: IndexValue(BoundIndex.Of(b.Variable)), Excluded: IndexValue(b.Excluded!)))
            .ToList();
        var axes = Union(new[] { body.Axes }.Concat(masks.SelectMany(m => new[] { m.Positions.Axes, m.Excluded.Axes }))
            .Concat(condition is { } c ? new[] { c.Axes } : System.Array.Empty<IReadOnlyList<string>>()));
        Guard(axes);
        // A sum selects with a bool mask (SumWhere); the other reducers weigh by a 0/1 float mask.
        var isSum = reduction.Reducer == Reducer.Sum;
        var mask = string.Join(isSum ? ".logical_and(" : ".mul(", masks.Select((m, k) => k == 0 && condition is { } held
                ? $"{Dense}.KeepWhere({Align(m.Positions, axes)}, {Align(m.Excluded, axes)}, {Align(held, axes)})"
                : isSum ? $"{Dense}.Keep({Align(m.Positions, axes)}, {Align(m.Excluded, axes)})"
                : $"{Dense}.Exclude({Align(m.Positions, axes)}, {Align(m.Excluded, axes)}, dtype)"))
            + new string(')', masks.Count - 1);
        if (_chunk is not null) mask = _chunk.Intern(mask);

        var bound = reduction.Binders.Select(b => b.Variable).ToList();
        var dims = bound.Where(axes.Contains).Select(v => IndexOf(axes, v)).ToList();
        var absent = bound.Where(v => !axes.Contains(v)).ToList();
        var dimList = "new long[] { " + string.Join(", ", dims) + " }";
        var helper = reduction.Reducer switch
        {
            Reducer.Sum => "SumWhere",
            Reducer.Mean => "MeanMasked",
            Reducer.Max => "MaxMasked",
            Reducer.Min => "MinMasked",
            Reducer.Any => "AnyMasked",
            _ => "AllMasked",
        };
        var code = $"{Dense}.{helper}({Align(body, axes)}, {mask}, {dimList})";
        if (absent.Count > 0)
        {
            var count = "(double)(" + string.Join(" * ", absent.Select(SizeOf)) + ")";
            code = reduction.Reducer switch
            {
                Reducer.Sum => $"{CSharp.Ops}.Multiply({code}, {count})",
                Reducer.Any => $"{CSharp.Ops}.Not({CSharp.Ops}.Power({CSharp.Ops}.Not({code}), {count}))",
                Reducer.All => $"{CSharp.Ops}.Power({code}, {count})",
                _ => code,
            };
        }
        return ProgramValue.Tensor(code, axes.Where(a => !bound.Contains(a)).ToList());
    }

    /// <summary>
    /// Σ_{j ≠ e} c_j·f_j with c a constant 0/1 factor (<c>valid[q, j] &amp; …</c>): c joins the exclusion mask, built in
    /// bool and converted once, instead of a float c·f product beside a float mask (one pairwise float tensor less,
    /// as a hand-written mask would be). Sums only: a mean would count c's zeros and a max would see them.
    /// </summary>
    private static (BoundExpression Body, BoundExpression? Condition) SplitCondition(BoundReduction reduction)
    {
        if (reduction.Reducer != Reducer.Sum) return (reduction.Body, null);
        var factors = new List<BoundExpression>();
        Flatten(reduction.Body, factors);
        var isCondition = factors.Select(f => f.Kind == ValueKind.Bool && !f.DependsOnScore).ToList();
        if (!isCondition.Contains(true) || !isCondition.Contains(false)) return (reduction.Body, null);
        BoundExpression? body = null, condition = null;
        for (var k = 0; k < factors.Count; k++)
        {
            if (isCondition[k]) condition = Multiply(condition, factors[k]);
            else body = Multiply(body, factors[k]);
        }
        return (body!, condition);
    }

    /// <summary>
    /// A constant 0/1 factor for a mask. In a chunk a bool input standing alone is read as given (KeepWhere takes bool
    /// or 0/1); one inside an expression is converted as usual, since arithmetic on bool tensors (1 − x for a negation,
    /// a + b − a·b for an or) is an error in LibTorch.
    /// </summary>
    private ProgramValue EmitCondition(BoundExpression condition)
    {
        if (condition is not BoundInputRef) return EmitExpression(condition);
        _readsCondition = true;
        try
        {
            return EmitExpression(condition);
        }
        finally
        {
            _readsCondition = false;
        }
    }

    private bool _readsCondition;

    private ProgramValue EmitIdealDcg(BoundIdealDcg idealDcg)
    {
        var gain = EmitExpression(idealDcg.Gain);
        var k = EmitExpression(idealDcg.K);
        if (gain.IsNumber || !gain.Axes.Contains(idealDcg.Variable))
        {
            // Gains constant along the axis: sort is the identity, so align the value to the axis first.
            var axes = gain.IsNumber ? new[] { idealDcg.Variable } : gain.Axes.Concat(new[] { idealDcg.Variable }).ToArray();
            var expanded = gain.IsNumber
                ? $"{CSharp.Ops}.Full(new long[] {{ {SizeOf(idealDcg.Variable)} }}, {gain.Code}, dtype, device)"
                : $"{Align(gain, axes)}.expand(new long[] {{ {Sizes(axes)} }})";
            gain = ProgramValue.Tensor(expanded, axes);
        }
        var dim = IndexOf(gain.Axes, idealDcg.Variable);
        return ProgramValue.Tensor($"{Dense}.IdealDcg({gain.Code}, {dim}, {k.Code})", gain.Axes.Where(a => a != idealDcg.Variable).ToList());
    }
}
