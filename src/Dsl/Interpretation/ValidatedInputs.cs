using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// What one evaluation runs on, after <see cref="InputValidator"/> has checked it: every input, every
/// option (defaults filled in), and the size of every global axis.
/// </summary>
internal sealed class ValidatedInputs
{
    private readonly Dictionary<string, string> _sizeAxisOfVariable;

    public ValidatedInputs(
        BoundMetric metric,
        IReadOnlyDictionary<string, DenseArray> inputs,
        IReadOnlyDictionary<string, double[]> options,
        IReadOnlyDictionary<string, int> axisSizes)
    {
        Metric = metric;
        Inputs = inputs;
        Options = options;
        AxisSizes = axisSizes;
        _sizeAxisOfVariable = metric.Variables.ToDictionary(v => v.Id, v => v.SizeAxis);
    }

    public BoundMetric Metric { get; }

    /// <summary>Every input of the metric, by name.</summary>
    public IReadOnlyDictionary<string, DenseArray> Inputs { get; }

    /// <summary>Every option of the metric, by name: the given values, else the default (a scalar is one value).</summary>
    public IReadOnlyDictionary<string, double[]> Options { get; }

    /// <summary>The size of every global axis (input dimensions and vector-option lengths), all ≥ 1.</summary>
    public IReadOnlyDictionary<string, int> AxisSizes { get; }

    /// <summary>How many positions the axis variable <paramref name="variableId"/> ranges over.</summary>
    public int SizeOf(string variableId)
    {
        if (!_sizeAxisOfVariable.TryGetValue(variableId, out var axis) || !AxisSizes.TryGetValue(axis, out var size))
        {
            throw new System.InvalidOperationException(
                $"metric `{Metric.Name}`: axis variable `{variableId}` has no known size; the bound metric is inconsistent");
        }
        return size;
    }
}
