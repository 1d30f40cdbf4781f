using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Binding;

/// <summary>
/// Evaluates a constant part (<see cref="ConstantExpression.IsOptionArithmetic"/>) with given option values:
/// the defaults in the binder, the values of a run in the reference interpreter. Arithmetic is plain (a / 0
/// is infinite or NaN, not the guarded division of the programs), so a bad value is never hidden.
/// </summary>
internal static class ConstantFolding
{
    /// <summary>One value of the part and the option values it was computed from (<c>k[1] = 0</c>).</summary>
    public readonly record struct Evaluation(double Value, IReadOnlyList<(string Name, double Value)> Options)
    {
        /// <summary>" with the default k[1] = 0" (or with the values given); empty for a part made of numbers only.</summary>
        public string With(string values) =>
            Options.Count == 0 ? "" : $" with {values}" + string.Join(", ", Options.Select(o => $"{o.Name} = {Format(o.Value)}"));
    }

    /// <summary>
    /// Every value of <paramref name="expression"/>: one for a scalar part, one per position for a part that
    /// reads vector options (positions up to the shortest vector read through the same axis variable).
    /// </summary>
    public static IEnumerable<Evaluation> EvaluateAll(BoundExpression expression, Func<string, IReadOnlyList<double>> values)
    {
        var references = ConstantExpression.OptionRefs(expression);
        var variables = references.Where(r => r.IndexVariable is not null).Select(r => r.IndexVariable!).Distinct().ToList();
        var sizes = variables.Select(v => references.Where(r => r.IndexVariable == v).Min(r => values(r.Option).Count)).ToList();
        if (sizes.Any(s => s == 0)) yield break;
        var position = new int[variables.Count];
        while (true)
        {
            double Read(BoundOptionRef option) =>
                values(option.Option)[option.IndexVariable is null ? 0 : position[variables.IndexOf(option.IndexVariable)]];
            var used = references
                .Select(r => (r.IndexVariable is null ? r.Option : $"{r.Option}[{position[variables.IndexOf(r.IndexVariable)]}]", Read(r)))
                .ToList();
            yield return new Evaluation(Evaluate(expression, Read), used);

            // The next position, last variable fastest; done after the last one.
            var v = variables.Count - 1;
            while (v >= 0 && ++position[v] == sizes[v]) position[v--] = 0;
            if (v < 0) yield break;
        }
    }

    public static double Evaluate(BoundExpression expression, Func<BoundOptionRef, double> read) => expression switch
    {
        BoundNumber number => number.Value,
        BoundOptionRef option => read(option),
        BoundUnary { Operator: UnaryOperator.Negate } unary => -Evaluate(unary.Operand, read),
        BoundBinary binary => Apply(binary.Operator, Evaluate(binary.Left, read), Evaluate(binary.Right, read)),
        _ => throw new ArgumentException($"not a constant part: {expression.GetType().Name}", nameof(expression)),
    };

    private static double Apply(BinaryOperator op, double left, double right) => op switch
    {
        BinaryOperator.Add => left + right,
        BinaryOperator.Subtract => left - right,
        BinaryOperator.Multiply => left * right,
        BinaryOperator.Divide => left / right,
        BinaryOperator.Power => Math.Pow(left, right),
        _ => throw new ArgumentException($"not an arithmetic operator: {op}", nameof(op)),
    };

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
