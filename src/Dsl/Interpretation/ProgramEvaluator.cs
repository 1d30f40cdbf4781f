using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// Runs one program of a metric: every statement in declaration order (each may use those above it),
/// materialised densely over its declared axes, then the goal as a scalar.
/// </summary>
internal static class ProgramEvaluator
{
    public static double Run(ValidatedInputs run, EvaluationMode mode, InterpreterSettings settings)
    {
        var evaluator = new ExpressionEvaluator(run, mode, settings);
        foreach (var statement in run.Metric.Statements)
        {
            evaluator.Statements[statement.Name] = EvaluateStatement(statement, run, evaluator);
        }
        return evaluator.Evaluate(run.Metric.Goal, Assignment.Empty);
    }

    /// <summary>
    /// The statement's value at every assignment of its declared axes, in row-major order, so that the
    /// array's dimension d is the statement's d-th declared axis (what <see cref="BoundLocalRef.Renaming"/> refers to).
    /// </summary>
    private static DenseArray EvaluateStatement(BoundStatement statement, ValidatedInputs run, ExpressionEvaluator evaluator)
    {
        var sizes = statement.Axes.Select(run.SizeOf).ToArray();
        var values = IndexSpace.Enumerate(Assignment.Empty, statement.Axes, sizes)
            .Select(assignment => evaluator.Evaluate(statement.Value, assignment))
            .ToArray();
        return new DenseArray(values, sizes);
    }
}
