using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Evaluation;

/// <summary>One statistic of one batch, as the generated code computed it: its shape and values (float64).</summary>
/// <param name="Shape">The statistic's shape (empty for a number).</param>
/// <param name="Data">Its values in row-major order.</param>
public sealed record StatisticValue(long[] Shape, double[] Data)
{
    /// <summary>A statistic that the program computed as a number (a count of positions, say).</summary>
    /// <param name="value">The number.</param>
    /// <returns>The statistic.</returns>
    public static StatisticValue Of(double value) => new(Array.Empty<long>(), new[] { value });

    /// <summary>
    /// The statistics of one batch, numbers and tensors (what the generated <c>Statistics__</c> returns): the tensors
    /// are flattened into one float64 tensor and copied to the host at once, since a copy per statistic costs more
    /// than the statistics themselves on small batches.
    /// </summary>
    /// <param name="values">Each statistic: a <see cref="double"/> or a <see cref="Tensor"/>.</param>
    /// <returns>The statistics, in order.</returns>
    public static StatisticValue[] All(params object[] values)
    {
        if (values is null) throw new ArgumentNullException(nameof(values));
        using var scope = NewDisposeScope();
        var tensors = values.OfType<Tensor>().Select(t => t.detach().to_type(ScalarType.Float64).reshape(-1)).ToArray();
        var data = tensors.Length == 0 ? Array.Empty<double>() : cat(tensors, 0).cpu().data<double>().ToArray();
        var result = new StatisticValue[values.Length];
        var offset = 0;
        for (var k = 0; k < values.Length; k++)
        {
            if (values[k] is Tensor tensor)
            {
                var count = (int)tensor.numel();
                result[k] = new(tensor.shape.ToArray(), data.AsSpan(offset, count).ToArray());
                offset += count;
            }
            else
            {
                result[k] = Of(Convert.ToDouble(values[k], System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return result;
    }

    /// <summary>A statistic computed as a tensor, copied to the CPU in float64.</summary>
    /// <param name="value">The tensor.</param>
    /// <returns>The statistic.</returns>
    public static StatisticValue Of(Tensor value)
    {
        if (value is null) throw new ArgumentNullException(nameof(value));
        using var scope = NewDisposeScope();
        return new(value.shape.ToArray(), value.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray());
    }
}

/// <summary>
/// The sums of a metric's statistics over every batch (<see cref="EvaluatorStateKind.SufficientStatistics"/> and
/// <see cref="EvaluatorStateKind.PerRow"/>): Compute evaluates the tail of the exact program on them. Sums in float64:
/// counts are exact up to 2^53.
/// </summary>
public sealed class StatisticStore : EvaluatorStore
{
    private readonly IReadOnlyList<string> _names;
    private readonly Func<Tensor[], double> _fromStatistics;
    private long[][]? _shapes;
    private double[][]? _sums;

    /// <summary>A store of the statistics <paramref name="names"/>.</summary>
    /// <param name="info">The metric.</param>
    /// <param name="kind"><see cref="EvaluatorStateKind.SufficientStatistics"/> or <see cref="EvaluatorStateKind.PerRow"/>.</param>
    /// <param name="names">The statistics' names (Info.EvaluatorState.Statistics), in the order of the generated code's arrays.</param>
    /// <param name="fromStatistics">The metric from the summed statistics (float64 tensors on the CPU).</param>
    public StatisticStore(MetricInfo info, EvaluatorStateKind kind, IReadOnlyList<string> names, Func<Tensor[], double> fromStatistics)
        : base(info, kind)
    {
        _names = names ?? throw new ArgumentNullException(nameof(names));
        _fromStatistics = fromStatistics ?? throw new ArgumentNullException(nameof(fromStatistics));
    }

    /// <summary>Adds the statistics of one batch of <paramref name="count"/> positions (the generated Update).</summary>
    /// <param name="count">The batch's positions along the batch axis.</param>
    /// <param name="statistics">Its statistics, in the order of the names.</param>
    /// <exception cref="ArgumentException">A statistic's shape differs from the earlier batches' (another number of classes, say).</exception>
    public void Add(long count, IReadOnlyList<StatisticValue> statistics)
    {
        if (statistics is null) throw new ArgumentNullException(nameof(statistics));
        if (statistics.Count != _names.Count) throw new ArgumentException($"{Info.Name}: {statistics.Count} statistics where {_names.Count} are kept.", nameof(statistics));
        if (count == 0) return;
        if (_shapes is null || _sums is null)
        {
            _shapes = statistics.Select(s => s.Shape.ToArray()).ToArray();
            _sums = statistics.Select(s => s.Data.ToArray()).ToArray();
        }
        else
        {
            for (var k = 0; k < _names.Count; k++)
            {
                if (!_shapes[k].SequenceEqual(statistics[k].Shape))
                {
                    throw new ArgumentException(
                        $"{Info.Name}: the statistic '{_names[k]}' of this batch has shape [{string.Join(", ", statistics[k].Shape)}], but earlier batches gave it [{string.Join(", ", _shapes[k])}] (batches must agree on every axis but the batch axis).",
                        nameof(statistics));
                }
            }
            for (var k = 0; k < _names.Count; k++)
            {
                var sum = _sums[k];
                var data = statistics[k].Data;
                for (var i = 0; i < sum.Length; i++) sum[i] += data[i];
            }
        }
        Count += count;
    }

    /// <inheritdoc/>
    public override double Compute()
    {
        using var scope = NewDisposeScope();
        var tensors = _sums!.Select((sum, k) => torch.tensor(sum, _shapes![k])).ToArray();
        return _fromStatistics(tensors);
    }

    /// <inheritdoc/>
    public override EvaluatorState ToState() => new(
        Info.Name,
        Count,
        _names.Select((name, k) => new EvaluatorInput(name, _shapes?[k] ?? Array.Empty<long>(), _sums?[k].ToArray() ?? Array.Empty<double>())).ToArray())
    {
        Kind = Kind,
    };

    /// <inheritdoc/>
    public override void Add(EvaluatorState state)
    {
        Check(state, _names.Count);
        if (state.Count == 0) return;
        var values = new StatisticValue[_names.Count];
        for (var k = 0; k < _names.Count; k++)
        {
            var input = state.Inputs[k];
            var expected = input.TrailingShape.Aggregate(1L, (a, b) => a * b);
            if (input.Name != _names[k] || input.Data.Length != expected)
            {
                throw new ArgumentException($"{Info.Name}: statistic '{input.Name}' of the state has {input.Data.Length} values where '{_names[k]}' of its shape needs {expected}.", nameof(state));
            }
            values[k] = new StatisticValue(input.TrailingShape.ToArray(), input.Data);
        }
        Add(state.Count, values);
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        _shapes = null;
        _sums = null;
        Count = 0;
    }
}
