using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Binding;

/// <summary>
/// Binds one metric: resolves names, types every expression, gives every axis variable the global axis
/// it ranges over, decides which comparisons are relaxed (and with which temperature), and reports
/// every problem as a diagnostic at its span. Declarations live here; expressions in the other part.
/// </summary>
internal sealed partial class MetricBinder
{
    private readonly MetricSyntax _syntax;
    private readonly List<DslDiagnostic> _diagnostics;
    private readonly Dictionary<string, BoundInput> _inputs = new();
    private readonly Dictionary<string, BoundOption> _options = new();
    private readonly Dictionary<string, BoundStatement> _statements = new();
    private readonly Dictionary<string, AxisSize> _axisSizes = new();
    private readonly AxisScope _scope = new();
    private readonly List<BoundInput> _inputOrder = new();
    private readonly List<BoundOption> _optionOrder = new();
    private readonly List<BoundStatement> _statementOrder = new();

    private readonly string _text;

    private MetricBinder(MetricSyntax syntax, string text, List<DslDiagnostic> diagnostics)
    {
        _syntax = syntax;
        _text = text;
        _diagnostics = diagnostics;
    }

    private readonly List<FeatureUse> _features = new();

    public static BoundMetric? Bind(MetricSyntax syntax, string text, string? ns, string source, List<DslDiagnostic> diagnostics, List<FeatureUse> features)
    {
        var errorsBefore = diagnostics.Count(d => d.IsError);
        var binder = new MetricBinder(syntax, text, diagnostics);
        var metric = binder.BindMetric(ns, source);
        features.AddRange(binder._features);
        return diagnostics.Count(d => d.IsError) > errorsBefore ? null : metric;
    }

    private void Note(LanguageFeature feature, SourceSpan span) => _features.Add(new FeatureUse(_syntax.Name, feature, span));

    private void Report(DiagnosticKind kind, SourceSpan span, string message) =>
        _diagnostics.Add(DiagnosticCatalog.Create(kind, span, message));

    private BoundMetric? BindMetric(string? ns, string source)
    {
        if (Names.IsBuiltIn(_syntax.Name))
        {
            Report(DiagnosticCatalog.ReservedName, _syntax.NameSpan, $"`{_syntax.Name}` is a reserved word and cannot name a metric");
        }
        CSharpNameRules.Check(_syntax, Report);
        foreach (var parameter in _syntax.Parameters) BindParameter(parameter);
        foreach (var parameter in _syntax.Parameters.Where(p => p.Type.IndexAxis is not null && p.Default is null))
        {
            if (!_axisSizes.ContainsKey(parameter.Type.IndexAxis!))
            {
                Report(DiagnosticCatalog.AxisSizeUnknown, parameter.Type.Span,
                    $"`{parameter.Name}` holds positions along axis `{parameter.Type.IndexAxis}`, but no input or vector option has that axis; expected one of {JoinOr(_axisSizes.Keys)}");
            }
        }
        // Judged on the declarations, so that an input whose type was rejected does not also read as missing.
        if (!_syntax.Parameters.Any(p => p.Default is null && p.Type.ElementType == "real" && !p.Type.IsConst))
        {
            Report(DiagnosticCatalog.NoDifferentiableInput, _syntax.NameSpan,
                $"metric `{_syntax.Name}` has no `real` input, so its surrogate has no gradient; declare the scores as `real`");
        }

        var interpolation = _syntax.Interpolate is null ? null : BindInterpolation(_syntax.Interpolate);
        if (_syntax.Interpolate is not null) Note(LanguageFeature.Interpolation, _syntax.Interpolate.Span);
        var goal = BindBody();
        if (goal is null) return null;

        return new BoundMetric(
            ns,
            _syntax.Name,
            _inputOrder.ToEquatableArray(),
            _optionOrder.ToEquatableArray(),
            _axisSizes.Values.OrderBy(a => a.Axis, System.StringComparer.Ordinal).ToEquatableArray(),
            _scope.ToBound().ToEquatableArray(),
            _statementOrder.ToEquatableArray(),
            goal.Value.Direction,
            goal.Value.Value,
            interpolation,
            source,
            _requirements.ToEquatableArray());
    }

