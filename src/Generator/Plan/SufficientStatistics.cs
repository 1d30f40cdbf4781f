using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// One sufficient statistic of a metric: a sum over the batch axis (and perhaps other axes) of a row-wise expression,
/// whose free axes it keeps (tp[c] keeps the class axis). <see cref="Sum"/> is the reduction as a sum (a mean of the
/// definition is the sum of its terms divided by the statistic that counts them).
/// </summary>
/// <param name="Name">The statistic's input name in the derived programs: <c>statistic__k</c>, no user's name.</param>
/// <param name="Description">What it is, for Info and the docs: the statement it is, or where it sits.</param>
/// <param name="Sum">The sum over the batch axis, as a reduction of the definition.</param>
/// <param name="SizeAxes">The global axes of its free variables: the shape it keeps.</param>
internal sealed record Statistic(string Name, string Description, BoundReduction Sum, IReadOnlyList<string> SizeAxes);

/// <summary>
/// The outcome of <see cref="SufficientStatistics.Find"/>: the statistics, and the rest of the exact program (the tail)
/// with each statistic replaced by a reference to it. The tail no longer reads the batch axis.
/// </summary>
/// <param name="Statistics">In the order they are first met (goal first, then the statements it reads).</param>
/// <param name="TailStatements">The statements the tail computes from the statistics, rewritten, in definition order.</param>
/// <param name="TailGoal">The goal with every statistic replaced.</param>
/// <param name="PerRow">Some statistic's row value needs a reduction within the row (a rank, an argmax): the rows are
/// query lists or class rows rather than single items.</param>
internal sealed record StatisticsAnalysis(
    IReadOnlyList<Statistic> Statistics,
    IReadOnlyList<BoundStatement> TailStatements,
    BoundExpression TailGoal,
    bool PerRow);

/// <summary>
/// Whether a metric depends on its batch axis (the first axis of its first input) only through sums of row-wise
/// expressions, and which sums. Then the exact value of a data set is the tail of the program evaluated on the sums of
/// the batches (sums add, so the evaluator keeps them: O(1) in the number of items), and nothing else of a batch needs
/// to be kept. A row-wise expression reads every input at one position v of the batch axis (inputs indexed by v, no
/// other variable over that axis, no reduction over it, statements read at v that are row-wise themselves); a
/// statistic is <c>sum</c> or <c>mean</c> over v (and perhaps other axes) of one. Everything outside the statistics
/// must not read the batch axis at all. Anything else (a pair of items, a rank over the whole set, an input indexed by
/// an index into the batch axis) is no sum of rows, and the analysis answers null.
/// </summary>
internal sealed class SufficientStatistics
{
    private readonly string _batchAxis;
    private readonly Dictionary<string, AxisVariable> _variables;
    private readonly Dictionary<string, BoundStatement> _statements;
    private readonly Dictionary<string, bool> _readsBatch = new();
    private readonly Dictionary<string, bool> _rowWiseStatement = new();
    private readonly Dictionary<string, BoundStatement> _tail = new();
    private readonly Dictionary<string, bool> _reducesWithinRow = new();
    private readonly List<(Statistic Statistic, string? Owner, bool PerRow)> _statistics = new();
    private string? _owner;

    private SufficientStatistics(BoundMetric metric, string batchAxis)
    {
        _batchAxis = batchAxis;
        _variables = metric.Variables.ToDictionary(v => v.Id);
        _statements = metric.Statements.ToDictionary(s => s.Name);
    }

    /// <summary>The statistics and the tail, or null where the metric is not a function of sums over its batch axis.</summary>
    public static StatisticsAnalysis? Find(BoundMetric metric)
    {
        if (metric.Inputs.Count == 0 || metric.Inputs[0].Axes.Count == 0) return null;
        var batchAxis = metric.Inputs[0].Axes[0];
        // Batches are joined along the first axis of every input; an input across the batch axis elsewhere, or an index
        // into it (positions that a concatenation would shift), is not a row of its own.
        if (metric.Inputs.Any(i => i.Axes.Count == 0 || i.Axes[0] != batchAxis || i.Axes.Skip(1).Contains(batchAxis) || i.IndexAxis == batchAxis)) return null;
        var analysis = new SufficientStatistics(metric, batchAxis);
        // Statements read only statements above them: one pass in definition order decides each from the facts of
        // those above (never recursing through a chain of statements, which may be as long as a definition allows).
        foreach (var statement in metric.Statements) analysis.Decide(statement);
        var goal = analysis.Tail(metric.Goal, "the goal");
        if (goal is null) return null;
        // The tail: the statements the goal reads, and those they read, found from the last statement up.
        var needed = new HashSet<string>(System.StringComparer.Ordinal);
        Reads(goal, needed);
        var tail = new List<BoundStatement>();
        foreach (var statement in metric.Statements.Reverse())
        {
            if (!needed.Contains(statement.Name)) continue;
            if (!analysis._tail.TryGetValue(statement.Name, out var rewritten)) return null;
            tail.Add(rewritten);
            Reads(rewritten.Value, needed);
        }
        tail.Reverse();
        var statistics = analysis._statistics.Where(s => s.Owner is null || needed.Contains(s.Owner)).Select(s => s.Statistic).ToList();
        var perRow = analysis._statistics.Any(s => (s.Owner is null || needed.Contains(s.Owner)) && s.PerRow);
        return new StatisticsAnalysis(statistics, tail, goal, perRow);
    }

