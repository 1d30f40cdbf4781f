using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>Operators, comparisons, reductions and functions. Semantics: docs/language.md, "Semantics".</summary>
internal sealed partial class ProgramEmitter
{
    private const string Ops = CSharp.Ops;

    // The Emit methods recurse once per level of an expression: each emits its operands and hands them to a method
    // that combines them, so the frame that stays on the stack while the operands are emitted is a small one.

    private ProgramValue EmitUnary(BoundUnary unary) => Unary(unary, EmitExpression(unary.Operand));

    private static ProgramValue Unary(BoundUnary unary, ProgramValue operand)
    {
        if (unary.Operator == UnaryOperator.Negate)
        {
            return operand.IsNumber ? ProgramValue.Number($"(-{operand.Code})") : ProgramValue.Tensor($"{operand.Code}.neg()", operand.Axes);
        }
        return operand.IsNumber ? ProgramValue.Number($"(1d - {operand.Code})") : ProgramValue.Tensor($"{Ops}.Not({operand.Code})", operand.Axes);
    }

    private ProgramValue EmitBinary(BoundBinary binary)
    {
        var left = EmitExpression(binary.Left);
        return Binary(binary, left, EmitExpression(binary.Right));
    }

    private ProgramValue Binary(BoundBinary binary, ProgramValue left, ProgramValue right)
    {
        var axes = Combined(binary.Axes, left, right);
        return binary.Operator switch
        {
            BinaryOperator.Add => Arithmetic(left, right, axes, "+", (a, b) => $"{a}.add({b}, {CSharp.Kept}.One)", (t, n) => $"{Ops}.Add({t}, {n})", (n, t) => $"{Ops}.Add({t}, {n})"),
            BinaryOperator.Subtract => Arithmetic(left, right, axes, "-", (a, b) => $"{a}.sub({b})", (t, n) => $"{Ops}.Subtract({t}, {n})", (n, t) => $"{Ops}.Subtract({n}, {t})"),
            BinaryOperator.Multiply or BinaryOperator.And => Arithmetic(left, right, axes, "*", (a, b) => $"{a}.mul({b})", (t, n) => $"{Ops}.Multiply({t}, {n})", (n, t) => $"{Ops}.Multiply({t}, {n})"),
            BinaryOperator.Or => Or(left, right, axes),
            BinaryOperator.Power => Call(left, right, axes, "Power", numbers: (a, b) => $"global::System.Math.Pow({a}, {b})"),
            _ => Divide(left, right, axes, binary.Right.DependsOnScore),
        };
    }

    private static ProgramValue Arithmetic(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes, string numberOperator,
        System.Func<string, string, string> tensors, System.Func<string, string, string> tensorNumber, System.Func<string, string, string> numberTensor)
    {
        if (left.IsNumber && right.IsNumber) return ProgramValue.Number($"({left.Code} {numberOperator} {right.Code})");
        if (right.IsNumber) return ProgramValue.Tensor(tensorNumber(left.Code, right.Code), left.Axes);
        if (left.IsNumber) return ProgramValue.Tensor(numberTensor(left.Code, right.Code), right.Axes);
        return ProgramValue.Tensor(tensors(Align(left, axes), Align(right, axes)), axes);
    }

    private static ProgramValue Or(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes)
    {
        if (left.IsNumber && right.IsNumber) return ProgramValue.Number($"{Ops}.Or({left.Code}, {right.Code})");
        if (right.IsNumber) return ProgramValue.Tensor($"{Ops}.Or({left.Code}, {right.Code})", left.Axes);
        if (left.IsNumber) return ProgramValue.Tensor($"{Ops}.Or({right.Code}, {left.Code})", right.Axes);
        return ProgramValue.Tensor($"{Ops}.Or({Align(left, axes)}, {Align(right, axes)})", axes);
    }

