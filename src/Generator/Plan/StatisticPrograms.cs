using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// The two programs a sufficient-statistics evaluator runs, as bound metrics the emitter prints like any other exact
/// program: <see cref="OfBatch"/> computes the statistics of one batch (the metric's inputs, its statements the
/// statistics read, one statement <c>statistic__k</c> per statistic), <see cref="FromStatistics"/> the metric from
/// the summed statistics (one <c>const real</c> input per statistic, the tail of the definition). Derived metrics keep
/// the metric's name, namespace and options, so that their checks name the metric and read its Options.
/// </summary>
internal static class StatisticPrograms
{
    /// <summary>The statistics of one batch; its goal is 0 (the statistics are its statements' locals).</summary>
    public static BoundMetric OfBatch(BoundMetric metric, StatisticsAnalysis analysis)
    {
        // The statements the statistics read, and those they read, from the last statement up (statements read only
        // statements above them; no recursion through a chain of them).
        var read = new HashSet<string>(System.StringComparer.Ordinal);
        void Reads(BoundExpression expression)
        {
            if (expression is BoundLocalRef local) read.Add(local.Statement);
            foreach (var child in Lowering.BoundTree.Children(expression)) Reads(child);
        }
        foreach (var statistic in analysis.Statistics) Reads(statistic.Sum);
        foreach (var statement in metric.Statements.Reverse())
        {
            if (read.Contains(statement.Name)) Reads(statement.Value);
        }
        var own = metric.Statements.Where(s => read.Contains(s.Name))
            .Concat(analysis.Statistics.Select(s => new BoundStatement(s.Name, s.Sum.Axes, s.Sum)));
        return metric with
        {
            Statements = own.ToEquatableArray(),
            Goal = new BoundNumber(0),
            Interpolation = null,
        };
    }

    /// <summary>The metric from its statistics; null where an axis of the tail would get its size from no statistic.</summary>
    public static BoundMetric? FromStatistics(BoundMetric metric, StatisticsAnalysis analysis)
    {
        var inputs = analysis.Statistics.Select(s => new BoundInput(s.Name, InputKind.ConstReal, s.SizeAxes.ToEquatableArray(), null)).ToList();
        var sizes = new Dictionary<string, AxisSize>(System.StringComparer.Ordinal);
        foreach (var option in metric.AxisSizes.Where(a => a.FromOption)) sizes[option.Axis] = option;
        foreach (var input in inputs)
        {
            for (var d = 0; d < input.Axes.Count; d++)
            {
                if (!sizes.ContainsKey(input.Axes[d])) sizes[input.Axes[d]] = new AxisSize(input.Axes[d], input.Name, d, false);
            }
        }
        var variables = metric.Variables.ToDictionary(v => v.Id, v => v.SizeAxis);
        var used = new HashSet<string>(System.StringComparer.Ordinal);
        void Visit(BoundExpression expression)
        {
            foreach (var axis in expression.Axes) used.Add(variables[axis]);
            if (expression is BoundReduction reduction) foreach (var binder in reduction.Binders) used.Add(variables[binder.Variable]);
            if (expression is BoundIdealDcg dcg) used.Add(variables[dcg.Variable]);
            foreach (var child in Lowering.BoundTree.Children(expression)) Visit(child);
        }
        foreach (var statement in analysis.TailStatements)
        {
            foreach (var axis in statement.Axes) used.Add(variables[axis]);
            Visit(statement.Value);
        }
        Visit(analysis.TailGoal);
        if (used.Any(axis => !sizes.ContainsKey(axis))) return null;
        return metric with
        {
            Inputs = inputs.ToEquatableArray(),
            AxisSizes = metric.AxisSizes.Where(a => a.FromOption).Concat(sizes.Values.Where(a => !a.FromOption)).ToEquatableArray(),
            Statements = analysis.TailStatements.ToEquatableArray(),
            Goal = analysis.TailGoal,
            Interpolation = null,
        };
    }
}
