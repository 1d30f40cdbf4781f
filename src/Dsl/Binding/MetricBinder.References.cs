using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Binding;

/// <summary>Names (inputs, options, statements) and their indices, including gathers.</summary>
internal sealed partial class MetricBinder
{
    private BoundExpression? BindName(NameSyntax name)
    {
        var indices = name.Indices ?? new List<IndexSyntax>();
        if (_statements.TryGetValue(name.Name, out var statement)) return BindLocal(name, statement, indices);
        if (_inputs.TryGetValue(name.Name, out var input)) return BindInputRef(name, input, indices);
        if (_options.TryGetValue(name.Name, out var option)) return BindOptionRef(name, option, indices);

        if (_scope.Lookup(name.Name) is not null || _axisSizes.ContainsKey(name.Name))
        {
            return ReportNull(DiagnosticCatalog.UnknownName, name.NameSpan,
                $"`{name.Name}` is an axis, not a value; expected an input, option or statement defined above");
        }
        // A parameter or an earlier statement of this name failed to bind and was reported: do not report it again here.
        if (_syntax.Parameters.Any(p => p.Name == name.Name)
            || _syntax.Body.Any(b => b.Statement?.Name == name.Name && b.Statement.Span.End <= name.Span.Start))
        {
            return null;
        }
        if (name.Name is "true" or "false" && name.Indices is null)
        {
            return ReportNull(DiagnosticCatalog.UnknownName, name.NameSpan,
                $"unknown name `{name.Name}`: the language has no boolean literals; write {(name.Name == "true" ? 1 : 0)} (booleans are 1 for true and 0 for false)");
        }
        var laterStatement = _syntax.Body.Select(b => b.Statement).FirstOrDefault(s => s?.Name == name.Name);
        if (laterStatement is not null)
        {
            return ReportNull(DiagnosticCatalog.UnknownName, name.NameSpan,
                $"`{name.Name}` is used before it is defined (line {laterStatement.Span.StartLine + 1}); statements can only use statements above them");
        }
        var known = _inputs.Keys.Concat(_options.Keys).Concat(_statements.Keys).ToList();
        var suggestion = Names.Suggest(name.Name, known);
        return ReportNull(DiagnosticCatalog.UnknownName, name.NameSpan,
            $"unknown name `{name.Name}`; expected an input, option or statement defined above" + (suggestion is null ? "" : $" (did you mean `{suggestion}`?)"));
    }

    private bool CheckIndexCount(NameSyntax name, int expected, IEnumerable<string> axisNames, string what)
    {
        var found = name.Indices?.Count ?? 0;
        if (found == expected) return true;
        var axes = string.Join(", ", axisNames);
        Report(DiagnosticCatalog.IndexCount, name.Span, expected == 0
            ? $"{what} `{name.Name}` is a scalar; expected no indices, found {found}"
            : $"{what} `{name.Name}` has {expected} ax{(expected == 1 ? "is" : "es")} ({axes}); expected {expected} ind{(expected == 1 ? "ex" : "ices")}, found {found}: write {name.Name}[{axes}]");
        return false;
    }

    private BoundExpression? BindInputRef(NameSyntax name, BoundInput input, IReadOnlyList<IndexSyntax> indices)
    {
        if (!CheckIndexCount(name, input.Axes.Count, input.Axes, "input")) return null;
        var bound = new List<BoundIndex>();
        for (var d = 0; d < indices.Count; d++)
        {
            var index = BindIndex(indices[d], input.Axes[d], $"dimension {d} of `{input.Name}`");
            if (index is null) return null;
            bound.Add(index);
        }
        if (!CheckNoRepeatedVariable(name, bound)) return null;
        var kind = input.Kind switch
        {
            InputKind.Bool => ValueKind.Bool,
            InputKind.Int or InputKind.Index => ValueKind.Int,
            _ => ValueKind.Real,
        };
        return new BoundInputRef(input.Name, bound.ToEquatableArray(), Union(bound.Select(VariablesOf).ToArray()), kind, input.IsDifferentiable);
    }

    private bool CheckNoRepeatedVariable(NameSyntax name, IReadOnlyList<BoundIndex> indices)
    {
        var plain = indices.Where(i => !i.IsGather).Select(i => i.Variable!).ToList();
        if (plain.Distinct().Count() == plain.Count) return true;
        Report(DiagnosticCatalog.InvalidIndex, name.Span, $"an axis is repeated in {Quote(name.Span)}; each index of `{name.Name}` needs its own axis");
        return false;
    }

