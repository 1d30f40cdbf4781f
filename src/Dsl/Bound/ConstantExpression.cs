using System.Collections.Generic;

namespace MetricLoss.Dsl.Bound;

/// <summary>
/// Facts about the constant parts of a metric: numbers and options combined with + - * / ^ (temperatures,
/// cut-offs, constant divisors). They are what the binder folds with the defaults and what the generated
/// Options record evaluates when it validates the values given at run time.
/// </summary>
public static class ConstantExpression
{
    /// <summary>Numbers and options (a vector option indexed by an axis too) combined with + - * / ^ and unary minus.</summary>
    public static bool IsOptionArithmetic(BoundExpression expression) => expression switch
    {
        BoundNumber => true,
        BoundOptionRef => true,
        BoundUnary { Operator: UnaryOperator.Negate } unary => IsOptionArithmetic(unary.Operand),
        BoundBinary { Operator: not (BinaryOperator.And or BinaryOperator.Or) } binary =>
            IsOptionArithmetic(binary.Left) && IsOptionArithmetic(binary.Right),
        _ => false,
    };

    /// <summary>The option references of an option-arithmetic expression, each (option, index variable) once, in reading order.</summary>
    public static IReadOnlyList<BoundOptionRef> OptionRefs(BoundExpression expression)
    {
        var found = new List<BoundOptionRef>();
        void Visit(BoundExpression e)
        {
            switch (e)
            {
                case BoundOptionRef option:
                    if (!found.Exists(f => f.Option == option.Option && f.IndexVariable == option.IndexVariable)) found.Add(option);
                    break;
                case BoundUnary unary: Visit(unary.Operand); break;
                case BoundBinary binary: Visit(binary.Left); Visit(binary.Right); break;
            }
        }
        Visit(expression);
        return found;
    }
}