    /// <summary>
    /// a / b. The smooth program guards a score-dependent denominator, a / max(b, ε), so that gradients stay finite where
    /// a soft count reaches 0. A constant denominator (labels, options) passes no gradient and needs no guard: it divides
    /// as in the exact program, 0 where b = 0, so a class absent from the batch contributes exactly nothing, value and
    /// gradient, instead of a / ε (docs/language.md, "Semantics").
    /// </summary>
    private ProgramValue Divide(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes, bool scoreDenominator)
    {
        if (IsSmooth && scoreDenominator) return Call(left, right, axes, "DivideSmooth", ", " + Local.Eps);
        return Call(left, right, axes, IsSmooth ? "DivideByConstant" : "DivideExact");
    }

    /// <summary>A two-operand runtime helper that has overloads for every mix of tensors and numbers.</summary>
    private static ProgramValue Call(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes, string helper, string extra = "",
        System.Func<string, string, string>? numbers = null)
    {
        if (left.IsNumber && right.IsNumber)
        {
            return ProgramValue.Number(numbers is null ? $"{Ops}.{helper}({left.Code}, {right.Code}{extra})" : numbers(left.Code, right.Code));
        }
        if (right.IsNumber) return ProgramValue.Tensor($"{Ops}.{helper}({left.Code}, {right.Code}{extra})", left.Axes);
        if (left.IsNumber) return ProgramValue.Tensor($"{Ops}.{helper}({left.Code}, {right.Code}{extra})", right.Axes);
        return ProgramValue.Tensor($"{Ops}.{helper}({Align(left, axes)}, {Align(right, axes)}{extra})", axes);
    }

    private ProgramValue EmitComparison(BoundComparison comparison)
    {
        var left = EmitExpression(comparison.Left);
        return Comparison(comparison, left, EmitExpression(comparison.Right));
    }

    private ProgramValue Comparison(BoundComparison comparison, ProgramValue left, ProgramValue right)
    {
        var greater = comparison.Operator is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual;
        var (high, low) = greater ? (left, right) : (right, left);
        if (IsSmooth && comparison.Temperature is not null)
        {
            // relax((a − b) / τ) for a > b and a >= b alike: the surrogate cannot tell strict from non-strict.
            return Relaxed(high, low, Combined(comparison.Axes, high, low), EmitExpression(comparison.Temperature).Code);
        }
        var orEqual = comparison.Operator is ComparisonOperator.GreaterOrEqual or ComparisonOperator.LessOrEqual ? "true" : "false";
        if (high.IsNumber && low.IsNumber)
        {
            var op = orEqual == "true" ? ">=" : ">";
            return ProgramValue.Number($"({high.Code} {op} {low.Code} ? 1d : 0d)");
        }
        return Call(high, low, Combined(comparison.Axes, high, low), "Greater", ", " + orEqual);
    }

    /// <summary>
    /// The difference of a score-dependent comparison, high − low: between two tensors it is
    /// <c>MetricOps.Difference</c>, which makes ∞ − ∞ a tie (docs/language.md, "Infinite scores"); a number operand is
    /// finite (options and literals are checked), so tensor − number cannot be ∞ − ∞.
    /// </summary>
    private static ProgramValue Difference(ProgramValue high, ProgramValue low, IReadOnlyList<string> axes) =>
        Arithmetic(high, low, axes, "-", (a, b) => $"{Ops}.Difference({a}, {b})",
            (t, n) => $"{Ops}.Subtract({t}, {n})", (n, t) => $"{Ops}.Subtract({n}, {t})");