    private BoundExpression? BindOptionRef(NameSyntax name, BoundOption option, IReadOnlyList<IndexSyntax> indices)
    {
        var kind = option.Kind switch { OptionKind.Bool => ValueKind.Bool, OptionKind.Int => ValueKind.Int, _ => ValueKind.Real };
        if (!option.IsVector)
        {
            if (!CheckIndexCount(name, 0, System.Array.Empty<string>(), "option")) return null;
            return new BoundOptionRef(option.Name, null, EquatableArray<string>.Empty, kind);
        }
        if (!CheckIndexCount(name, 1, new[] { option.VectorAxis! }, "vector option")) return null;
        var index = BindIndex(indices[0], option.VectorAxis!, $"`{option.Name}`");
        if (index is null) return null;
        Note(LanguageFeature.VectorOption, name.Span);
        if (index.IsGather)
        {
            return ReportNull(DiagnosticCatalog.InvalidIndex, indices[0].Span, $"vector option `{option.Name}` can only be indexed by an axis name");
        }
        return new BoundOptionRef(option.Name, index.Variable, EquatableArray.Of(index.Variable!), kind);
    }

    private BoundExpression? BindLocal(NameSyntax name, BoundStatement statement, IReadOnlyList<IndexSyntax> indices)
    {
        var declared = statement.Axes.Select(SizeAxisOf).ToList();
        if (!CheckIndexCount(name, declared.Count, statement.Axes.Select(NameOf), "statement")) return null;
        var renaming = new List<BoundIndex>();
        for (var d = 0; d < indices.Count; d++)
        {
            if (indices[d].Indices is not null)
            {
                return ReportNull(DiagnosticCatalog.InvalidIndex, indices[d].Span,
                    $"statement `{statement.Name}` can only be indexed by axis names, found the gather {Quote(indices[d].Span)}");
            }
            var index = BindIndex(indices[d], declared[d], $"axis {d} of `{statement.Name}`");
            if (index is null) return null;
            renaming.Add(index);
        }
        if (!CheckNoRepeatedVariable(name, renaming)) return null;
        var ids = renaming.Select(r => r.Variable!).ToList();
        return new BoundLocalRef(statement.Name, ids.ToEquatableArray(), ids.ToEquatableArray(), statement.Value.Kind, statement.Value.DependsOnScore);
    }

    private string SizeAxisOf(string variableId) => _scope.ById(variableId)!.SizeAxis!;

    private static EquatableArray<string> VariablesOf(BoundIndex index) =>
        index.IsGather
            ? Union(index.GatherIndices.Select(VariablesOf).ToArray())
            : EquatableArray.Of(index.Variable!);

    /// <summary>
    /// Binds an index that must range over <paramref name="sizeAxis"/>: an axis name (its variable learns
    /// or checks its size axis) or a gather <c>target[n]</c> through an <c>index&lt;sizeAxis&gt;</c> input.
    /// </summary>
    private BoundIndex? BindIndex(IndexSyntax index, string sizeAxis, string where)
    {
        if (index.Name == "!=")
        {
            Report(DiagnosticCatalog.InvalidIndex, index.Span, "`!=` is only allowed in reduction binders, as in sum[j != i](...)");
            return null;
        }
        if (index.Indices is not null) return BindGather(index, sizeAxis, where);

        var variable = _scope.Lookup(index.Name);
        if (variable is null)
        {
            if (_inputs.ContainsKey(index.Name) || _options.ContainsKey(index.Name) || _statements.ContainsKey(index.Name))
            {
                Report(DiagnosticCatalog.InvalidIndex, index.Span,
                    $"`{index.Name}` is a value, not an axis; an index is an axis name or a gather such as target[n]");
                return null;
            }
            variable = _scope.DeclareInStatementFrame(index.Name);
        }
        if (variable.SizeAxis is null)
        {
            variable.SizeAxis = sizeAxis;
        }
        else if (variable.SizeAxis != sizeAxis)
        {
            Report(DiagnosticCatalog.AxisMismatch, index.Span,
                $"axis mismatch: {where} ranges over `{sizeAxis}`, but the index `{index.Name}` ranges over `{variable.SizeAxis}`; index it with an axis of `{sizeAxis}`");
            return null;
        }
        return BoundIndex.Of(variable.Id);
    }