    /// <summary>Adds the statements an expression reads (not those they read) to <paramref name="names"/>.</summary>
    private static void Reads(BoundExpression expression, HashSet<string> names)
    {
        if (expression is BoundLocalRef local) names.Add(local.Statement);
        foreach (var child in Lowering.BoundTree.Children(expression)) Reads(child, names);
    }

    /// <summary>A statement's facts: whether it reads the batch axis, is row-wise, needs a reduction within a row, and its tail form.</summary>
    private void Decide(BoundStatement statement)
    {
        _readsBatch[statement.Name] = ReadsBatch(statement.Value);
        _reducesWithinRow[statement.Name] = _readsBatch[statement.Name] && ReducesWithinRow(statement.Value);
        var positions = Enumerable.Range(0, statement.Axes.Count).Where(p => IsBatchVariable(statement.Axes[p])).ToList();
        _rowWiseStatement[statement.Name] = positions.Count == 1 && RowWise(statement.Value, statement.Axes[positions[0]]);
        if (positions.Count > 0) return;
        _owner = statement.Name;
        var value = Tail(statement.Value, $"`{statement.Name}`");
        _owner = null;
        if (value is not null) _tail[statement.Name] = new BoundStatement(statement.Name, statement.Axes, value);
    }

    private bool IsBatchVariable(string? variable) => variable is not null && _variables[variable].SizeAxis == _batchAxis;

    /// <summary>Whether an expression reads the batch axis: an input (all are along it), a statement that does, a binder over it.</summary>
    private bool ReadsBatch(BoundExpression expression) => expression switch
    {
        BoundInputRef => true,
        BoundLocalRef local => _readsBatch[local.Statement],
        BoundReduction reduction when reduction.Binders.Any(b => IsBatchVariable(b.Variable)) => true,
        BoundIdealDcg dcg when IsBatchVariable(dcg.Variable) => true,
        _ => Lowering.BoundTree.Children(expression).Any(ReadsBatch),
    };

