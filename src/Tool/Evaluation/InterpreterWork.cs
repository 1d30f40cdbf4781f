using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Tool.Evaluation;

/// <summary>
/// How many index assignments the reference interpreter enumerates to evaluate a metric: every cell of every
/// statement, every iteration of every reduction (nested ones multiplied out). The interpreter is literal (a
/// pairwise sum visits all n² pairs and keeps their values), about a microsecond and up to 8 bytes per
/// assignment, so this predicts both its time and its memory before it starts.
/// </summary>
internal sealed class InterpreterWork
{
    private readonly Dictionary<string, double> _variableSizes;

    private InterpreterWork(Dictionary<string, double> variableSizes) => _variableSizes = variableSizes;

    public static double Estimate(BoundMetric metric, IReadOnlyDictionary<string, DenseArray> inputs, IReadOnlyDictionary<string, double[]> options)
    {
        var axisSizes = new Dictionary<string, double>();
        foreach (var input in metric.Inputs)
        {
            for (var d = 0; d < input.Axes.Count; d++) axisSizes[input.Axes[d]] = inputs[input.Name].Shape[d];
        }
        foreach (var option in metric.Options.Where(o => o.IsVector))
        {
            axisSizes[option.VectorAxis!] = options.TryGetValue(option.Name, out var given) ? given.Length : option.Default.Count;
        }
        var work = new InterpreterWork(metric.Variables.ToDictionary(v => v.Id, v => axisSizes.GetValueOrDefault(v.SizeAxis, 1)));

        var total = work.Of(metric.Goal);
        foreach (var statement in metric.Statements)
        {
            total += work.Cells(statement.Axes) * (1 + work.Of(statement.Value));
        }
        return total;
    }

    private double Cells(IEnumerable<string> variables) => variables.Aggregate(1.0, (product, v) => product * _variableSizes.GetValueOrDefault(v, 1));

    /// <summary>The assignments one evaluation of <paramref name="expression"/> enumerates.</summary>
    private double Of(BoundExpression expression) => expression switch
    {
        BoundReduction r => Cells(r.Binders.Select(b => b.Variable)) * (1 + Of(r.Body)),
        BoundIdealDcg d => Cells(new[] { d.Variable }) * (1 + Of(d.Gain)) + Of(d.K),
        BoundUnary u => Of(u.Operand),
        BoundBinary b => Of(b.Left) + Of(b.Right),
        BoundComparison c => Of(c.Left) + Of(c.Right),
        BoundStep s => Of(s.Argument),
        BoundCall c => c.Arguments.Sum(Of),
        _ => 0,
    };
}
