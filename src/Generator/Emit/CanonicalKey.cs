using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// A text key for an expression that is equal for equal computations: variables bound by reductions are
/// renamed by their binding depth (every `sum[n]` declares its own variable), and `&amp;` and `*` are one
/// operation, as they are in the generated code. Free variables keep their ids, since they name the
/// dimensions of the value.
/// </summary>
internal static class CanonicalKey
{
    public static string Of(BoundExpression expression)
    {
        var text = new StringBuilder();
        Write(expression, new Dictionary<string, string>(), text);
        return text.ToString();
    }

    /// <summary>The key with some free variables renamed (to compare "x at j" with "x at i").</summary>
    public static string Of(BoundExpression expression, string variable, string name)
    {
        var text = new StringBuilder();
        Write(expression, new Dictionary<string, string> { [variable] = name }, text);
        return text.ToString();
    }

    private static void Write(BoundExpression expression, Dictionary<string, string> bound, StringBuilder text)
    {
        // Keys are taken of bound expressions only, never of a support rewrite's DAG (ProgramLowering.TryLowered), so
        // this recursion is as deep as TextLimits allow; the check is for a surprise, not a plan.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (expression)
        {
            case BoundNumber number:
                text.Append("N").Append(number.Value.ToString("R", CultureInfo.InvariantCulture));
                break;
            case BoundOptionRef option:
                text.Append("O(").Append(option.Option).Append(',').Append(Name(option.IndexVariable, bound)).Append(')');
                break;
            case BoundInputRef input:
                text.Append("I(").Append(input.Input);
                foreach (var index in input.Indices) WriteIndex(index, bound, text.Append(','));
                text.Append(')');
                break;
            case BoundLocalRef local:
                text.Append("L(").Append(local.Statement);
                foreach (var variable in local.Renaming) text.Append(',').Append(Name(variable, bound));
                text.Append(')');
                break;
            case BoundUnary unary:
                text.Append(unary.Operator == UnaryOperator.Not ? "!(" : "-(");
                Write(unary.Operand, bound, text);
                text.Append(')');
                break;
            case BoundBinary binary:
                var op = binary.Operator is BinaryOperator.And ? BinaryOperator.Multiply : binary.Operator;
                text.Append(op).Append('(');
                Write(binary.Left, bound, text);
                text.Append(',');
                Write(binary.Right, bound, text);
                text.Append(')');
                break;
            case BoundComparison comparison:
                text.Append(comparison.Operator).Append('(');
                Write(comparison.Left, bound, text);
                text.Append(',');
                Write(comparison.Right, bound, text);
                text.Append(",@");
                if (comparison.Temperature is not null) Write(comparison.Temperature, bound, text);
                text.Append(')');
                break;
            case BoundStep step:
                text.Append("step(");
                Write(step.Argument, bound, text);
                text.Append(",@");
                if (step.Temperature is not null) Write(step.Temperature, bound, text);
                text.Append(')');
                break;
            case BoundReduction reduction:
                var inner = new Dictionary<string, string>(bound);
                text.Append(reduction.Reducer).Append('[');
                foreach (var binder in reduction.Binders)
                {
                    inner[binder.Variable] = "$" + inner.Count;
                    text.Append(inner[binder.Variable]);
                    if (binder.Excluded is not null) WriteIndex(binder.Excluded, bound, text.Append("!="));
                    text.Append(';');
                }
                text.Append("](");
                Write(reduction.Body, inner, text);
                text.Append(')');
                break;
            case BoundCall call:
                text.Append(call.Function).Append('(');
                foreach (var argument in call.Arguments)
                {
                    Write(argument, bound, text);
                    text.Append(',');
                }
                text.Append(')');
                break;
            case BoundIdealDcg idealDcg:
                var scope = new Dictionary<string, string>(bound) { [idealDcg.Variable] = "$" + bound.Count };
                text.Append("idcg(");
                Write(idealDcg.Gain, scope, text);
                text.Append(',');
                Write(idealDcg.K, bound, text);
                text.Append(')');
                break;
        }
    }

    private static void WriteIndex(BoundIndex index, Dictionary<string, string> bound, StringBuilder text)
    {
        if (!index.IsGather)
        {
            text.Append(Name(index.Variable, bound));
            return;
        }
        text.Append(index.GatherInput).Append('[');
        foreach (var inner in index.GatherIndices) WriteIndex(inner, bound, text.Append(','));
        text.Append(']');
    }

    private static string Name(string? variable, Dictionary<string, string> bound) =>
        variable is null ? "" : bound.TryGetValue(variable, out var canonical) ? canonical : variable;
}
