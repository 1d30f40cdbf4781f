using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Lowering;
using MetricLoss.Generator.Plan;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Demand-driven smooth programs (SupportPlan, SupportRewrite): a masked sum is evaluated only on the mask's support,
/// and statements that only such sums read are not computed whole at all.
/// </summary>
internal sealed partial class ProgramLowering
{
    private SupportPlan _plan = SupportPlan.Empty;

    /// <summary>The rewrite being lowered, or null outside a support.</summary>
    private SupportRewrite? _support;

    /// <summary>Inlined statements read more than once, by the context they were lowered in (see <see cref="TryInlined"/>).</summary>
    private readonly Dictionary<(object Context, bool Condition, BoundExpression Node), ProgramValue> _inlinedValues = new(InlinedKeyComparer.Instance);

    private void PlanSupports()
    {
        // The sort-based variant computes its ranks whole in O(N log N): restricting them to a support would save nothing.
        if (IsSmooth && !_sortedRanks) _plan = SupportPlan.Build(_metric);
    }

    /// <summary>The rewritten sum over the support's positions, after the support itself (DenseOps.Support) is computed.</summary>
    private ProgramValue LowerSupport(BoundReduction reduction, SupportLowering lowering)
    {
        var rewrite = lowering.Rewrite;
        // The host refuses metrics beyond LoweringLimits (MTR0151) before they reach the lowering.
        if (rewrite.Reduction is null) throw new System.InvalidOperationException(rewrite.Problem);
        var i = reduction.Binders[0].Variable;
        var layout = rewrite.Rows.Concat(new[] { i }).ToList();
        var maskValue = LowerExpression(rewrite.Mask);
        _variables[rewrite.Position] = new AxisVariable(rewrite.Position, "p", rewrite.Position);
        var names = new[] { IndexLocal(rewrite.Support), InputLocal(rewrite.Valid), SizeLocal(rewrite.Position) };
        _statements.Add(new LetTuple(names.ToEquatableArray(), Op.Call(OpCode.Support, Align(maskValue, layout), Dtype)));
        _support = rewrite;
        try
        {
            return LowerExpression(rewrite.Reduction);
        }
        finally
        {
            _support = null;
        }
    }

    /// <summary>
    /// A node of a rewritten sum. The rewrite is a DAG (an inlined statement read twice is one node), so no node of
    /// it is keyed by CanonicalKey, whose text would spell out every path; an inlined statement read more than once
    /// is lowered once per context (the program, or one chunk's lambda, as bool condition or as number) and then
    /// read as a local, so the code grows with the number of statements, not with the number of paths.
    /// </summary>
    private bool TryInlined(BoundExpression expression, out ProgramValue value)
    {
        value = default;
        return _support!.IsShared(expression) && _inlinedValues.TryGetValue(InlinedKey(expression), out value);
    }

    /// <summary>The value of a node of a rewritten sum, as a local when it is an inlined statement read again.</summary>
    private ProgramValue Inlined(BoundExpression expression, ProgramValue value)
    {
        var shared = _support!.IsShared(expression);
        if (_chunk is not null)
        {
            // A lambda local, as every tensor value of a chunk is; a number only when it is read again.
            if (!value.IsNumber) value = ProgramValue.Tensor(_chunk.Locals.Intern(value.Code), value.Axes);
            else if (shared) value = ProgramValue.Number(_chunk.Locals.Intern(value.Code));
        }
        else if (shared)
        {
            var local = Local.Temporary("t", _sharedCount++);
            _statements.Add(new Let(local, value.Code, value.IsNumber ? LetKind.Number : LetKind.Tensor));
            value = value.IsNumber ? ProgramValue.Number(Op.Name(local)) : ProgramValue.Tensor(Op.Name(local), value.Axes);
        }
        if (shared) _inlinedValues[InlinedKey(expression)] = value;
        return value;
    }

    private (object Context, bool Condition, BoundExpression Node) InlinedKey(BoundExpression expression) =>
        ((object?)_chunk ?? this, _readsCondition, expression);

    /// <summary>The factors of a product; in a support an inlined statement is one factor, as its local was before.</summary>
    private List<BoundExpression> Factors(BoundExpression expression) => Scope().Factors(expression);

    private sealed class InlinedKeyComparer : IEqualityComparer<(object Context, bool Condition, BoundExpression Node)>
    {
        public static readonly InlinedKeyComparer Instance = new();

        public bool Equals((object Context, bool Condition, BoundExpression Node) x, (object Context, bool Condition, BoundExpression Node) y) =>
            ReferenceEquals(x.Context, y.Context) && x.Condition == y.Condition && ReferenceEquals(x.Node, y.Node);

        public int GetHashCode((object Context, bool Condition, BoundExpression Node) key) =>
            (System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Context) * 397 ^ key.Condition.GetHashCode()) * 397
            ^ System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Node);
    }
}
