using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// What an <c>interpolate</c> metric is made of (UniLoss, Liu, Wang, Deng, ECCV 2020; docs/language.md,
/// "Interpolation mode"): its coordinates — the score-dependent comparisons between score expressions, each
/// over all of its axes, Δ = high − low — with the constant factors and excluded positions that zero some
/// of their positions (masked-out pairs are dropped), and the statements that only the exact tail needs.
/// </summary>
internal sealed class InterpolationPlan
{
    /// <summary>A coordinate block: the comparison (or step) node, Δ's two sides, its temperature, and what zeroes its positions.</summary>
    public sealed record Coordinate(BoundExpression Node, BoundExpression High, BoundExpression? Low, BoundExpression Temperature, IReadOnlyList<BoundExpression> Factors, IReadOnlyList<BoundBinder> Exclusions);

    public List<Coordinate> Coordinates { get; } = new();

    /// <summary>Statements that read a coordinate (directly or through another statement): evaluated per anchor.</summary>
    public HashSet<string> TailStatements { get; } = new();

    public static InterpolationPlan Build(BoundMetric metric)
    {
        var plan = new InterpolationPlan();
        foreach (var statement in metric.Statements)
        {
            var before = plan.Coordinates.Count;
            plan.Walk(statement.Value, new List<BoundExpression>(), new List<BoundBinder>());
            if (plan.Coordinates.Count > before || ReadsAny(statement.Value, plan.TailStatements)) plan.TailStatements.Add(statement.Name);
        }
        plan.Walk(metric.Goal, new List<BoundExpression>(), new List<BoundBinder>());
        return plan;
    }

    private static bool ReadsAny(BoundExpression expression, HashSet<string> statements) =>
        expression is BoundLocalRef local && statements.Contains(local.Statement) || Children(expression).Any(c => ReadsAny(c, statements));

    private void Walk(BoundExpression expression, List<BoundExpression> factors, List<BoundBinder> exclusions)
    {
        if (TryCoordinate(expression, factors, exclusions)) return;
        switch (expression)
        {
            case BoundReduction reduction:
                var added = reduction.Binders.Where(b => b.Excluded is not null).ToList();
                exclusions.AddRange(added);
                Walk(reduction.Body, factors, exclusions);
                exclusions.RemoveRange(exclusions.Count - added.Count, added.Count);
                return;
            case BoundBinary { Operator: BinaryOperator.And or BinaryOperator.Multiply }:
                var parts = new List<BoundExpression>();
                Flatten(expression, parts);
                foreach (var part in parts)
                {
                    // The constant factors beside a comparison zero the positions where they are 0.
                    var siblings = parts.Where(p => !ReferenceEquals(p, part) && !p.DependsOnScore).ToList();
                    factors.AddRange(siblings);
                    Walk(part, factors, exclusions);
                    factors.RemoveRange(factors.Count - siblings.Count, siblings.Count);
                }
                return;
            default:
                foreach (var child in Children(expression)) Walk(child, new List<BoundExpression>(), exclusions);
                return;
        }
    }

    private bool TryCoordinate(BoundExpression expression, List<BoundExpression> factors, List<BoundBinder> exclusions)
    {
        BoundExpression high, temperature;
        BoundExpression? low;
        switch (expression)
        {
            case BoundComparison { Temperature: { } t } comparison when IsScoreExpression(comparison.Left) && IsScoreExpression(comparison.Right):
                var greater = comparison.Operator is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual;
                (high, low) = greater ? (comparison.Left, comparison.Right) : (comparison.Right, comparison.Left);
                temperature = t;
                break;
            case BoundStep { Temperature: { } t } step when IsScoreExpression(step.Argument):
                (high, low, temperature) = (step.Argument, null, t);
                break;
            default:
                return false;
        }
        var axes = expression.Axes.ToList();
        var ownFactors = factors.Where(f => f.Axes.All(axes.Contains)).ToList();
        var ownExclusions = exclusions.Where(b => axes.Contains(b.Variable) && VariablesOf(b.Excluded!).All(axes.Contains)).ToList();
        Coordinates.Add(new Coordinate(expression, high, low, temperature, ownFactors, ownExclusions));
        return true;
    }

    /// <summary>A function of the scores that involves no comparison: a comparison of two such is a coordinate.</summary>
    private bool IsScoreExpression(BoundExpression expression) =>
        expression is not (BoundComparison or BoundStep)
        && !(expression is BoundLocalRef local && TailStatements.Contains(local.Statement))
        && Children(expression).All(IsScoreExpression);

    private static IEnumerable<string> VariablesOf(BoundIndex index) =>
        index.IsGather ? index.GatherIndices.SelectMany(VariablesOf) : new[] { index.Variable! };
}
