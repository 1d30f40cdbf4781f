using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MetricLoss.Dsl;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Plan;

/// <summary>The whole-set rank metrics whose value the runtime computes from binned counts (MetricLoss.Evaluation.BinnedRanks).</summary>
internal enum BinnedRankForm
{
    /// <summary>ROC AUC: the Mann–Whitney count of positive–negative pairs, ties one half, over the pairs.</summary>
    RocAuc,

    /// <summary>Average precision with pessimistic ties (scikit-learn's step-wise AP).</summary>
    AveragePrecision,
}

/// <summary>
/// Which exact programs are ROC AUC or AP, whatever their names: the goal with every statement inlined, inputs named by
/// position, variables by order of appearance and temperatures left out (the exact program ignores them) is compared
/// with that of the definitions below. Only then may an evaluator keep binned counts instead of the scores: the runtime
/// computes these two metrics, and their error bounds, from the counts (docs/training.md).
/// </summary>
internal static class BinnedRankForms
{
    private const string RocAucText = """
        metric RocAuc(score: real[n], label: bool[n], tau: real = 0.05) {
            pairs = sum[i, j](label[i] & !label[j]);
            wins  = sum[i, j](label[i] & !label[j] & step(score[i] - score[j]));
            maximize wins / pairs;
        }
        """;

    private const string AveragePrecisionText = """
        metric AveragePrecision(score: real[n], label: bool[n], tau: real = 0.01) {
            above[i]     = 1 + sum[j != i](score[j] >= score[i]);
            pos_above[i] = 1 + sum[j != i](label[j] & (score[j] >= score[i]));
            maximize sum[i](label[i] * pos_above[i] / above[i]) / sum[i](label[i]);
        }
        """;

    private static readonly System.Lazy<IReadOnlyList<(BinnedRankForm Form, string Key)>> Templates = new(() => new[]
    {
        (BinnedRankForm.RocAuc, KeyOf(RocAucText)),
        (BinnedRankForm.AveragePrecision, KeyOf(AveragePrecisionText)),
    });

    /// <summary>The form of <paramref name="metric"/>: a maximised metric of a real[n] score and a bool[n] label equal to a template up to names.</summary>
    public static BinnedRankForm? Of(BoundMetric metric)
    {
        if (metric.Direction != GoalDirection.Maximize || metric.Inputs.Count != 2) return null;
        if (metric.Inputs[0].Kind != InputKind.Real || metric.Inputs[1].Kind != InputKind.Bool) return null;
        if (metric.Inputs.Any(i => i.Axes.Count != 1 || i.Axes[0] != metric.Inputs[0].Axes[0])) return null;
        // Both templates have two statements and a goal of a few dozen nodes; the key inlines statements, so a long
        // chain of them (which no template is) is not spelled out.
        if (metric.Statements.Count > 4) return null;
        var key = Key(metric);
        foreach (var (form, template) in Templates.Value)
        {
            if (key == template) return form;
        }
        return null;
    }

    private static string KeyOf(string text) => Key(MetricCompiler.Compile(text, null).Metrics[0]);

    private static string Key(BoundMetric metric)
    {
        var writer = new KeyWriter(metric);
        writer.Write(metric.Goal, new Dictionary<string, string>());
        return writer.Text.ToString();
    }

    /// <summary>The normalised text of an expression (a CanonicalKey with names taken out and statements inlined).</summary>
    private sealed class KeyWriter
    {
        private readonly Dictionary<string, BoundStatement> _statements;
        private readonly Dictionary<string, int> _inputs;
        private int _next;

        public KeyWriter(BoundMetric metric)
        {
            _statements = metric.Statements.ToDictionary(s => s.Name);
            _inputs = metric.Inputs.Select((input, k) => (input.Name, k)).ToDictionary(p => p.Name, p => p.k);
        }

        public StringBuilder Text { get; } = new();

        public void Write(BoundExpression expression, Dictionary<string, string> names)
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (expression)
            {
                case BoundNumber number:
                    Text.Append('N').Append(number.Value.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case BoundOptionRef option:
                    Text.Append("O(").Append(option.Option).Append(')');
                    break;
                case BoundInputRef input:
                    Text.Append("I(").Append(_inputs[input.Input]);
                    foreach (var index in input.Indices) Index(index, names);
                    Text.Append(')');
                    break;
                case BoundLocalRef local:
                    var statement = _statements[local.Statement];
                    var inner = new Dictionary<string, string>(names);
                    for (var k = 0; k < statement.Axes.Count; k++) inner[statement.Axes[k]] = Name(local.Renaming[k], names);
                    Write(statement.Value, inner);
                    break;
                case BoundUnary unary:
                    Text.Append(unary.Operator).Append('(');
                    Write(unary.Operand, names);
                    Text.Append(')');
                    break;
                case BoundBinary binary:
                    Text.Append(binary.Operator is BinaryOperator.And ? BinaryOperator.Multiply : binary.Operator).Append('(');
                    Write(binary.Left, names);
                    Text.Append(',');
                    Write(binary.Right, names);
                    Text.Append(')');
                    break;
                case BoundComparison comparison:
                    Text.Append(comparison.Operator).Append('(');
                    Write(comparison.Left, names);
                    Text.Append(',');
                    Write(comparison.Right, names);
                    Text.Append(')');
                    break;
                case BoundStep step:
                    Text.Append("step(");
                    Write(step.Argument, names);
                    Text.Append(')');
                    break;
                case BoundReduction reduction:
                    var scope = new Dictionary<string, string>(names);
                    Text.Append(reduction.Reducer).Append('[');
                    foreach (var binder in reduction.Binders)
                    {
                        scope[binder.Variable] = "$" + _next++.ToString(CultureInfo.InvariantCulture);
                        Text.Append(scope[binder.Variable]);
                        if (binder.Excluded is not null) Index(binder.Excluded, names);
                        Text.Append(';');
                    }
                    Text.Append("](");
                    Write(reduction.Body, scope);
                    Text.Append(')');
                    break;
                default:
                    // Calls and ideal DCGs are in neither template: any text that no template has.
                    Text.Append('?').Append(expression.GetType().Name);
                    break;
            }
        }

        private void Index(BoundIndex index, Dictionary<string, string> names)
        {
            Text.Append(',');
            if (!index.IsGather)
            {
                Text.Append(Name(index.Variable!, names));
                return;
            }
            Text.Append("G(").Append(_inputs[index.GatherInput!]);
            foreach (var inner in index.GatherIndices) Index(inner, names);
            Text.Append(')');
        }

        private static string Name(string variable, Dictionary<string, string> names) =>
            names.TryGetValue(variable, out var name) ? name : "free:" + variable;
    }
}
