using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// The support rewrites of a metric's smooth program (SupportRewrite), decided once: which masked sums are evaluated on
/// their mask's support, and which statements nothing reads any more once they are. The lowering follows the plan; the
/// host refuses a metric whose plan is beyond LoweringLimits (MTR0151) before anything is emitted.
/// </summary>
internal sealed class SupportPlan
{
    public static readonly SupportPlan Empty = new();

    private readonly Dictionary<BoundReduction, SupportRewrite> _rewrites = new(ReferenceComparer<BoundReduction>.Instance);
    private readonly HashSet<string> _unused = new(System.StringComparer.Ordinal);

    private SupportPlan()
    {
    }

    /// <summary>The rewrites in the order they were planned.</summary>
    public IReadOnlyCollection<SupportRewrite> Rewrites => _rewrites.Values;

    /// <summary>Why the smooth program is beyond LoweringLimits, or null.</summary>
    public string? Problem => _rewrites.Values.Select(r => r.Problem).FirstOrDefault(p => p is not null);

    public SupportRewrite? For(BoundReduction reduction) => _rewrites.TryGetValue(reduction, out var rewrite) ? rewrite : null;

    public bool IsUnused(string statement) => _unused.Contains(statement);

    /// <summary>The plan of <paramref name="metric"/>'s smooth program (empty for an interpolated metric: UniLoss evaluates that one).</summary>
    public static SupportPlan Build(BoundMetric metric)
    {
        if (metric.IsInterpolated) return Empty;
        var plan = new SupportPlan();
        var statements = metric.Statements.ToDictionary(s => s.Name);
        var names = metric.Variables.ToDictionary(v => v.Id, v => v.Name);
        string NameOf(string variable) => names.TryGetValue(variable, out var name) ? name : variable;
        void Plan(BoundExpression expression)
        {
            if (expression is BoundReduction reduction && SupportRewrite.TryRewrite(reduction, statements, plan._rewrites.Count, NameOf) is { } rewrite)
            {
                plan._rewrites[reduction] = rewrite;
                return;
            }
            foreach (var child in Children(expression)) Plan(child);
        }
        foreach (var statement in metric.Statements) Plan(statement.Value);
        Plan(metric.Goal);
        if (plan._rewrites.Count == 0 || plan.Problem is not null) return plan;

        // Statements still read once the planned sums read their rewritten forms. A rewritten sum is a DAG (an
        // inlined statement read twice is one node), so every node is visited once.
        var needed = new HashSet<string>();
        var visited = new HashSet<BoundExpression>(ReferenceComparer<BoundExpression>.Instance);
        var pending = new Stack<BoundExpression>();
        pending.Push(metric.Goal);
        while (pending.Count > 0)
        {
            var expression = pending.Pop();
            if (!visited.Add(expression)) continue;
            if (expression is BoundReduction reduction && plan.For(reduction) is { } planned)
            {
                pending.Push(planned.Mask);
                pending.Push(planned.Reduction!);
                continue;
            }
            if (expression is BoundLocalRef local && needed.Add(local.Statement)) pending.Push(statements[local.Statement].Value);
            foreach (var child in Children(expression)) pending.Push(child);
        }
        foreach (var statement in metric.Statements.Where(s => !needed.Contains(s.Name))) plan._unused.Add(statement.Name);
        return plan;
    }
}