    /// <summary>The expression outside every statistic, rewritten; null where it reads the batch axis otherwise.</summary>
    private BoundExpression? Tail(BoundExpression expression, string context)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (!ReadsBatch(expression)) return expression;
        switch (expression)
        {
            case BoundReduction reduction when IsStatistic(reduction, out var variable):
                return StatisticOf(reduction, variable, context);
            case BoundReduction reduction:
                if (reduction.Binders.Any(b => IsBatchVariable(b.Variable))) return null;
                var body = Tail(reduction.Body, context);
                return body is null ? null : new BoundReduction(reduction.Reducer, reduction.Binders, body, reduction.Axes, reduction.Kind);
            case BoundLocalRef local:
                return _tail.ContainsKey(local.Statement) ? local : null;
            case BoundUnary unary:
                var operand = Tail(unary.Operand, context);
                return operand is null ? null : new BoundUnary(unary.Operator, operand, unary.Kind);
            case BoundBinary binary:
                var left = Tail(binary.Left, context);
                var right = left is null ? null : Tail(binary.Right, context);
                return right is null ? null : new BoundBinary(binary.Operator, left!, right, binary.Axes, binary.Kind);
            case BoundComparison comparison:
                var a = Tail(comparison.Left, context);
                var b = a is null ? null : Tail(comparison.Right, context);
                return b is null ? null : new BoundComparison(comparison.Operator, a!, b, comparison.Temperature, comparison.Axes);
            case BoundStep step:
                var argument = Tail(step.Argument, context);
                return argument is null ? null : new BoundStep(argument, step.Temperature);
            case BoundCall call:
                var arguments = new List<BoundExpression>();
                foreach (var argumentOf in call.Arguments)
                {
                    var rewritten = Tail(argumentOf, context);
                    if (rewritten is null) return null;
                    arguments.Add(rewritten);
                }
                return new BoundCall(call.Function, arguments.ToEquatableArray(), call.Axes, call.Kind, arguments.Any(x => x.DependsOnScore));
            default:
                // An input read outside a sum over the batch axis, an ideal DCG over it.
                return null;
        }
    }

    /// <summary>A sum or mean binding one variable of the batch axis (no <c>!=</c> on it) over a row-wise body.</summary>
    private bool IsStatistic(BoundReduction reduction, out string variable)
    {
        variable = "";
        if (reduction.Reducer is not (Reducer.Sum or Reducer.Mean)) return false;
        var batch = reduction.Binders.Where(b => IsBatchVariable(b.Variable)).ToList();
        if (batch.Count != 1 || batch[0].Excluded is not null) return false;
        variable = batch[0].Variable;
        var v = variable;
        return reduction.Binders.All(b => b.Excluded is null || IndexRowWise(b.Excluded, v)) && RowWise(reduction.Body, variable);
    }

    /// <summary>A reference to the statistic (a mean: the sum of its terms over the count of its terms).</summary>
    private BoundExpression StatisticOf(BoundReduction reduction, string variable, string context)
    {
        var perRow = ReducesWithinRow(reduction.Body);
        var sum = new BoundReduction(Reducer.Sum, reduction.Binders, reduction.Body, reduction.Axes, ValueKind.Real);
        var total = Reference(sum, context, Describe(reduction, "sum"), perRow);
        if (reduction.Reducer == Reducer.Sum) return total;
        var count = Reference(new BoundReduction(Reducer.Sum, reduction.Binders, new BoundNumber(1), reduction.Axes, ValueKind.Real), context, Describe(reduction, "count"), perRow);
        return new BoundBinary(BinaryOperator.Divide, total, count, reduction.Axes, ValueKind.Real);
    }

    /// <summary>"sum[q] of ap" or "count[q, m]": the reducer, its binders by name, and the statements and inputs its body reads.</summary>
    private string Describe(BoundReduction reduction, string what)
    {
        var binders = "[" + string.Join(", ", reduction.Binders.Select(b => _variables[b.Variable].Name)) + "]";
        if (what == "count") return "count" + binders;
        var names = new List<string>();
        void Visit(BoundExpression expression)
        {
            var name = expression switch { BoundLocalRef local => local.Statement, BoundInputRef input => input.Input, _ => null };
            if (name is not null && !names.Contains(name)) names.Add(name);
            if (expression is not BoundLocalRef) foreach (var child in Lowering.BoundTree.Children(expression)) Visit(child);
        }
        Visit(reduction.Body);
        return $"sum{binders} of {string.Join(", ", names)}";
    }

    private BoundExpression Reference(BoundReduction sum, string context, string summary, bool perRow)
    {
        var name = "statistic__" + _statistics.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // A statement that is one sum is named by its statement (tp); any other sum by what it adds up, and where.
        var description = context.StartsWith("`", System.StringComparison.Ordinal) && summary.StartsWith("sum", System.StringComparison.Ordinal) && !_statistics.Any(s => s.Statistic.Description == context.Trim('`'))
            ? context.Trim('`')
            : $"{summary} ({context})";
        _statistics.Add((new Statistic(name, description, sum, sum.Axes.Select(a => _variables[a].SizeAxis).ToList()), _owner, perRow));
        var indices = sum.Axes.Select(BoundIndex.Of).ToEquatableArray();
        return new BoundInputRef(name, indices, sum.Axes, ValueKind.Real, false);
    }

    /// <summary>Whether a row's value needs a reduction inside the row (over an axis other than the batch's).</summary>
    private bool ReducesWithinRow(BoundExpression expression) => expression switch
    {
        BoundReduction or BoundIdealDcg => true,
        BoundLocalRef local => _reducesWithinRow[local.Statement],
        _ => Lowering.BoundTree.Children(expression).Any(ReducesWithinRow),
    };

    /// <summary>Whether <paramref name="expression"/> reads the batch axis at <paramref name="variable"/> only.</summary>
    private bool RowWise(BoundExpression expression, string variable)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expression)
        {
            case BoundInputRef input:
                return input.Indices.Count > 0 && !input.Indices[0].IsGather && input.Indices[0].Variable == variable
                    && input.Indices.Skip(1).All(i => IndexRowWise(i, variable, allowBatch: false));
            case BoundOptionRef:
            case BoundNumber:
                return true;
            case BoundLocalRef local:
                if (!_readsBatch[local.Statement]) return !local.Renaming.Any(IsBatchVariable);
                var statement = _statements[local.Statement];
                var positions = Enumerable.Range(0, statement.Axes.Count).Where(p => IsBatchVariable(statement.Axes[p])).ToList();
                if (positions.Count != 1 || local.Renaming[positions[0]] != variable) return false;
                if (local.Renaming.Where((_, p) => p != positions[0]).Any(IsBatchVariable)) return false;
                return _rowWiseStatement[local.Statement];
            case BoundReduction reduction:
                return !reduction.Binders.Any(b => IsBatchVariable(b.Variable))
                    && reduction.Binders.All(b => b.Excluded is null || IndexRowWise(b.Excluded, variable))
                    && RowWise(reduction.Body, variable);
            case BoundIdealDcg dcg:
                return !IsBatchVariable(dcg.Variable) && RowWise(dcg.Gain, variable) && RowWise(dcg.K, variable);
            default:
                return Lowering.BoundTree.Children(expression).All(c => RowWise(c, variable));
        }
    }

    /// <summary>
    /// An index of an input or binder: a plain variable (the row's own where <paramref name="allowBatch"/>, else none of
    /// the batch axis), or a gather through an index input read at the row.
    /// </summary>
    private bool IndexRowWise(BoundIndex index, string variable, bool allowBatch = true)
    {
        if (!index.IsGather) return !IsBatchVariable(index.Variable) || (allowBatch && index.Variable == variable);
        return index.GatherIndices.Count > 0 && !index.GatherIndices[0].IsGather && index.GatherIndices[0].Variable == variable
            && index.GatherIndices.Skip(1).All(i => IndexRowWise(i, variable, allowBatch: false));
    }
}
