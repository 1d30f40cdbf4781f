using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Binding;

/// <summary>Expressions: each Bind method returns null after reporting why it could not bind.</summary>
internal sealed partial class MetricBinder
{
    private string Quote(SourceSpan span)
    {
        var start = System.Math.Max(0, System.Math.Min(span.Start, _text.Length));
        var length = System.Math.Max(0, System.Math.Min(span.Length, _text.Length - start));
        var snippet = string.Join(" ", _text.Substring(start, length).Split((char[]?)null, System.StringSplitOptions.RemoveEmptyEntries));
        return "`" + (snippet.Length > 60 ? snippet.Substring(0, 57) + "..." : snippet) + "`";
    }

    private static EquatableArray<string> Union(params EquatableArray<string>[] parts)
    {
        var result = new List<string>();
        foreach (var part in parts)
        {
            foreach (var axis in part)
            {
                if (!result.Contains(axis)) result.Add(axis);
            }
        }
        return result.ToEquatableArray();
    }

    private static string Describe(ValueKind kind) => kind switch
    {
        ValueKind.Bool => "a boolean",
        ValueKind.Int => "an int",
        ValueKind.Index => "an index",
        _ => "a real number",
    };

    private BoundExpression? BindExpression(ExpressionSyntax syntax)
    {
        // TextLimits bounds how deep this recurses; the check turns a surprise into MTR0900 instead of a dead compiler.
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        var bound = BindExpressionCore(syntax);
        if (bound is not null && bound.Axes.Count >= 2 && !SpannedByOneInput(bound.Axes)) Note(LanguageFeature.CrossAxes, syntax.Span);
        return bound;
    }

    /// <summary>Whether some input has all of these axes (as distinct dimensions), so the value is no bigger than it.</summary>
    private bool SpannedByOneInput(EquatableArray<string> axes)
    {
        var needed = axes.Select(SizeAxisOrNull).ToList();
        if (needed.Any(a => a is null)) return true;
        return _inputOrder.Any(input =>
        {
            var available = input.Axes.ToList();
            return needed.All(axis => available.Remove(axis!));
        });
    }

    private string? SizeAxisOrNull(string variableId) => _scope.ById(variableId)?.SizeAxis;

    private BoundExpression? BindExpressionCore(ExpressionSyntax syntax) => syntax switch
    {
        NumberSyntax number => new BoundNumber(number.Value),
        NameSyntax name => BindName(name),
        UnarySyntax unary => BindUnary(unary),
        BinarySyntax binary => BindBinary(binary),
        ComparisonSyntax comparison => BindComparison(comparison, null),
        TemperatureSyntax annotated => BindAnnotated(annotated),
        CallSyntax call => BindCall(call, null),
        ReductionSyntax reduction => BindReduction(reduction),
        ListSyntax list => ReportNull(DiagnosticCatalog.TypeMismatch, list.Span, "a list is only allowed as the default of a vector option"),
        _ => ReportNull(DiagnosticCatalog.SyntaxError, syntax.Span, "unsupported expression"),
    };

    private BoundExpression? ReportNull(DiagnosticKind kind, SourceSpan span, string message)
    {
        Report(kind, span, message);
        return null;
    }

    private BoundExpression? BindUnary(UnarySyntax unary)
    {
        var operand = BindExpression(unary.Operand);
        if (operand is null) return null;
        if (unary.Operator == "!")
        {
            if (operand.Kind != ValueKind.Bool)
            {
                return ReportNull(DiagnosticCatalog.TypeMismatch, unary.Operand.Span,
                    $"`!` expects a boolean (a comparison or a bool input), found {Describe(operand.Kind)}: {Quote(unary.Operand.Span)}");
            }
            return new BoundUnary(UnaryOperator.Not, operand, ValueKind.Bool);
        }
        return new BoundUnary(UnaryOperator.Negate, operand, operand.Kind == ValueKind.Int ? ValueKind.Int : ValueKind.Real);
    }

    private BoundExpression? BindBinary(BinarySyntax binary)
    {
        var left = BindExpression(binary.Left);
        var right = BindExpression(binary.Right);
        if (left is null || right is null) return null;
        var axes = Union(left.Axes, right.Axes);
        if (binary.Operator is "&" or "|")
        {
            foreach (var (operand, span, side) in new[] { (left, binary.Left.Span, "left"), (right, binary.Right.Span, "right") })
            {
                if (operand.Kind != ValueKind.Bool)
                {
                    return ReportNull(DiagnosticCatalog.TypeMismatch, span,
                        $"`{binary.Operator}` expects booleans (comparisons, bool inputs), found {Describe(operand.Kind)} on the {side}: {Quote(span)}");
                }
            }
            return new BoundBinary(binary.Operator == "&" ? BinaryOperator.And : BinaryOperator.Or, left, right, axes, ValueKind.Bool);
        }
        var op = binary.Operator switch
        {
            "+" => BinaryOperator.Add,
            "-" => BinaryOperator.Subtract,
            "*" => BinaryOperator.Multiply,
            "/" => BinaryOperator.Divide,
            _ => BinaryOperator.Power,
        };
        if (op == BinaryOperator.Divide && !RequirePositiveDivisor(right, binary.Right)) return null;
        var bothWhole = left.Kind is ValueKind.Int or ValueKind.Bool && right.Kind is ValueKind.Int or ValueKind.Bool;
        var kind = bothWhole && op is BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply ? ValueKind.Int : ValueKind.Real;
        return new BoundBinary(op, left, right, axes, kind);
    }