    /// <summary>
    /// relax((high − low) / τ) of a comparison or of <c>step(high − low)</c>. Two tensors go to
    /// <c>MetricOps.RelaxPairwise</c>, which scales and bounds the operands (∞ − ∞ is a tie) and relaxes the fresh
    /// difference in place, so a pairwise comparison writes one tensor of its size; a number operand is finite, so
    /// tensor − number is relaxed as it is.
    /// </summary>
    private static ProgramValue Relaxed(ProgramValue high, ProgramValue low, IReadOnlyList<string> axes, string temperature)
    {
        if (!high.IsNumber && !low.IsNumber)
        {
            return ProgramValue.Tensor($"{Ops}.RelaxPairwise({Align(high, axes)}, {Align(low, axes)}, {temperature}, {Local.Relaxation})", axes);
        }
        // Tensor − number is a fresh tensor read only here: relaxed in place, one tensor of its size less.
        var difference = Difference(high, low, axes);
        var helper = difference.IsNumber ? "Relax" : "RelaxDifference";
        return ProgramValue.Tensor($"{Ops}.{helper}({difference.Code}, {temperature}, {Local.Relaxation})", difference.Axes);
    }

    /// <summary>
    /// <c>step(a − b)</c> is the comparison of a with b, and its difference is formed as a comparison's is, so that
    /// ∞ − ∞ is a tie in both programs; any other argument is relaxed (or stepped) as written. An argument that an
    /// interpolated tail reads from its anchors stays whole.
    /// </summary>
    private ProgramValue EmitStep(BoundStep step)
    {
        if (step.Argument is BoundBinary { Operator: BinaryOperator.Subtract } subtraction && !_anchorLeaves.ContainsKey(subtraction))
        {
            var left = EmitExpression(subtraction.Left);
            return StepOfDifference(step, subtraction, left, EmitExpression(subtraction.Right));
        }
        return Step(step, EmitExpression(step.Argument));
    }

    private ProgramValue StepOfDifference(BoundStep step, BoundBinary subtraction, ProgramValue high, ProgramValue low)
    {
        var axes = Combined(subtraction.Axes, high, low);
        if (IsSmooth && step.Temperature is not null)
        {
            return Relaxed(high, low, axes, EmitExpression(step.Temperature).Code);
        }
        if (high.IsNumber || low.IsNumber)
        {
            return Step(step, Difference(high, low, axes));
        }
        return ProgramValue.Tensor($"{Ops}.StepDifference({Align(high, axes)}, {Align(low, axes)})", axes);
    }

    private ProgramValue Step(BoundStep step, ProgramValue argument)
    {
        if (IsSmooth && step.Temperature is not null)
        {
            var temperature = EmitExpression(step.Temperature).Code;
            return ProgramValue.Tensor($"{Ops}.Relax({argument.Code}, {temperature}, {Local.Relaxation})", argument.Axes);
        }
        return argument.IsNumber
            ? ProgramValue.Number($"{Ops}.Step({argument.Code})")
            : ProgramValue.Tensor($"{Ops}.Step({argument.Code})", argument.Axes);
    }

    private ProgramValue EmitReduction(BoundReduction reduction) => Reduction(reduction, EmitExpression(reduction.Body));

    private ProgramValue Reduction(BoundReduction reduction, ProgramValue body)
    {
        var bound = reduction.Binders.Select(b => b.Variable).ToList();
        var absent = bound.Where(v => body.IsNumber || !body.Axes.Contains(v)).ToList();
        var count = absent.Count == 0 ? null : "(double)(" + string.Join(" * ", absent.Select(SizeOf)) + ")";
        if (body.IsNumber)
        {
            return ProgramValue.Number(reduction.Reducer switch
            {
                Reducer.Sum => $"({body.Code} * {count})",
                Reducer.Any => $"(1d - global::System.Math.Pow(1d - {body.Code}, {count}))",
                Reducer.All => $"global::System.Math.Pow({body.Code}, {count})",
                _ => body.Code, // mean, max and min of a constant
            });
        }

        var dims = bound.Where(body.Axes.Contains).Select(v => IndexOf(body.Axes, v)).ToList();
        var remaining = body.Axes.Where(a => !bound.Contains(a)).ToList();
        var dimList = "new long[] { " + string.Join(", ", dims) + " }";
        var code = dims.Count == 0 ? body.Code : reduction.Reducer switch
        {
            Reducer.Sum => $"{body.Code}.sum({dimList}, false)",
            Reducer.Mean => $"{body.Code}.mean({dimList}, false)",
            Reducer.Max => $"{body.Code}.amax({dimList}, false)",
            Reducer.Min => $"{body.Code}.amin({dimList}, false)",
            Reducer.Any => $"{Ops}.Any({body.Code}, {dimList})",
            _ => $"{Ops}.All({body.Code}, {dimList})",
        };
        if (count is not null)
        {
            // A binder its body does not use still ranges over its axis: sum[n](x) = x · |n|, and so on.
            code = reduction.Reducer switch
            {
                Reducer.Sum => $"{Ops}.Multiply({code}, {count})",
                Reducer.Any => $"{Ops}.Not({Ops}.Power({Ops}.Not({code}), {count}))",
                Reducer.All => $"{Ops}.Power({code}, {count})",
                _ => code,
            };
        }
        return ProgramValue.Tensor(code, remaining);
    }