    private bool DeclareName(string name, SourceSpan span, string what)
    {
        if (Names.IsBuiltIn(name))
        {
            Report(DiagnosticCatalog.ReservedName, span, $"`{name}` is a reserved word and cannot name {what}");
            return false;
        }
        if (_inputs.ContainsKey(name) || _options.ContainsKey(name) || _statements.ContainsKey(name))
        {
            Report(DiagnosticCatalog.DuplicateName, span, $"`{name}` is already defined in metric `{_syntax.Name}`");
            return false;
        }
        return true;
    }

    private void BindParameter(ParameterSyntax parameter)
    {
        if (!DeclareName(parameter.Name, parameter.NameSpan, "a parameter")) return;
        var type = parameter.Type;
        var axes = new List<string>();
        foreach (var axis in type.Axes)
        {
            if (axis.Indices is not null)
            {
                Report(DiagnosticCatalog.InvalidType, axis.Span, $"expected an axis name in the type of `{parameter.Name}`, found `{axis.Name}[...]`");
                return;
            }
            if (axes.Contains(axis.Name))
            {
                Report(DiagnosticCatalog.InvalidType, axis.Span, $"axis `{axis.Name}` appears twice in the type of `{parameter.Name}`");
                return;
            }
            axes.Add(axis.Name);
        }

        if (parameter.Default is null)
        {
            BindInput(parameter, axes);
        }
        else
        {
            BindOption(parameter, axes);
        }
    }

    private void BindInput(ParameterSyntax parameter, List<string> axes)
    {
        var type = parameter.Type;
        var kind = type.ElementType switch
        {
            "real" => type.IsConst ? InputKind.ConstReal : InputKind.Real,
            "bool" => InputKind.Bool,
            "int" => InputKind.Int,
            _ => InputKind.Index,
        };
        for (var d = 0; d < axes.Count; d++)
        {
            if (!_axisSizes.ContainsKey(axes[d]))
            {
                _axisSizes[axes[d]] = new AxisSize(axes[d], parameter.Name, d, false);
            }
        }
        var input = new BoundInput(parameter.Name, kind, axes.ToEquatableArray(), type.IndexAxis);
        _inputs[parameter.Name] = input;
        _inputOrder.Add(input);
    }

    private void BindOption(ParameterSyntax parameter, List<string> axes)
    {
        var type = parameter.Type;
        if (type.ElementType == "index")
        {
            Report(DiagnosticCatalog.InvalidType, type.Span, $"option `{parameter.Name}` cannot be an index; expected real, int or bool");
            return;
        }
        if (axes.Count > 1)
        {
            Report(DiagnosticCatalog.InvalidType, type.Span, $"option `{parameter.Name}` has {axes.Count} axes; an option is a scalar or a vector (one axis)");
            return;
        }
        var kind = type.ElementType switch { "int" => OptionKind.Int, "bool" => OptionKind.Bool, _ => OptionKind.Real };
        var values = EvaluateDefault(parameter, axes.Count == 1, kind);
        if (values is null) return;

        var vectorAxis = axes.Count == 1 ? axes[0] : null;
        if (vectorAxis is not null && !_axisSizes.ContainsKey(vectorAxis))
        {
            _axisSizes[vectorAxis] = new AxisSize(vectorAxis, parameter.Name, 0, true);
        }
        var option = new BoundOption(parameter.Name, kind, vectorAxis, values.ToEquatableArray());
        _options[parameter.Name] = option;
        _optionOrder.Add(option);
    }

