using System;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Binding;

/// <summary>Evaluates option defaults: arithmetic on numbers only (<c>1 / 73</c>, <c>-0.5</c>, <c>2 ^ 3</c>).</summary>
internal static class ConstantEvaluator
{
    /// <summary><paramref name="NotConstant"/>: the expression at <paramref name="Span"/> is not arithmetic on numbers (the caller quotes it).</summary>
    public readonly record struct Problem(SourceSpan Span, string Message, bool NotConstant = false);

    public static double? Evaluate(ExpressionSyntax syntax, out Problem? problem)
    {
        problem = null;
        switch (syntax)
        {
            case NumberSyntax number:
                return number.Value;
            case UnarySyntax { Operator: "-" } unary:
                return -Evaluate(unary.Operand, out problem);
            case BinarySyntax binary when binary.Operator is "+" or "-" or "*" or "/" or "^":
                var left = Evaluate(binary.Left, out problem);
                if (left is null) return null;
                var right = Evaluate(binary.Right, out problem);
                if (right is null) return null;
                if (binary.Operator == "/" && right.Value == 0)
                {
                    problem = new Problem(binary.Span, "division by zero");
                    return null;
                }
                var value = binary.Operator switch
                {
                    "+" => left.Value + right.Value,
                    "-" => left.Value - right.Value,
                    "*" => left.Value * right.Value,
                    "/" => left.Value / right.Value,
                    _ => Math.Pow(left.Value, right.Value),
                };
                if (double.IsNaN(value) || double.IsInfinity(value))
                {
                    problem = new Problem(binary.Span, "the value is not a finite number");
                    return null;
                }
                return value;
            default:
                problem = new Problem(syntax.Span, "expected a constant (numbers and + - * / ^ only)", NotConstant: true);
                return null;
        }
    }
}
