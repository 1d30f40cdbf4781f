using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>Operators, comparisons, reductions and functions. Semantics: docs/language.md, "Semantics".</summary>
internal sealed partial class ProgramLowering
{
    // The Lower methods recurse once per level of an expression: each lowers its operands and hands them to a method
    // that combines them, so the frame that stays on the stack while the operands are lowered is a small one.

    private ProgramValue LowerUnary(BoundUnary unary) => Unary(unary, LowerExpression(unary.Operand));

    private static ProgramValue Unary(BoundUnary unary, ProgramValue operand)
    {
        if (unary.Operator == UnaryOperator.Negate)
        {
            return operand.IsNumber ? ProgramValue.Number(Op.Call(OpCode.NumberNegate, operand.Code)) : ProgramValue.Tensor(Op.Call(OpCode.Negate, operand.Code), operand.Axes);
        }
        return operand.IsNumber ? ProgramValue.Number(Op.Call(OpCode.NumberNot, operand.Code)) : ProgramValue.Tensor(Op.Call(OpCode.Not, operand.Code), operand.Axes);
    }

    private ProgramValue LowerBinary(BoundBinary binary)
    {
        var left = LowerExpression(binary.Left);
        return Binary(binary, left, LowerExpression(binary.Right));
    }

    private ProgramValue Binary(BoundBinary binary, ProgramValue left, ProgramValue right)
    {
        var axes = Combined(binary.Axes, left, right);
        return binary.Operator switch
        {
            BinaryOperator.Add => Plus(left, right, axes),
            BinaryOperator.Subtract => Minus(left, right, axes),
            BinaryOperator.Multiply or BinaryOperator.And => Times(left, right, axes),
            BinaryOperator.Or => Or(left, right, axes),
            BinaryOperator.Power => HelperCall(left, right, axes, OpCode.Power, numbers: OpCode.NumberPower),
            _ => Divide(left, right, axes, binary.Right.DependsOnScore),
        };
    }

    private static ProgramValue Plus(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes) =>
        Arithmetic(left, right, axes, OpCode.NumberAdd, OpCode.Add, OpCode.AddNumber, numberFirst: false);

    private static ProgramValue Minus(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes) =>
        Arithmetic(left, right, axes, OpCode.NumberSubtract, OpCode.Subtract, OpCode.SubtractNumber, numberFirst: true);

    private static ProgramValue Times(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes) =>
        Arithmetic(left, right, axes, OpCode.NumberMultiply, OpCode.Multiply, OpCode.MultiplyNumber, numberFirst: false);

    /// <summary>
    /// An arithmetic operator on numbers, tensors or both; a number and a tensor go to the runtime's helper, tensor
    /// first, or (<paramref name="numberFirst"/>, for an operator that is not symmetric) in their own order.
    /// </summary>
    private static ProgramValue Arithmetic(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes,
        OpCode numbers, OpCode tensors, OpCode tensorAndNumber, bool numberFirst)
    {
        if (left.IsNumber && right.IsNumber) return ProgramValue.Number(Op.Call(numbers, left.Code, right.Code));
        if (right.IsNumber) return ProgramValue.Tensor(Op.Call(tensorAndNumber, left.Code, right.Code), left.Axes);
        if (left.IsNumber) return ProgramValue.Tensor(numberFirst ? Op.Call(tensorAndNumber, left.Code, right.Code) : Op.Call(tensorAndNumber, right.Code, left.Code), right.Axes);
        return ProgramValue.Tensor(Op.Call(tensors, Align(left, axes), Align(right, axes)), axes);
    }

    private static ProgramValue Or(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes)
    {
        if (left.IsNumber && right.IsNumber) return ProgramValue.Number(Op.Call(OpCode.Or, left.Code, right.Code));
        if (right.IsNumber) return ProgramValue.Tensor(Op.Call(OpCode.Or, left.Code, right.Code), left.Axes);
        if (left.IsNumber) return ProgramValue.Tensor(Op.Call(OpCode.Or, right.Code, left.Code), right.Axes);
        return ProgramValue.Tensor(Op.Call(OpCode.Or, Align(left, axes), Align(right, axes)), axes);
    }