    private BoundExpression? BindAnnotated(TemperatureSyntax annotated) => annotated.Target switch
    {
        ComparisonSyntax comparison => BindComparison(comparison, annotated.Temperature),
        CallSyntax { Function: "step" } call => BindCall(call, annotated.Temperature),
        _ => ReportNull(DiagnosticCatalog.MisplacedTemperature, annotated.Span,
            $"`@` must follow a comparison or step(...), found {Quote(annotated.Target.Span)}; write `(a > b) @ tau`"),
    };

    private BoundExpression? BindComparison(ComparisonSyntax comparison, ExpressionSyntax? temperatureSyntax)
    {
        if (comparison.Operator is "==" or "=" or "!=") return ReportEquality(comparison);
        var left = BindExpression(comparison.Left);
        var right = BindExpression(comparison.Right);
        if (left is null || right is null) return null;
        var op = comparison.Operator switch
        {
            ">" => ComparisonOperator.Greater,
            ">=" => ComparisonOperator.GreaterOrEqual,
            "<" => ComparisonOperator.Less,
            _ => ComparisonOperator.LessOrEqual,
        };
        if (!RequireOpenComparison(comparison, op, left, right)) return null;
        var dependsOnScore = left.DependsOnScore || right.DependsOnScore;
        if (!ResolveTemperature(dependsOnScore, temperatureSyntax, comparison.Span, out var temperature)) return null;
        return new BoundComparison(op, left, right, temperature, Union(left.Axes, right.Axes));
    }

    /// <summary>
    /// The language compares with <c>&gt; &gt;= &lt; &lt;=</c> only (the parser accepts <c>== = !=</c> so that this
    /// can say what to write instead): equality is the conjunction of two comparisons, difference the disjunction.
    /// </summary>
    private BoundExpression? ReportEquality(ComparisonSyntax comparison)
    {
        var (a, b) = (Quote(comparison.Left.Span).Trim('`'), Quote(comparison.Right.Span).Trim('`'));
        var message = comparison.Operator == "!="
            ? $"the language has no `!=` between values (it excludes a position only in a reduction binder, as in sum[j != i](...)); to test that two values differ write `{a} > {b} | {b} > {a}`"
            : $"the language has no `{comparison.Operator}`{(comparison.Operator == "=" ? " in an expression (`=` defines a statement)" : "")}; comparisons are >, >=, < and <=: to test that two values are equal write `{a} >= {b} & {b} >= {a}`";
        return ReportNull(DiagnosticCatalog.NoEquality, comparison.OperatorSpan, message);
    }

    /// <summary>
    /// A score-dependent comparison is relaxed in the surrogate and needs a temperature: its <c>@</c>
    /// value, else the option <c>tau</c>. On a comparison of constants the annotation does nothing.
    /// </summary>
    private bool ResolveTemperature(bool dependsOnScore, ExpressionSyntax? syntax, SourceSpan comparisonSpan, out BoundExpression? temperature)
    {
        temperature = null;
        if (syntax is not null)
        {
            var bound = BindExpression(syntax);
            if (bound is null) return false;
            if (bound.Axes.Count > 0 || !IsConstantScalar(bound))
            {
                Report(DiagnosticCatalog.NonConstantTemperature, syntax.Span,
                    $"a temperature must be a number or a scalar option, found {Quote(syntax.Span)}");
                return false;
            }
            if (!dependsOnScore)
            {
                Report(DiagnosticCatalog.UselessTemperature, syntax.Span,
                    $"{Quote(comparisonSpan)} does not depend on a differentiable input, so it is never relaxed and the temperature has no effect");
                return true;
            }
            if (!RequirePositiveTemperature(bound, syntax)) return false;
            temperature = bound;
            return true;
        }
        if (!dependsOnScore) return true;
        if (_options.TryGetValue("tau", out var tau) && !tau.IsVector)
        {
            if (tau.Kind == OptionKind.Bool)
            {
                Report(DiagnosticCatalog.NonConstantTemperature, comparisonSpan,
                    $"{Quote(comparisonSpan)} is relaxed with the option `tau`, which is a bool; a temperature is a positive number: declare `tau: real = ...`");
                return false;
            }
            if (tau.Default[0] <= 0)
            {
                Report(DiagnosticCatalog.InvalidDefault, comparisonSpan,
                    $"{Quote(comparisonSpan)} is relaxed with the option `tau`, whose default {tau.Default[0].ToString(System.Globalization.CultureInfo.InvariantCulture)} is not positive; a temperature must be > 0");
                return false;
            }
            temperature = new BoundOptionRef("tau", null, EquatableArray<string>.Empty, tau.Kind == OptionKind.Real ? ValueKind.Real : ValueKind.Int);
            return true;
        }
        Report(DiagnosticCatalog.MissingTemperature, comparisonSpan,
            $"{Quote(comparisonSpan)} depends on a differentiable input, so the surrogate relaxes it, but it has no temperature: annotate it (`... @ 0.1`) or declare an option `tau: real = ...`");
        return false;
    }

