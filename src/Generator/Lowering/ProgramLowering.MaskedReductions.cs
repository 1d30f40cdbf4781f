using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Reductions that skip a position (<c>sum[j != i]</c>), lowered by a mask over the binder and the excluded index: a sum
/// selects with a bool mask (DenseOps.SumWhere), into which a constant 0/1 factor of its body joins (KeepWhere); the
/// other reducers weigh by a 0/1 float mask.
/// </summary>
internal sealed partial class ProgramLowering
{
    private ProgramValue LowerMaskedReduction(BoundReduction reduction)
    {
        var (bodyExpression, conditionExpression) = SplitCondition(reduction);
        var body = LowerExpression(bodyExpression);
        return MaskedReduction(reduction, body, conditionExpression is null ? null : LowerCondition(conditionExpression));
    }

    /// <summary>The masked reduction of the lowered body (and constant condition), off the recursive path.</summary>
    private ProgramValue MaskedReduction(BoundReduction reduction, ProgramValue body, ProgramValue? condition)
    {
        if (body.IsNumber) body = ProgramValue.Tensor(Full(System.Array.Empty<string>(), body.Code), System.Array.Empty<string>());

        // The mask of each `j != e`: positions of j against the excluded index's positions.
        var masks = reduction.Binders.Where(b => b.Excluded is not null)
            .Select(b => (Positions: IndexValue(BoundIndex.Of(b.Variable)), Excluded: IndexValue(b.Excluded!)))
            .ToList();
        var axes = Union(new[] { body.Axes }.Concat(masks.SelectMany(m => new[] { m.Positions.Axes, m.Excluded.Axes }))
            .Concat(condition is { } c ? new[] { c.Axes } : System.Array.Empty<IReadOnlyList<string>>()));
        Guard(axes);
        // A sum selects with a bool mask (SumWhere); the other reducers weigh by a 0/1 float mask.
        var isSum = reduction.Reducer == Reducer.Sum;
        var parts = masks.Select((m, k) => k == 0 && condition is { } held
                ? Op.Call(OpCode.KeepWhere, Align(m.Positions, axes), Align(m.Excluded, axes), Align(held, axes))
                : isSum ? Op.Call(OpCode.Keep, Align(m.Positions, axes), Align(m.Excluded, axes))
                : Op.Call(OpCode.Exclude, Align(m.Positions, axes), Align(m.Excluded, axes), Dtype))
            .ToList();
        var mask = RightNested(parts, isSum ? OpCode.LogicalAnd : OpCode.Multiply);
        if (_chunk is not null) mask = _chunk.Locals.Intern(mask);

        var bound = reduction.Binders.Select(b => b.Variable).ToList();
        var dims = bound.Where(axes.Contains).Select(v => IndexOf(axes, v)).ToList();
        var absent = bound.Where(v => !axes.Contains(v)).ToList();
        var helper = reduction.Reducer switch
        {
            Reducer.Sum => OpCode.SumWhere,
            Reducer.Mean => OpCode.MeanMasked,
            Reducer.Max => OpCode.MaxMasked,
            Reducer.Min => OpCode.MinMasked,
            Reducer.Any => OpCode.AnyMasked,
            _ => OpCode.AllMasked,
        };
        var code = Op.Call(helper, Align(body, axes), mask, Op.Longs(dims.Select(d => Op.Int(d))));
        if (absent.Count > 0) code = OverAbsentBinders(reduction.Reducer, code, Count(absent));
        return ProgramValue.Tensor(code, axes.Where(a => !bound.Contains(a)).ToList());
    }

    /// <summary>parts[0] op (parts[1] op (…)): masks joined as <c>a.logical_and(b.logical_and(c))</c>.</summary>
    private static Op RightNested(IReadOnlyList<Op> parts, OpCode join)
    {
        var result = parts[parts.Count - 1];
        for (var k = parts.Count - 2; k >= 0; k--) result = Op.Call(join, parts[k], result);
        return result;
    }

    /// <summary>
    /// Σ_{j ≠ e} c_j·f_j with c a constant 0/1 factor (<c>valid[q, j] &amp; …</c>): c joins the exclusion mask, built in
    /// bool and converted once, instead of a float c·f product beside a float mask (one pairwise float tensor less,
    /// as a hand-written mask would be). Sums only: a mean would count c's zeros and a max would see them.
    /// </summary>
    private (BoundExpression Body, BoundExpression? Condition) SplitCondition(BoundReduction reduction)
    {
        if (reduction.Reducer != Reducer.Sum) return (reduction.Body, null);
        var factors = Factors(reduction.Body);
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
    private ProgramValue LowerCondition(BoundExpression condition)
    {
        if (condition is not BoundInputRef) return LowerExpression(condition);
        _readsCondition = true;
        try
        {
            return LowerExpression(condition);
        }
        finally
        {
            _readsCondition = false;
        }
    }

    private bool _readsCondition;
}
