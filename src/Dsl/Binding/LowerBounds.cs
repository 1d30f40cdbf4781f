using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Binding;

/// <summary>
/// A number that a value can never be below, whatever the inputs, in the exact and the smooth program alike:
/// booleans (relaxed or not) lie in [0, 1], a sum of non-negative terms is non-negative, so a count is ≥ 0 and
/// a rank <c>1 + sum[j != i](...)</c> is ≥ 1. Null when nothing is known. The binder uses it to find comparisons
/// that a constant decides (<c>rank &lt;= 0</c> is always false).
/// </summary>
internal static class LowerBounds
{
    public static double? Of(BoundExpression expression, IReadOnlyDictionary<string, BoundStatement> statements, IReadOnlyDictionary<string, BoundInput> inputs)
    {
        double? Of(BoundExpression e) => LowerBounds.Of(e, statements, inputs);
        double? NonNegative(double? bound) => bound >= 0 ? 0 : null;

        if (expression.Kind == ValueKind.Bool) return 0;
        switch (expression)
        {
            case BoundNumber number:
                return number.Value;
            case BoundLocalRef local:
                return statements.TryGetValue(local.Statement, out var statement) ? Of(statement.Value) : null;
            case BoundInputRef input:
                // Positions (index<c> inputs) count from 0.
                return inputs.TryGetValue(input.Input, out var declared) && declared.Kind == InputKind.Index ? 0 : null;
            case BoundReduction reduction:
                // A sum may be empty (0); the other reducers stay within their terms.
                return reduction.Reducer == Reducer.Sum ? NonNegative(Of(reduction.Body)) : Of(reduction.Body);
            case BoundBinary binary:
                var left = Of(binary.Left);
                var right = Of(binary.Right);
                return binary.Operator switch
                {
                    BinaryOperator.Add => left + right,
                    BinaryOperator.Multiply when left >= 0 && right >= 0 => left * right,
                    // Both programs divide a non-negative value by a non-negative one into a non-negative one (a / 0 = 0 exactly).
                    BinaryOperator.Divide when left >= 0 && right >= 0 => 0,
                    _ => null,
                };
            case BoundCall call:
                var bounds = call.Arguments.Select(Of).ToList();
                return call.Function switch
                {
                    Function.Abs or Function.Exp or Function.Sqrt => 0,
                    Function.Max => bounds.Max(),
                    Function.Min => bounds[0] is { } a && bounds[1] is { } b ? Math.Min(a, b) : null,
                    // clamp(x, lo, hi) = min(max(x, lo), hi)
                    Function.Clamp => (bounds[0] ?? bounds[1]) is not null && bounds[2] is { } hi ? Math.Min(Math.Max(bounds[0] ?? double.MinValue, bounds[1] ?? double.MinValue), hi) : null,
                    Function.Where => bounds[1] is { } x && bounds[2] is { } y ? Math.Min(x, y) : null,
                    _ => null,
                };
            default:
                return null;
        }
    }
}
