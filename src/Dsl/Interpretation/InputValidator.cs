using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// Checks the run-time arguments of one metric before anything is evaluated, so that every problem is
/// an <see cref="ArgumentException"/> that names the metric and the input or option at fault (as the
/// generated evaluators must), never an index error or a silently wrong value deep in the evaluation.
/// </summary>
internal sealed class InputValidator
{
    private readonly BoundMetric _metric;

    private InputValidator(BoundMetric metric) => _metric = metric;

    /// <param name="rejectNaN">The exact evaluator rejects NaN in any input; the smooth one lets it propagate.</param>
    public static ValidatedInputs Validate(
        BoundMetric metric,
        IReadOnlyDictionary<string, DenseArray> inputs,
        IReadOnlyDictionary<string, double[]>? options,
        bool rejectNaN)
    {
        if (metric is null) throw new ArgumentNullException(nameof(metric));
        if (inputs is null) throw new ArgumentNullException(nameof(inputs));
        var validator = new InputValidator(metric);
        validator.CheckInputNames(inputs);
        validator.CheckRanks(inputs);
        var resolvedOptions = validator.ResolveOptions(options ?? new Dictionary<string, double[]>());
        var axisSizes = validator.ResolveAxisSizes(inputs, resolvedOptions);
        validator.CheckRequirements(resolvedOptions);
        validator.CheckValues(inputs, axisSizes, rejectNaN);
        var ordered = metric.Inputs.ToDictionary(i => i.Name, i => inputs[i.Name]);
        return new ValidatedInputs(metric, ordered, resolvedOptions, axisSizes);
    }

    private ArgumentException Fail(string message, string parameter) =>
        new($"metric `{_metric.Name}`: {message}", parameter);

    private void CheckInputNames(IReadOnlyDictionary<string, DenseArray> inputs)
    {
        var declared = _metric.Inputs.Select(i => i.Name).ToList();
        foreach (var name in inputs.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            if (declared.Contains(name)) continue;
            var hint = _metric.Options.Any(o => o.Name == name)
                ? $"`{name}` is an option; pass it in the options"
                : $"its inputs are {Join(declared)}";
            throw Fail($"unexpected input `{name}`: {hint}", "inputs");
        }
        foreach (var input in _metric.Inputs)
        {
            if (!inputs.TryGetValue(input.Name, out var value))
            {
                throw Fail($"missing input `{input.Name}` ({Describe(input)}); its inputs are {Join(declared)}", "inputs");
            }
            if (value is null) throw Fail($"input `{input.Name}` is null", "inputs");
        }
    }

    private void CheckRanks(IReadOnlyDictionary<string, DenseArray> inputs)
    {
        foreach (var input in _metric.Inputs)
        {
            var shape = inputs[input.Name].Shape;
            if (shape.Length != input.Axes.Count)
            {
                throw Fail($"input `{input.Name}` has shape {DenseArray.FormatPosition(shape)} (rank {shape.Length}); expected rank {input.Axes.Count}: {Describe(input)}", "inputs");
            }
        }
    }

    /// <summary>Every declared option: the given values or the default; unknown names and bad values are errors.</summary>
    private Dictionary<string, double[]> ResolveOptions(IReadOnlyDictionary<string, double[]> given)
    {
        foreach (var name in given.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            if (_metric.Options.Any(o => o.Name == name)) continue;
            var hint = _metric.Inputs.Any(i => i.Name == name)
                ? $"`{name}` is an input; pass it in the inputs"
                : _metric.Options.Count == 0 ? "the metric has no options" : $"its options are {Join(_metric.Options.Select(o => o.Name))}";
            throw Fail($"unknown option `{name}`: {hint}", "options");
        }

        var result = new Dictionary<string, double[]>();
        foreach (var option in _metric.Options)
        {
            if (!given.TryGetValue(option.Name, out var values))
            {
                result[option.Name] = option.Default.ToArray();
                continue;
            }
            if (values is null) throw Fail($"option `{option.Name}` is null", "options");
            if (!option.IsVector && values.Length != 1)
            {
                throw Fail($"option `{option.Name}` is a scalar; expected 1 value, found {values.Length}", "options");
            }
            if (option.IsVector && values.Length == 0)
            {
                throw Fail($"option `{option.Name}` is a vector over axis `{option.VectorAxis}`; expected at least 1 value, found none", "options");
            }
            for (var p = 0; p < values.Length; p++)
            {
                var problem = double.IsNaN(values[p]) ? "found NaN" : ValueProblem(values[p], option.Kind switch
                {
                    OptionKind.Int => InputKind.Int,
                    OptionKind.Bool => InputKind.Bool,
                    _ => InputKind.ConstReal,
                }, rejectNaN: true);
                if (problem is not null)
                {
                    var where = option.IsVector ? $" at [{p}]" : "";
                    throw Fail($"option `{option.Name}` is {KindName(option.Kind)}; {problem}{where}", "options");
                }
            }
            result[option.Name] = values.ToArray();
        }
        return result;
    }

