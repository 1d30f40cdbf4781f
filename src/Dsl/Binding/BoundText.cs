using System;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Binding;

/// <summary>
/// Writes simple bound expressions back as metric text (<c>tau - 1</c>, <c>rank[q, i]</c>) for messages that
/// travel in the model: printed from the bound tree, not copied from the source, so that a whitespace edit
/// leaves the model equal. Expressions beyond arithmetic on numbers, options, inputs and statements print as null.
/// </summary>
internal static class BoundText
{
    private const int Additive = 1, Multiplicative = 2, Unary = 3, Power = 4, Atom = 5;

    public static string? Print(BoundExpression expression, Func<string, string> variableName) =>
        Write(expression, variableName)?.Text;

    private static (string Text, int Precedence)? Write(BoundExpression expression, Func<string, string> name)
    {
        string Indexed(string target, System.Collections.Generic.IEnumerable<string> variables)
        {
            var list = variables.Select(name).ToList();
            return list.Count == 0 ? target : $"{target}[{string.Join(", ", list)}]";
        }

        switch (expression)
        {
            case BoundNumber number:
                var text = ConstantFolding.Format(number.Value);
                return (text, number.Value < 0 ? Unary : Atom);
            case BoundOptionRef option:
                return (option.IndexVariable is null ? option.Option : Indexed(option.Option, new[] { option.IndexVariable }), Atom);
            case BoundLocalRef local:
                return (Indexed(local.Statement, local.Renaming), Atom);
            case BoundInputRef input when input.Indices.All(i => !i.IsGather):
                return (Indexed(input.Input, input.Indices.Select(i => i.Variable!)), Atom);
            case BoundUnary { Operator: UnaryOperator.Negate } unary:
                var operand = Write(unary.Operand, name);
                return operand is null ? null : ("-" + Wrap(operand.Value, operand.Value.Precedence < Unary), Unary);
            case BoundBinary binary when binary.Operator is not (BinaryOperator.And or BinaryOperator.Or):
                var left = Write(binary.Left, name);
                var right = Write(binary.Right, name);
                if (left is null || right is null) return null;
                var (symbol, precedence) = binary.Operator switch
                {
                    BinaryOperator.Add => ("+", Additive),
                    BinaryOperator.Subtract => ("-", Additive),
                    BinaryOperator.Multiply => ("*", Multiplicative),
                    BinaryOperator.Divide => ("/", Multiplicative),
                    _ => ("^", Power),
                };
                // `^` is right-associative and takes a unary exponent; the others are left-associative.
                var (leftParens, rightParens) = precedence == Power
                    ? (left.Value.Precedence <= Power, right.Value.Precedence < Unary)
                    : (left.Value.Precedence < precedence, right.Value.Precedence <= precedence);
                return ($"{Wrap(left.Value, leftParens)} {symbol} {Wrap(right.Value, rightParens)}", precedence);
            default:
                return null;
        }
    }

    private static string Wrap((string Text, int Precedence) part, bool parenthesise) => parenthesise ? $"({part.Text})" : part.Text;
}
