using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Lowering;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// Demand-driven smooth programs (SupportRewrite): a masked sum is evaluated only on the mask's support,
/// and statements that only such sums read are not computed whole at all.
/// </summary>
internal sealed partial class ProgramEmitter
{
    private readonly Dictionary<BoundReduction, (SupportRewrite Rewrite, BoundExpression Mask, BoundReduction Reduction)> _supports =
        new(ReferenceComparer<BoundReduction>.Instance);
    private readonly HashSet<string> _unusedStatements = new();
    private bool _inSupport;

    /// <summary>Plans the support rewrites of the smooth program and finds the statements nothing reads any more.</summary>
    private void PlanSupports()
    {
        if (!IsSmooth) return;
        var statements = _metric.Statements.ToDictionary(s => s.Name);
        var count = 0;
        void Plan(BoundExpression expression)
        {
            if (expression is BoundReduction reduction && SupportRewrite.TryRewrite(reduction, statements, count) is { } rewrite)
            {
                _supports[reduction] = rewrite;
                count++;
                return;
            }
            foreach (var child in Children(expression)) Plan(child);
        }
        foreach (var statement in _metric.Statements) Plan(statement.Value);
        Plan(_metric.Goal);
        if (_supports.Count == 0) return;

        // Statements still read once the planned sums read their rewritten forms.
        var needed = new HashSet<string>();
        var pending = new Stack<BoundExpression>();
        pending.Push(_metric.Goal);
        while (pending.Count > 0)
        {
            var expression = pending.Pop();
            if (expression is BoundReduction reduction && _supports.TryGetValue(reduction, out var planned))
            {
                pending.Push(planned.Mask);
                pending.Push(planned.Reduction);
                continue;
            }
            if (expression is BoundLocalRef local && needed.Add(local.Statement)) pending.Push(statements[local.Statement].Value);
            foreach (var child in Children(expression)) pending.Push(child);
        }
        foreach (var statement in _metric.Statements.Where(s => !needed.Contains(s.Name))) _unusedStatements.Add(statement.Name);
    }

    private ProgramValue? TrySupport(BoundReduction reduction)
    {
        if (_chunk is not null || _inSupport || !_supports.TryGetValue(reduction, out var planned)) return null;
        var (rewrite, mask, rewritten) = planned;
        var i = reduction.Binders[0].Variable;
        var layout = rewrite.Rows.Concat(new[] { i }).ToList();
        var maskValue = EmitExpression(mask);
        _variables[rewrite.Position] = new AxisVariable(rewrite.Position, "p", rewrite.Position);
        _writer.Line($"var ({IndexLocal(rewrite.Support)}, {InputLocal(rewrite.Valid)}, {SizeLocal(rewrite.Position)}) = {Dense}.Support({Align(maskValue, layout)}, dtype);");
        _inSupport = true;
        try
        {
            return EmitExpression(rewritten);
        }
        finally
        {
            _inSupport = false;
        }
    }

    private sealed class ReferenceComparer<T> : IEqualityComparer<T> where T : class
    {
        public static readonly ReferenceComparer<T> Instance = new();

        public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

        public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