    /// <summary>
    /// The size of each global axis, from every input dimension and vector option that has it. They must
    /// all agree, and none may be empty: a mean or max over nothing has no value, so the interpreter
    /// refuses empty axes rather than inventing one.
    /// </summary>
    private Dictionary<string, int> ResolveAxisSizes(IReadOnlyDictionary<string, DenseArray> inputs, IReadOnlyDictionary<string, double[]> options)
    {
        var sizes = new Dictionary<string, (int Size, string Source)>();
        void Record(string axis, int size, string source, string parameter)
        {
            if (size == 0)
            {
                throw Fail($"axis `{axis}` is empty in {source}; every axis needs at least one element (a mean over nothing is undefined)", parameter);
            }
            if (!sizes.TryGetValue(axis, out var first))
            {
                sizes[axis] = (size, source);
            }
            else if (first.Size != size)
            {
                throw Fail($"axis `{axis}` has size {first.Size} in {first.Source} but size {size} in {source}; the same axis must have the same size everywhere", parameter);
            }
        }

        foreach (var input in _metric.Inputs)
        {
            var shape = inputs[input.Name].Shape;
            for (var d = 0; d < input.Axes.Count; d++) Record(input.Axes[d], shape[d], $"input `{input.Name}` (dimension {d})", "inputs");
        }
        foreach (var option in _metric.Options.Where(o => o.IsVector))
        {
            Record(option.VectorAxis!, options[option.Name].Length, $"option `{option.Name}`", "options");
        }
        foreach (var axis in _metric.AxisSizes)
        {
            if (!sizes.ContainsKey(axis.Axis))
            {
                throw new InvalidOperationException($"metric `{_metric.Name}`: axis `{axis.Axis}` gets its size from `{axis.Source}`, which does not have it; the bound metric is inconsistent");
            }
        }
        return sizes.ToDictionary(p => p.Key, p => p.Value.Size);
    }

    /// <summary>Temperatures written as arithmetic, cut-offs and constant divisors, with the options of this run (as the generated Options do).</summary>
    private void CheckRequirements(IReadOnlyDictionary<string, double[]> options)
    {
        foreach (var requirement in _metric.Requirements)
        {
            foreach (var evaluation in Binding.ConstantFolding.EvaluateAll(requirement.Value, name => options[name]))
            {
                if (requirement.IsMetBy(evaluation.Value)) continue;
                throw Fail($"{requirement.Subject} must be {requirement.Condition}{requirement.Reason}; it is {Format(evaluation.Value)}{evaluation.With("")}", "options");
            }
        }
    }

    private void CheckValues(IReadOnlyDictionary<string, DenseArray> inputs, IReadOnlyDictionary<string, int> axisSizes, bool rejectNaN)
    {
        foreach (var input in _metric.Inputs)
        {
            var array = inputs[input.Name];
            int? range = input.Kind == InputKind.Index && input.IndexAxis is not null && axisSizes.TryGetValue(input.IndexAxis, out var size) ? size : null;
            for (var offset = 0; offset < array.Data.Length; offset++)
            {
                var value = array.Data[offset];
                var problem = ValueProblem(value, input.Kind, rejectNaN);
                if (problem is null && range is not null && (value < 0 || value >= range))
                {
                    problem = $"expected positions along axis `{input.IndexAxis}` from 0 to {range - 1}, found {Format(value)}";
                }
                else if (problem is null && input.Kind == InputKind.Index && value < 0)
                {
                    // The index axis has no size anywhere (the input is never used to gather), so only the sign can be checked.
                    problem = $"expected a position along axis `{input.IndexAxis}` (≥ 0), found {Format(value)}";
                }
                if (problem is not null)
                {
                    throw Fail($"input `{input.Name}` ({Describe(input)}): {problem} at {DenseArray.FormatPosition(array.PositionOf(offset))}", "inputs");
                }
            }
        }
    }

    /// <summary>Why <paramref name="value"/> is not a value of this kind, or null.</summary>
    private static string? ValueProblem(double value, InputKind kind, bool rejectNaN)
    {
        if (double.IsNaN(value) && kind is InputKind.Real or InputKind.ConstReal)
        {
            // The smooth program lets a NaN score propagate, as the generated surrogate does (it never syncs to look).
            return rejectNaN ? "found NaN, which the exact evaluator rejects" : null;
        }
        return kind switch
        {
            InputKind.Bool when value is not (0 or 1) => $"expected 0 or 1 (false or true), found {Format(value)}",
            InputKind.Int or InputKind.Index when double.IsInfinity(value) || value != Math.Floor(value) => $"expected a whole number, found {Format(value)}",
            _ => null,
        };
    }

    private static string Describe(BoundInput input)
    {
        var element = input.Kind switch
        {
            InputKind.Real => "real",
            InputKind.ConstReal => "const real",
            InputKind.Bool => "bool",
            InputKind.Int => "int",
            _ => $"index<{input.IndexAxis}>",
        };
        return input.Axes.Count == 0 ? element : $"{element}[{string.Join(", ", input.Axes)}]";
    }

    private static string KindName(OptionKind kind) => kind switch
    {
        OptionKind.Int => "an int",
        OptionKind.Bool => "a bool",
        _ => "a real",
    };

    private static string Join(IEnumerable<string> names) => string.Join(", ", names.Select(n => "`" + n + "`"));

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
