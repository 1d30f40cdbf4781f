using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Generator.Lowering;

/// <summary>Renames axis variables throughout an expression (axes, indices, binders), e.g. to inline a statement at its use.</summary>
internal static class VariableRenaming
{
    public static BoundExpression Rename(BoundExpression expression, IReadOnlyDictionary<string, string> map)
    {
        if (map.Count == 0) return expression;
        EquatableArray<string> Axes(EquatableArray<string> axes) => axes.Select(a => map.TryGetValue(a, out var b) ? b : a).ToEquatableArray();
        string? Var(string? v) => v is not null && map.TryGetValue(v, out var b) ? b : v;
        BoundIndex Index(BoundIndex index) => index.IsGather
            ? index with { GatherIndices = index.GatherIndices.Select(Index).ToEquatableArray() }
            : BoundIndex.Of(Var(index.Variable)!);
        BoundExpression R(BoundExpression e) => Rename(e, map);

        return expression switch
        {
            BoundNumber => expression,
            BoundOptionRef o => o with { IndexVariable = Var(o.IndexVariable), Axes = Axes(o.Axes) },
            BoundInputRef i => i with { Indices = i.Indices.Select(Index).ToEquatableArray(), Axes = Axes(i.Axes) },
            BoundLocalRef l => l with { Renaming = Axes(l.Renaming), Axes = Axes(l.Axes) },
            BoundUnary u => new BoundUnary(u.Operator, R(u.Operand), u.Kind),
            BoundBinary b => b with { Left = R(b.Left), Right = R(b.Right), Axes = Axes(b.Axes) },
            BoundComparison c => c with { Left = R(c.Left), Right = R(c.Right), Axes = Axes(c.Axes) },
            BoundStep s => new BoundStep(R(s.Argument), s.Temperature is null ? null : R(s.Temperature)),
            BoundReduction r => r with
            {
                Binders = r.Binders.Select(b => b with { Variable = Var(b.Variable)!, Excluded = b.Excluded is null ? null : Index(b.Excluded) }).ToEquatableArray(),
                Body = R(r.Body),
                Axes = Axes(r.Axes),
            },
            BoundCall c => c with { Arguments = c.Arguments.Select(R).ToEquatableArray(), Axes = Axes(c.Axes) },
            BoundIdealDcg d => d with { Variable = Var(d.Variable)!, Gain = R(d.Gain), K = R(d.K), Axes = Axes(d.Axes) },
            _ => expression,
        };
    }
}