    /// <summary>
    /// a / b. The smooth program guards a score-dependent denominator, a / max(b, ε), so that gradients stay finite where
    /// a soft count reaches 0. A constant denominator (labels, options) passes no gradient and needs no guard: it divides
    /// as in the exact program, 0 where b = 0, so a class absent from the batch contributes exactly nothing, value and
    /// gradient, instead of a / ε (docs/language.md, "Semantics").
    /// </summary>
    private ProgramValue Divide(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes, bool scoreDenominator)
    {
        if (IsSmooth && scoreDenominator) return HelperCall(left, right, axes, OpCode.DivideSmooth, extra: Eps);
        return HelperCall(left, right, axes, IsSmooth ? OpCode.DivideByConstant : OpCode.DivideExact);
    }

    /// <summary>
    /// A two-operand runtime helper that has overloads for every mix of tensors and numbers (and an
    /// <paramref name="extra"/> last operand); two numbers take <paramref name="numbers"/> where given.
    /// </summary>
    private static ProgramValue HelperCall(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes, OpCode helper, Op? extra = null,
        OpCode? numbers = null)
    {
        Op Of(Op a, Op b) => extra is null ? Op.Call(helper, a, b) : Op.Call(helper, a, b, extra);
        if (left.IsNumber && right.IsNumber)
        {
            return ProgramValue.Number(numbers is { } code ? Op.Call(code, left.Code, right.Code) : Of(left.Code, right.Code));
        }
        if (right.IsNumber) return ProgramValue.Tensor(Of(left.Code, right.Code), left.Axes);
        if (left.IsNumber) return ProgramValue.Tensor(Of(left.Code, right.Code), right.Axes);
        return ProgramValue.Tensor(Of(Align(left, axes), Align(right, axes)), axes);
    }

    private ProgramValue LowerComparison(BoundComparison comparison)
    {
        var left = LowerExpression(comparison.Left);
        return Comparison(comparison, left, LowerExpression(comparison.Right));
    }

    private ProgramValue Comparison(BoundComparison comparison, ProgramValue left, ProgramValue right)
    {
        var greater = comparison.Operator is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual;
        var (high, low) = greater ? (left, right) : (right, left);
        if (IsSmooth && comparison.Temperature is not null)
        {
            // relax((a − b) / τ) for a > b and a >= b alike: the surrogate cannot tell strict from non-strict.
            return Relaxed(high, low, Combined(comparison.Axes, high, low), LowerExpression(comparison.Temperature).Code);
        }
        var orEqual = comparison.Operator is ComparisonOperator.GreaterOrEqual or ComparisonOperator.LessOrEqual;
        if (high.IsNumber && low.IsNumber)
        {
            return ProgramValue.Number(Op.Call(orEqual ? OpCode.NumberGreaterOrEqual : OpCode.NumberGreater, high.Code, low.Code));
        }
        return HelperCall(high, low, Combined(comparison.Axes, high, low), OpCode.Greater, extra: Op.Bool(orEqual));
    }

    /// <summary>
    /// The difference of a score-dependent comparison, high − low: between two tensors it is
    /// <c>MetricOps.Difference</c>, which makes ∞ − ∞ a tie (docs/language.md, "Infinite scores"); a number operand is
    /// finite (options and literals are checked), so tensor − number cannot be ∞ − ∞.
    /// </summary>
    private static ProgramValue Difference(ProgramValue high, ProgramValue low, IReadOnlyList<string> axes) =>
        Arithmetic(high, low, axes, OpCode.NumberSubtract, OpCode.Difference, OpCode.SubtractNumber, numberFirst: true);

    /// <summary>
    /// relax((high − low) / τ) of a comparison or of <c>step(high − low)</c>. Two tensors go to
    /// <c>MetricOps.RelaxPairwise</c>, which scales and bounds the operands (∞ − ∞ is a tie) and relaxes the fresh
    /// difference in place, so a pairwise comparison writes one tensor of its size; a number operand is finite, so
    /// tensor − number is relaxed as it is.
    /// </summary>
    private static ProgramValue Relaxed(ProgramValue high, ProgramValue low, IReadOnlyList<string> axes, Op temperature)
    {
        if (!high.IsNumber && !low.IsNumber)
        {
            return ProgramValue.Tensor(Op.Call(OpCode.RelaxPairwise, Align(high, axes), Align(low, axes), temperature, Relaxation), axes);
        }
        // Tensor − number is a fresh tensor read only here: relaxed in place, one tensor of its size less.
        var difference = Difference(high, low, axes);
        var helper = difference.IsNumber ? OpCode.Relax : OpCode.RelaxDifference;
        return ProgramValue.Tensor(Op.Call(helper, difference.Code, temperature, Relaxation), difference.Axes);
    }