    private List<double>? EvaluateDefault(ParameterSyntax parameter, bool isVector, OptionKind kind)
    {
        var syntax = parameter.Default!;
        var items = syntax is ListSyntax list ? list.Items : new[] { syntax };
        if (isVector != syntax is ListSyntax)
        {
            Report(DiagnosticCatalog.InvalidDefault, syntax.Span, isVector
                ? $"option `{parameter.Name}` is a vector; expected a list default such as [1, 2, 4]"
                : $"option `{parameter.Name}` is a scalar; expected a number, found a list");
            return null;
        }
        if (isVector && items.Count == 0)
        {
            Report(DiagnosticCatalog.InvalidDefault, syntax.Span,
                $"vector option `{parameter.Name}` needs at least one value: its length is the size of axis `{parameter.Type.Axes[0].Name}`, which cannot be empty; write e.g. [1]");
            return null;
        }
        var values = new List<double>();
        foreach (var item in items)
        {
            if (item is NameSyntax { Name: "true" or "false", Indices: null } literal)
            {
                Report(DiagnosticCatalog.InvalidDefault, item.Span,
                    $"default of `{parameter.Name}`: the language has no `{literal.Name}`; write {(literal.Name == "true" ? 1 : 0)} (booleans are 1 for true and 0 for false)");
                return null;
            }
            var value = ConstantEvaluator.Evaluate(item, out var problem);
            if (value is null)
            {
                Report(DiagnosticCatalog.InvalidDefault, problem!.Value.Span,
                    $"default of `{parameter.Name}`: {problem.Value.Message}" + (problem.Value.NotConstant ? $", found {Quote(problem.Value.Span)}" : ""));
                return null;
            }
            if (kind != OptionKind.Real && value.Value != System.Math.Floor(value.Value))
            {
                Report(DiagnosticCatalog.InvalidDefault, item.Span, $"option `{parameter.Name}` is {(kind == OptionKind.Int ? "an int" : "a bool")}; expected a whole number, found {Format(value.Value)}");
                return null;
            }
            if (kind == OptionKind.Bool && value.Value is not (0 or 1))
            {
                Report(DiagnosticCatalog.InvalidDefault, item.Span, $"option `{parameter.Name}` is a bool; expected 0 or 1, found {Format(value.Value)}");
                return null;
            }
            values.Add(value.Value);
        }
        return values;
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private InterpolationSettings? BindInterpolation(InterpolateSyntax syntax)
    {
        var counts = new Dictionary<string, int> { ["good"] = 16, ["nearby"] = 16, ["random"] = 16 };
        var seen = new HashSet<string>();
        foreach (var option in syntax.Options)
        {
            if (!counts.ContainsKey(option.Name))
            {
                Report(DiagnosticCatalog.InvalidInterpolateOption, option.Span, $"unknown interpolate option `{option.Name}`; expected good, nearby or random");
                continue;
            }
            if (!seen.Add(option.Name))
            {
                Report(DiagnosticCatalog.InvalidInterpolateOption, option.Span, $"interpolate option `{option.Name}` is given twice");
                continue;
            }
            var value = ConstantEvaluator.Evaluate(option.Value, out _);
            if (value is null || value.Value < 0 || value.Value != System.Math.Floor(value.Value) || value.Value > 1_000_000)
            {
                Report(DiagnosticCatalog.InvalidInterpolateOption, option.Value.Span,
                    $"interpolate option `{option.Name}` expects a whole number of anchors ≥ 0, found {Quote(option.Value.Span)}");
                continue;
            }
            counts[option.Name] = (int)value.Value;
        }
        return new InterpolationSettings(counts["good"], counts["nearby"], counts["random"]);
    }

    private (GoalDirection Direction, BoundExpression Value)? BindBody()
    {
        (GoalDirection, BoundExpression)? goal = null;
        GoalSyntax? goalSyntax = null;
        foreach (var item in _syntax.Body)
        {
            if (goalSyntax is not null)
            {
                var span = item.Statement?.Span ?? item.Goal!.Span;
                Report(DiagnosticCatalog.GoalProblem, span, item.Goal is null
                    ? "statement after the goal; the goal (maximize or minimize) must come last"
                    : "a metric has one goal; found a second maximize or minimize");
                continue;
            }
            if (item.Statement is not null)
            {
                BindStatement(item.Statement);
                continue;
            }
            goalSyntax = item.Goal!;
            var value = BindGoal(goalSyntax);
            if (value is not null) goal = (goalSyntax.Maximize ? GoalDirection.Maximize : GoalDirection.Minimize, value);
        }
        if (goalSyntax is null)
        {
            var closingBrace = SourceSpan.FromOffsets(_text, _syntax.Span.End - 1, _syntax.Span.End);
            Report(DiagnosticCatalog.GoalProblem, closingBrace,
                $"metric `{_syntax.Name}` has no goal; expected `maximize <expr>;` or `minimize <expr>;` before `}}`");
        }
        return goal;
    }

    private void BindStatement(StatementSyntax statement)
    {
        _scope.Push();
        try
        {
            var declared = new List<AxisScope.Variable>();
            foreach (var axis in statement.Axes)
            {
                if (axis.Indices is not null)
                {
                    Report(DiagnosticCatalog.InvalidIndex, axis.Span, $"expected an axis name in `{statement.Name}[...]`, found `{axis.Name}[...]`");
                    return;
                }
                if (declared.Any(d => d.Name == axis.Name))
                {
                    Report(DiagnosticCatalog.InvalidIndex, axis.Span, $"axis `{axis.Name}` appears twice in `{statement.Name}[...]`");
                    return;
                }
                declared.Add(_scope.Declare(axis.Name));
            }
            var value = BindExpression(statement.Value);
            if (!DeclareName(statement.Name, statement.NameSpan, "a statement")) return;
            if (value is null) return;

            var declaredIds = declared.Select(d => d.Id).ToList();
            var undeclared = value.Axes.Where(a => !declaredIds.Contains(a)).ToList();
            if (undeclared.Count > 0)
            {
                var names = AxesPhrase(undeclared);
                Report(DiagnosticCatalog.FreeAxes, statement.Value.Span,
                    $"`{statement.Name}` depends on {names}, which it does not declare; write `{statement.Name}[{string.Join(", ", declared.Select(d => d.Name).Concat(undeclared.Select(NameOf)))}] = ...` or reduce over {(undeclared.Count == 1 ? "it" : "them")}");
                return;
            }
            for (var i = 0; i < declared.Count; i++)
            {
                if (!ResolveSize(declared[i], statement.Axes[i].Span)) return;
            }
            var bound = new BoundStatement(statement.Name, declaredIds.ToEquatableArray(), value);
            _statements[statement.Name] = bound;
            _statementOrder.Add(bound);
        }
        finally
        {
            _scope.Pop();
        }
    }

    private BoundExpression? BindGoal(GoalSyntax goal)
    {
        _scope.Push();
        try
        {
            var value = BindExpression(goal.Value);
            if (value is null) return null;
            if (value.Axes.Count > 0)
            {
                Report(DiagnosticCatalog.FreeAxes, goal.Value.Span,
                    $"the goal must be a scalar; found {AxesPhrase(value.Axes)}: reduce {(value.Axes.Count == 1 ? "it" : "them")}, e.g. mean[{string.Join(", ", value.Axes.Select(NameOf))}](...)");
                return null;
            }
            if (value.Kind == ValueKind.Index)
            {
                Report(DiagnosticCatalog.TypeMismatch, goal.Value.Span, "expected a number for the goal, found an index");
                return null;
            }
            return value;
        }
        finally
        {
            _scope.Pop();
        }
    }

    /// <summary>A variable with no size yet takes the global axis of the same name, if there is one.</summary>
    private bool ResolveSize(AxisScope.Variable variable, SourceSpan span)
    {
        if (variable.SizeAxis is not null) return true;
        if (_axisSizes.ContainsKey(variable.Name))
        {
            variable.SizeAxis = variable.Name;
            return true;
        }
        Report(DiagnosticCatalog.AxisSizeUnknown, span,
            $"the size of axis `{variable.Name}` cannot be inferred: it indexes no input, option or statement; expected one of {JoinOr(_axisSizes.Keys)}");
        return false;
    }

    private string NameOf(string variableId) => _scope.ById(variableId)!.Name;

    /// <summary>"axis `n`" or "axes `q`, `m`".</summary>
    private string AxesPhrase(IReadOnlyList<string> variableIds) =>
        (variableIds.Count == 1 ? "axis " : "axes ") + string.Join(", ", variableIds.Select(id => "`" + NameOf(id) + "`"));

    private static string JoinOr(IEnumerable<string> items)
    {
        var list = items.OrderBy(x => x, System.StringComparer.Ordinal).Select(x => "`" + x + "`").ToList();
        return list.Count switch { 0 => "none", 1 => list[0], _ => string.Join(", ", list.Take(list.Count - 1)) + " or " + list[list.Count - 1] };
    }
}