    private BoundIndex? BindGather(IndexSyntax index, string sizeAxis, string where)
    {
        Note(LanguageFeature.Gather, index.Span);
        if (!_inputs.TryGetValue(index.Name, out var source) || source.Kind != InputKind.Index)
        {
            Report(DiagnosticCatalog.InvalidIndex, index.Span,
                $"`{index.Name}[...]` is used as an index, so `{index.Name}` must be an input of type index<{sizeAxis}>");
            return null;
        }
        if (source.IndexAxis != sizeAxis)
        {
            Report(DiagnosticCatalog.AxisMismatch, index.Span,
                $"axis mismatch: `{index.Name}` holds positions along `{source.IndexAxis}`, but it indexes {where}, which ranges over `{sizeAxis}`");
            return null;
        }
        var inner = index.Indices!;
        if (inner.Count != source.Axes.Count)
        {
            var count = source.Axes.Count;
            Report(DiagnosticCatalog.IndexCount, index.Span,
                $"input `{source.Name}` has {count} ax{(count == 1 ? "is" : "es")} ({string.Join(", ", source.Axes)}); expected {count} ind{(count == 1 ? "ex" : "ices")}, found {inner.Count}");
            return null;
        }
        var bound = new List<BoundIndex>();
        for (var d = 0; d < inner.Count; d++)
        {
            var b = BindIndex(inner[d], source.Axes[d], $"dimension {d} of `{source.Name}`");
            if (b is null) return null;
            bound.Add(b);
        }
        return new BoundIndex(null, source.Name, bound.ToEquatableArray());
    }

    private BoundExpression? BindReduction(ReductionSyntax reduction)
    {
        if (reduction.Reducer == "ideal_dcg") return BindIdealDcg(reduction);
        if (!Names.Reducers.Contains(reduction.Reducer))
        {
            var hint = Names.Functions.Contains(reduction.Reducer)
                ? $"`{reduction.Reducer}` is a function, not a reducer: write {reduction.Reducer}(...)"
                : $"unknown reducer `{reduction.Reducer}`, expected one of {string.Join(", ", Names.Reducers)}";
            return ReportNull(DiagnosticCatalog.UnknownFunction, reduction.NameSpan, hint);
        }
        if (reduction.Arguments.Count != 1)
        {
            return ReportNull(DiagnosticCatalog.ArgumentCount, reduction.Span,
                $"`{reduction.Reducer}[...]` takes 1 argument, found {reduction.Arguments.Count}");
        }

        _scope.Push();
        try
        {
            var variables = DeclareBinders(reduction.Binders);
            if (variables is null) return null;
            var body = BindExpression(reduction.Arguments[0]);
            if (body is null) return null;
            var binders = BindExclusions(reduction.Binders, variables);
            if (binders is null) return null;

            var reducer = reduction.Reducer switch
            {
                "sum" => Reducer.Sum,
                "mean" => Reducer.Mean,
                "max" => Reducer.Max,
                "min" => Reducer.Min,
                "any" => Reducer.Any,
                _ => Reducer.All,
            };
            if (reducer is Reducer.Any or Reducer.All && body.Kind != ValueKind.Bool)
            {
                return ReportNull(DiagnosticCatalog.TypeMismatch, reduction.Arguments[0].Span,
                    $"`{reduction.Reducer}` expects a boolean body, found {Describe(body.Kind)}: {Quote(reduction.Arguments[0].Span)}");
            }
            var kind = reducer switch
            {
                Reducer.Sum => body.Kind is ValueKind.Bool or ValueKind.Int ? ValueKind.Int : ValueKind.Real,
                Reducer.Mean => ValueKind.Real,
                Reducer.Any or Reducer.All => ValueKind.Bool,
                _ => body.Kind,
            };
            var boundIds = variables.Select(v => v.Id).ToList();
            // `sum[j != i]` depends on i; `sum[n, c != target[n]]` does not depend on n, which it binds itself.
            var excludedAxes = binders.Where(b => b.Excluded is not null)
                .Select(b => VariablesOf(b.Excluded!).Where(a => !boundIds.Contains(a)).ToEquatableArray()).ToArray();
            var axes = Union(new[] { body.Axes.Where(a => !boundIds.Contains(a)).ToEquatableArray() }.Concat(excludedAxes).ToArray());
            return new BoundReduction(reducer, binders.ToEquatableArray(), body, axes, kind);
        }
        finally
        {
            _scope.Pop();
        }
    }

    private List<AxisScope.Variable>? DeclareBinders(IReadOnlyList<BinderSyntax> binders)
    {
        var variables = new List<AxisScope.Variable>();
        foreach (var binder in binders)
        {
            if (binder.Axis.Indices is not null)
            {
                Report(DiagnosticCatalog.InvalidIndex, binder.Axis.Span, $"expected an axis name to reduce over, found {Quote(binder.Axis.Span)}");
                return null;
            }
            if (_scope.IsDeclaredInInnermostFrame(binder.Axis.Name) || _scope.Lookup(binder.Axis.Name) is not null)
            {
                Report(DiagnosticCatalog.InvalidIndex, binder.Axis.Span,
                    $"axis `{binder.Axis.Name}` is already bound here; reduce over a new name (e.g. `{binder.Axis.Name}2`)");
                return null;
            }
            variables.Add(_scope.Declare(binder.Axis.Name));
        }
        return variables;
    }