    /// <summary>
    /// <c>step(a − b)</c> is the comparison of a with b, and its difference is formed as a comparison's is, so that
    /// ∞ − ∞ is a tie in both programs; any other argument is relaxed (or stepped) as written. An argument that an
    /// interpolated tail reads from its anchors stays whole.
    /// </summary>
    private ProgramValue LowerStep(BoundStep step)
    {
        if (step.Argument is BoundBinary { Operator: BinaryOperator.Subtract } subtraction && !_anchorLeaves.ContainsKey(subtraction))
        {
            var left = LowerExpression(subtraction.Left);
            return StepOfDifference(step, subtraction, left, LowerExpression(subtraction.Right));
        }
        return Step(step, LowerExpression(step.Argument));
    }

    private ProgramValue StepOfDifference(BoundStep step, BoundBinary subtraction, ProgramValue high, ProgramValue low)
    {
        var axes = Combined(subtraction.Axes, high, low);
        if (IsSmooth && step.Temperature is not null)
        {
            return Relaxed(high, low, axes, LowerExpression(step.Temperature).Code);
        }
        if (high.IsNumber || low.IsNumber)
        {
            return Step(step, Difference(high, low, axes));
        }
        return ProgramValue.Tensor(Op.Call(OpCode.StepDifference, Align(high, axes), Align(low, axes)), axes);
    }

    private ProgramValue Step(BoundStep step, ProgramValue argument)
    {
        if (IsSmooth && step.Temperature is not null)
        {
            var temperature = LowerExpression(step.Temperature).Code;
            return ProgramValue.Tensor(Op.Call(OpCode.Relax, argument.Code, temperature, Relaxation), argument.Axes);
        }
        return argument.IsNumber
            ? ProgramValue.Number(Op.Call(OpCode.Step, argument.Code))
            : ProgramValue.Tensor(Op.Call(OpCode.Step, argument.Code), argument.Axes);
    }

    private ProgramValue LowerReduction(BoundReduction reduction) => Reduction(reduction, LowerExpression(reduction.Body));

    private ProgramValue Reduction(BoundReduction reduction, ProgramValue body)
    {
        var bound = reduction.Binders.Select(b => b.Variable).ToList();
        var absent = bound.Where(v => body.IsNumber || !body.Axes.Contains(v)).ToList();
        var count = absent.Count == 0 ? null : Count(absent);
        if (body.IsNumber)
        {
            return ProgramValue.Number(reduction.Reducer switch
            {
                Reducer.Sum => Op.Call(OpCode.NumberMultiply, body.Code, count!),
                Reducer.Any => Op.Call(OpCode.NumberAnyOf, body.Code, count!),
                Reducer.All => Op.Call(OpCode.NumberPower, body.Code, count!),
                _ => body.Code, // mean, max and min of a constant
            });
        }

        var dims = bound.Where(body.Axes.Contains).Select(v => IndexOf(body.Axes, v)).ToList();
        var remaining = body.Axes.Where(a => !bound.Contains(a)).ToList();
        var dimList = Op.Longs(dims.Select(d => Op.Int(d)));
        var code = dims.Count == 0 ? body.Code : reduction.Reducer switch
        {
            Reducer.Sum => Op.Call(OpCode.Sum, body.Code, dimList),
            Reducer.Mean => Op.Call(OpCode.Mean, body.Code, dimList),
            Reducer.Max => Op.Call(OpCode.Max, body.Code, dimList),
            Reducer.Min => Op.Call(OpCode.Min, body.Code, dimList),
            Reducer.Any => Op.Call(OpCode.Any, body.Code, dimList),
            _ => Op.Call(OpCode.All, body.Code, dimList),
        };
        return ProgramValue.Tensor(count is null ? code : OverAbsentBinders(reduction.Reducer, code, count), remaining);
    }

