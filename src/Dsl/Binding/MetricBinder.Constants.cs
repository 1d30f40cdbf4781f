using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Binding;

/// <summary>
/// The constant parts that would silently train the wrong way: a temperature that is not positive (a negative
/// one reverses the gradient, zero divides by zero), a cut-off that makes a comparison with a count constant
/// (<c>rank &lt;= 0</c> is always false), a constant divisor that is not positive (the surrogate divides by
/// max(b, ε)). Each is folded with the option defaults here; one that depends on options is also kept as an
/// <see cref="OptionRequirement"/>, which the generated Options check with the values given at run time.
/// </summary>
internal sealed partial class MetricBinder
{
    private readonly List<OptionRequirement> _requirements = new();

    private const string TemperatureReason = " (it divides a difference: a negative one reverses the gradient, zero divides by zero)";

    /// <summary>
    /// Checks <paramref name="requirement"/> on every value of its part with the defaults and reports the first
    /// that fails at <paramref name="span"/>, worded by <paramref name="describe"/>(value, " with the default k = 0").
    /// A part that reads options is kept for the run-time check when <paramref name="keep"/>.
    /// </summary>
    private bool Require(OptionRequirement requirement, bool keep, DiagnosticKind kind, SourceSpan span, System.Func<double, string, string> describe)
    {
        foreach (var evaluation in ConstantFolding.EvaluateAll(requirement.Value, option => _options[option].Default))
        {
            if (requirement.IsMetBy(evaluation.Value)) continue;
            Report(kind, span, describe(evaluation.Value, evaluation.With("the default ")));
            return false;
        }
        var readsOptions = ConstantExpression.OptionRefs(requirement.Value).Count > 0;
        if (keep && readsOptions && !_requirements.Any(r => r.Value == requirement.Value && r.Bound == requirement.Bound && r.Strict == requirement.Strict))
        {
            _requirements.Add(requirement);
        }
        return true;
    }

    private string Print(BoundExpression expression) => BoundText.Print(expression, NameOf) ?? "…";

    /// <summary>"; it is -0.5 with the default t = 0.5", or nothing when the part is just a number written out.</summary>
    private string ItIs(BoundExpression part, double value, string with, string lead = "; it is ") =>
        with.Length == 0 && Print(part) == ConstantFolding.Format(value) ? "" : lead + ConstantFolding.Format(value) + with;

    /// <summary>
    /// A temperature given with <c>@</c>: positive and finite with the defaults. An option that is the whole
    /// temperature is checked by name in Options (OptionChecks.Temperature); arithmetic becomes a requirement.
    /// </summary>
    private bool RequirePositiveTemperature(BoundExpression temperature, ExpressionSyntax syntax)
    {
        if (ConstantExpression.OptionRefs(temperature).FirstOrDefault(o => o.Kind == ValueKind.Bool) is { } flag)
        {
            Report(DiagnosticCatalog.NonConstantTemperature, syntax.Span,
                $"a temperature is a positive number, but `{flag.Option}` is a bool option; declare it `real`");
            return false;
        }
        var subject = $"the temperature `{Print(temperature)}`";
        return Require(new OptionRequirement(temperature, 0, Strict: true, subject, TemperatureReason), keep: temperature is not BoundOptionRef,
            DiagnosticCatalog.NonConstantTemperature, syntax.Span,
            (value, with) => $"{subject} must be positive and finite{TemperatureReason}{ItIs(temperature, value, with)}");
    }