    private ProgramValue EmitCall(BoundCall call)
    {
        var arguments = new List<ProgramValue>(call.Arguments.Count);
        foreach (var argument in call.Arguments) arguments.Add(EmitExpression(argument));
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
                var method = call.Function == Function.Exp ? "exp" : "abs";
                return arguments[0].IsNumber
                    ? ProgramValue.Number($"global::System.Math.{(call.Function == Function.Exp ? "Exp" : "Abs")}({arguments[0].Code})")
                    : ProgramValue.Tensor($"{arguments[0].Code}.{method}()", arguments[0].Axes);
            case Function.Min or Function.Max:
                var helper = call.Function == Function.Min ? "Minimum" : "Maximum";
                return MinMax(arguments[0], arguments[1], axes, helper);
            case Function.Clamp:
                return MinMax(MinMax(arguments[0], arguments[2], axes, "Minimum"), arguments[1], axes, "Maximum");
            default:
                return Where(arguments, axes);
        }
    }

    private static ProgramValue MinMax(ProgramValue left, ProgramValue right, IReadOnlyList<string> axes, string helper)
    {
        var math = helper == "Minimum" ? "Min" : "Max";
        if (left.IsNumber && right.IsNumber) return ProgramValue.Number($"global::System.Math.{math}({left.Code}, {right.Code})");
        if (left.IsNumber) (left, right) = (right, left); // min and max are symmetric
        return Call(left, right, axes, helper);
    }

    private ProgramValue Guarded(Function function, ProgramValue argument)
    {
        var name = function switch { Function.Sqrt => "Sqrt", Function.Log => "Log", _ => "Log2" };
        if (argument.IsNumber)
        {
            var x = IsSmooth ? $"global::System.Math.Max({argument.Code}, {Local.Eps})" : argument.Code;
            return ProgramValue.Number(function == Function.Log2 ? $"global::System.Math.Log({x}, 2d)" : $"global::System.Math.{name}({x})");
        }
        return IsSmooth
            ? ProgramValue.Tensor($"{Ops}.{name}Smooth({argument.Code}, {Local.Eps})", argument.Axes)
            : ProgramValue.Tensor($"{argument.Code}.{name.ToLowerInvariant()}()", argument.Axes);
    }

    private static ProgramValue Where(IReadOnlyList<ProgramValue> arguments, IReadOnlyList<string> axes)
    {
        if (arguments.All(a => a.IsNumber))
        {
            return ProgramValue.Number($"({arguments[0].Code} != 0d ? {arguments[1].Code} : {arguments[2].Code})");
        }
        // Numbers become tensors shaped like a tensor operand, then all three broadcast to the result's axes.
        var like = arguments.First(a => !a.IsNumber);
        var likeCode = Align(like, axes);
        var parts = arguments.Select(a => a.IsNumber ? $"{Ops}.Fill({likeCode}, {a.Code})" : Align(a, axes)).ToList();
        return ProgramValue.Tensor($"{Ops}.Where({parts[0]}, {parts[1]}, {parts[2]})", axes);
    }
}