    private static bool IsConstantScalar(BoundExpression expression) => expression switch
    {
        BoundNumber => true,
        BoundOptionRef option => option.IndexVariable is null,
        BoundUnary unary => IsConstantScalar(unary.Operand),
        BoundBinary binary => IsConstantScalar(binary.Left) && IsConstantScalar(binary.Right),
        _ => false,
    };

    private BoundExpression? BindCall(CallSyntax call, ExpressionSyntax? temperatureSyntax)
    {
        if (call.Function == "ideal_dcg")
        {
            return ReportNull(DiagnosticCatalog.ArgumentCount, call.NameSpan, "`ideal_dcg` needs a binder: ideal_dcg[i](gain[q, i], k)");
        }
        if (!Names.Functions.Contains(call.Function))
        {
            if (Names.Reducers.Contains(call.Function))
            {
                return ReportNull(DiagnosticCatalog.UnknownFunction, call.NameSpan, $"`{call.Function}` is a reducer: write {call.Function}[axis](...)");
            }
            var suggestion = Names.Suggest(call.Function, Names.Functions);
            return ReportNull(DiagnosticCatalog.UnknownFunction, call.NameSpan,
                $"unknown function `{call.Function}`, expected one of {string.Join(", ", Names.Functions.Distinct())}" + (suggestion is null ? "" : $" (did you mean `{suggestion}`?)"));
        }
        var expectedCount = call.Function switch { "min" or "max" => 2, "clamp" or "where" => 3, _ => 1 };
        if (call.Arguments.Count != expectedCount)
        {
            return ReportNull(DiagnosticCatalog.ArgumentCount, call.Span,
                $"`{call.Function}` takes {expectedCount} argument{(expectedCount == 1 ? "" : "s")}, found {call.Arguments.Count}");
        }
        var arguments = new List<BoundExpression>();
        foreach (var argument in call.Arguments)
        {
            var bound = BindExpression(argument);
            if (bound is null) return null;
            arguments.Add(bound);
        }
        var axes = Union(arguments.Select(a => a.Axes).ToArray());
        var dependsOnScore = arguments.Any(a => a.DependsOnScore);
        switch (call.Function)
        {
            case "step":
                if (!ResolveTemperature(arguments[0].DependsOnScore, temperatureSyntax, call.Span, out var temperature)) return null;
                return new BoundStep(arguments[0], temperature);
            case "where":
                if (arguments[0].Kind != ValueKind.Bool)
                {
                    return ReportNull(DiagnosticCatalog.TypeMismatch, call.Arguments[0].Span,
                        $"the condition of `where` must be a boolean, found {Describe(arguments[0].Kind)}: {Quote(call.Arguments[0].Span)}");
                }
                if (arguments[0].DependsOnScore)
                {
                    return ReportNull(DiagnosticCatalog.TypeMismatch, call.Arguments[0].Span,
                        $"the condition of `where` is a hard select and must not depend on a differentiable input, found {Quote(call.Arguments[0].Span)}; blend instead: c * a + (1 - c) * b");
                }
                var kind = arguments[1].Kind == ValueKind.Bool && arguments[2].Kind == ValueKind.Bool ? ValueKind.Bool : ValueKind.Real;
                return new BoundCall(Function.Where, arguments.ToEquatableArray(), axes, kind, dependsOnScore);
            default:
                var function = call.Function switch
                {
                    "sqrt" => Function.Sqrt,
                    "log" => Function.Log,
                    "log2" => Function.Log2,
                    "exp" => Function.Exp,
                    "abs" => Function.Abs,
                    "min" => Function.Min,
                    "max" => Function.Max,
                    _ => Function.Clamp,
                };
                var resultKind = function is Function.Min or Function.Max or Function.Abs && arguments.All(a => a.Kind is ValueKind.Int or ValueKind.Bool)
                    ? ValueKind.Int
                    : ValueKind.Real;
                return new BoundCall(function, arguments.ToEquatableArray(), axes, resultKind, dependsOnScore);
        }
    }
}