    /// <summary>
    /// A comparison of a count with a constant part must stay open: `rank &lt;= k` is always false for k &lt; 1,
    /// since a rank is never below 1 (<see cref="LowerBounds"/>), and `higher &lt; k` for k &lt;= 0. Ranks are
    /// compared with cut-offs this way in every top-k metric, so this is what keeps k a valid cut-off.
    /// </summary>
    private bool RequireOpenComparison(ComparisonSyntax syntax, ComparisonOperator op, BoundExpression left, BoundExpression right)
    {
        var leftConstant = ConstantExpression.IsOptionArithmetic(left);
        var rightConstant = ConstantExpression.IsOptionArithmetic(right);
        if (leftConstant == rightConstant) return true;
        var (count, constant, countSyntax, constantSyntax) = rightConstant
            ? (left, right, syntax.Left, syntax.Right)
            : (right, left, syntax.Right, syntax.Left);
        if (LowerBounds.Of(count, _statements, _inputs) is not { } lower) return true;

        // Read as `count op constant`: `<=` and `>` are decided by a constant below the bound, `<` and `>=` by one at it too.
        var reading = rightConstant ? op : Flip(op);
        var strict = reading is ComparisonOperator.Less or ComparisonOperator.GreaterOrEqual;
        var always = reading is ComparisonOperator.Less or ComparisonOperator.LessOrEqual ? "false" : "true";
        // A whole-number part above a whole bound is at least the next whole number: `higher < k` needs k >= 1.
        var (bound, isStrict) = strict && constant.Kind == ValueKind.Int && lower == System.Math.Floor(lower) ? (lower + 1, false) : (lower, strict);
        var condition = OptionRequirement.Describe(bound, isStrict);

        var countText = BoundText.Print(count, NameOf);
        var comparisonText = countText is null ? null : $"{Print(left)} {syntax.Operator} {Print(right)}";
        var reason = countText is null
            ? $": the other side of the comparison is never below {ConstantFolding.Format(lower)}, so the comparison would always be {always}"
            : $": `{countText}` is never below {ConstantFolding.Format(lower)}, so `{comparisonText}` would always be {always}";
        return Require(new OptionRequirement(constant, bound, isStrict, $"`{Print(constant)}`", reason), keep: true,
            DiagnosticCatalog.CutOffOutOfRange, constantSyntax.Span,
            (value, with) => $"{Quote(syntax.Span)} would always be {always}: {Quote(countSyntax.Span)} is never below {ConstantFolding.Format(lower)}, so {Quote(constantSyntax.Span)} must be {condition}"
                + ItIs(constant, value, with));
    }

    private static ComparisonOperator Flip(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Greater => ComparisonOperator.Less,
        ComparisonOperator.GreaterOrEqual => ComparisonOperator.LessOrEqual,
        ComparisonOperator.Less => ComparisonOperator.Greater,
        _ => ComparisonOperator.GreaterOrEqual,
    };

    /// <summary>The cut-off of <c>ideal_dcg</c> keeps the top k gains: below 1 the ideal DCG is 0 and so is every NDCG.</summary>
    private bool RequireIdealDcgCutOff(BoundExpression k, ExpressionSyntax syntax)
    {
        if (!ConstantExpression.IsOptionArithmetic(k)) return true;
        const string Reason = " (it keeps the gains of the top k positions; below 1 the ideal DCG is 0)";
        var subject = $"the cut-off `{Print(k)}` of `ideal_dcg`";
        return Require(new OptionRequirement(k, 1, Strict: false, subject, Reason), keep: true, DiagnosticCatalog.CutOffOutOfRange, syntax.Span,
            (value, with) => $"{subject} must be at least 1{Reason}{ItIs(k, value, with)}");
    }

    /// <summary>
    /// A divisor made of numbers and options must be positive: the exact program gives 0 for a / 0 and the
    /// surrogate divides by max(b, ε), so a zero or negative constant divisor silently becomes ε there.
    /// </summary>
    private bool RequirePositiveDivisor(BoundExpression divisor, ExpressionSyntax syntax)
    {
        if (!ConstantExpression.IsOptionArithmetic(divisor)) return true;
        const string Reason = " (the surrogate divides by max(divisor, ε), so a zero or negative one would become ε)";
        var subject = $"the divisor `{Print(divisor)}`";
        return Require(new OptionRequirement(divisor, 0, Strict: true, subject, Reason), keep: true, DiagnosticCatalog.DivisorNotPositive, syntax.Span,
            (value, with) => value == 0
                ? "division by zero" + (ItIs(divisor, value, with, " is ") is { Length: > 0 } isZero ? $": {subject}{isZero}" : "")
                    + "; the exact evaluator would give 0 and the surrogate divide by ε"
                : $"{subject}{(ItIs(divisor, value, with, " is ") is { Length: > 0 } itIs ? itIs : " is not positive")}; a constant divisor must be positive and finite{Reason}"
                    + (value < 0 ? ": put the sign on the numerator" : ""));
    }
}