    /// <summary>A binder its body does not use still ranges over its axis: sum[n](x) = x · |n|, and so on.</summary>
    private static Op OverAbsentBinders(Reducer reducer, Op code, Op count) => reducer switch
    {
        Reducer.Sum => Op.Call(OpCode.MultiplyNumber, code, count),
        Reducer.Any => Op.Call(OpCode.Not, Op.Call(OpCode.Power, Op.Call(OpCode.Not, code), count)),
        Reducer.All => Op.Call(OpCode.Power, code, count),
        _ => code,
    };

    private ProgramValue LowerCall(BoundCall call)
    {
        var arguments = new List<ProgramValue>(call.Arguments.Count);
        foreach (var argument in call.Arguments) arguments.Add(LowerExpression(argument));
        return FunctionCall(call, arguments);
    }

    private ProgramValue FunctionCall(BoundCall call, List<ProgramValue> arguments)
    {
        var axes = Combined(call.Axes, arguments.ToArray());
        switch (call.Function)
        {
            case Function.Sqrt or Function.Log or Function.Log2:
                return Guarded(call.Function, arguments[0]);
            case Function.Exp or Function.Abs:
                var exp = call.Function == Function.Exp;
                return arguments[0].IsNumber
                    ? ProgramValue.Number(Op.Call(exp ? OpCode.NumberExp : OpCode.NumberAbs, arguments[0].Code))
                    : ProgramValue.Tensor(Op.Call(exp ? OpCode.Exp : OpCode.Abs, arguments[0].Code), arguments[0].Axes);
            case Function.Min or Function.Max:
                return MinMax(arguments[0], arguments[1], axes, minimum: call.Function == Function.Min);
            case Function.Clamp:
                return MinMax(MinMax(arguments[0], arguments[2], axes, minimum: true), arguments[1], axes, minimum: false);
            default:
                return Where(arguments, axes);
        }
    }

    private static ProgramValue MinMax(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes, bool minimum)
    {
        if (left.IsNumber && right.IsNumber) return ProgramValue.Number(Op.Call(minimum ? OpCode.NumberMin : OpCode.NumberMax, left.Code, right.Code));
        if (left.IsNumber) (left, right) = (right, left); // min and max are symmetric
        return HelperCall(left, right, axes, minimum ? OpCode.Minimum : OpCode.Maximum);
    }

    private ProgramValue Guarded(Function function, ProgramValue argument)
    {
        if (argument.IsNumber)
        {
            var x = IsSmooth ? Op.Call(OpCode.NumberMax, argument.Code, Eps) : argument.Code;
            return ProgramValue.Number(Op.Call(function switch { Function.Sqrt => OpCode.NumberSqrt, Function.Log => OpCode.NumberLog, _ => OpCode.NumberLog2 }, x));
        }
        return IsSmooth
            ? ProgramValue.Tensor(Op.Call(function switch { Function.Sqrt => OpCode.SqrtSmooth, Function.Log => OpCode.LogSmooth, _ => OpCode.Log2Smooth }, argument.Code, Eps), argument.Axes)
            : ProgramValue.Tensor(Op.Call(function switch { Function.Sqrt => OpCode.Sqrt, Function.Log => OpCode.Log, _ => OpCode.Log2 }, argument.Code), argument.Axes);
    }

    private static ProgramValue Where(IReadOnlyList<ProgramValue> arguments, IReadOnlyList<string> axes)
    {
        if (arguments.All(a => a.IsNumber))
        {
            return ProgramValue.Number(Op.Call(OpCode.NumberWhere, arguments[0].Code, arguments[1].Code, arguments[2].Code));
        }
        // Numbers become tensors shaped like a tensor operand, then all three broadcast to the result's axes.
        var like = Align(arguments.First(a => !a.IsNumber), axes);
        var parts = arguments.Select(a => a.IsNumber ? Op.Call(OpCode.Fill, like, a.Code) : Align(a, axes)).ToList();
        return ProgramValue.Tensor(Op.Call(OpCode.Where, parts[0], parts[1], parts[2]), axes);
    }
}