    /// <summary>
    /// Binds the <c>!= i</c> parts after the body (which fixes the binder's size axis) and gives every binder
    /// a size axis: from its uses, else from its exclusion, else from the global axis of the same name.
    /// </summary>
    private List<BoundBinder>? BindExclusions(IReadOnlyList<BinderSyntax> binders, List<AxisScope.Variable> variables)
    {
        var result = new List<BoundBinder>();
        for (var b = 0; b < binders.Count; b++)
        {
            var variable = variables[b];
            var excludedSyntax = binders[b].Excluded;
            BoundIndex? excluded = null;
            if (excludedSyntax is not null)
            {
                Note(LanguageFeature.Exclusion, binders[b].Span);
                if (variable.SizeAxis is null)
                {
                    // The excluded axis may not have a size yet (a statement axis used only here): take its global axis.
                    var excludedVariable = excludedSyntax.Indices is null ? _scope.Lookup(excludedSyntax.Name) : null;
                    if (excludedVariable is { SizeAxis: null } && _axisSizes.ContainsKey(excludedVariable.Name)) excludedVariable.SizeAxis = excludedVariable.Name;
                    var outer = excludedSyntax.Indices is null ? _scope.Lookup(excludedSyntax.Name)?.SizeAxis
                        : _inputs.TryGetValue(excludedSyntax.Name, out var gather) ? gather.IndexAxis : null;
                    variable.SizeAxis = outer;
                }
                if (variable.SizeAxis is null && !ResolveSize(variable, binders[b].Axis.Span)) return null;
                if (excludedSyntax.Indices is null && (_scope.Lookup(excludedSyntax.Name) is null || variables.Any(v => v.Name == excludedSyntax.Name)))
                {
                    Report(DiagnosticCatalog.InvalidIndex, excludedSyntax.Span,
                        $"`{binders[b].Axis.Name} != {excludedSyntax.Name}` needs `{excludedSyntax.Name}` to be an axis bound outside this reduction");
                    return null;
                }
                excluded = BindIndex(excludedSyntax, variable.SizeAxis!, $"the exclusion of `{binders[b].Axis.Name}`");
                if (excluded is null) return null;
            }
            else if (!ResolveSize(variable, binders[b].Axis.Span))
            {
                return null;
            }
            result.Add(new BoundBinder(variable.Id, excluded));
        }
        return result;
    }

    private BoundExpression? BindIdealDcg(ReductionSyntax reduction)
    {
        Note(LanguageFeature.IdealDcg, reduction.Span);
        if (reduction.Binders.Count != 1 || reduction.Binders[0].Excluded is not null || reduction.Arguments.Count != 2)
        {
            return ReportNull(DiagnosticCatalog.ArgumentCount, reduction.Span,
                "`ideal_dcg` takes one axis and two arguments: ideal_dcg[i](gain[q, i], k)");
        }
        _scope.Push();
        try
        {
            var variables = DeclareBinders(reduction.Binders);
            if (variables is null) return null;
            var gain = BindExpression(reduction.Arguments[0]);
            var k = BindExpression(reduction.Arguments[1]);
            if (gain is null || k is null) return null;
            if (gain.DependsOnScore)
            {
                return ReportNull(DiagnosticCatalog.DifferentiableIdealDcg, reduction.Arguments[0].Span,
                    $"`ideal_dcg` sorts its gains exactly and is defined on constants only, but {Quote(reduction.Arguments[0].Span)} depends on a differentiable input; pass a `const real` or label input");
            }
            if (k.Axes.Count > 0 || k.DependsOnScore)
            {
                return ReportNull(DiagnosticCatalog.TypeMismatch, reduction.Arguments[1].Span,
                    $"the cut-off of `ideal_dcg` must be a scalar constant, found {Quote(reduction.Arguments[1].Span)}");
            }
            if (!RequireIdealDcgCutOff(k, reduction.Arguments[1])) return null;
            if (!ResolveSize(variables[0], reduction.Binders[0].Span)) return null;
            var id = variables[0].Id;
            var axes = Union(gain.Axes.Where(a => a != id).ToEquatableArray(), k.Axes);
            return new BoundIdealDcg(id, gain, k, axes);
        }
        finally
        {
            _scope.Pop();
        }
    }
}
