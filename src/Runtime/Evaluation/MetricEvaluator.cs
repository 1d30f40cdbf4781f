using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Evaluation;

/// <summary>
/// The exact value of a metric on a whole data set that arrives in batches: every generated metric's
/// <c>Evaluator</c> derives from this. <c>Update</c> takes one batch (any device, no graph), <see cref="Merge"/> adds
/// another evaluator's batches (shards evaluated apart), <see cref="Compute"/> is <c>Exact</c> on all of them, and
/// <see cref="ToState"/>/<c>FromState</c> carry the state between processes as plain arrays.
/// </summary>
/// <remarks>
/// <para>The batch axis is the first axis of the metric's first input (n for F1 and ROC AUC, the queries q for RS@k
/// and mAP): batches are joined along it, and an input without it as its first axis (a matrix of class weights, say)
/// must be the same in every batch. Compute equals Exact on the concatenation of the batches, in any order of
/// updates and merges, for every metric whose value does not depend on the order of the positions along that axis
/// (all of the catalogue's).</para>
/// <para>This version keeps the batches themselves (in float64 on the CPU): its state grows with the number of
/// items, as the exact ROC AUC and AP need anyway. Metrics that depend on the items only through sums (the confusion
/// family) could keep those sums instead (O(1)); that is not derived yet.</para>
/// </remarks>
public abstract class MetricEvaluator
{
    private readonly MetricInfo _info;
    private readonly string _batchAxis;
    private readonly List<double[]>[] _parts;
    private long[][]? _trailingShapes;
    private long _count;

    /// <summary>An evaluator of the metric described by <paramref name="info"/>.</summary>
    /// <exception cref="ArgumentException">The metric has no input (nothing to evaluate in batches).</exception>
    protected MetricEvaluator(MetricInfo info)
    {
        _info = info ?? throw new ArgumentNullException(nameof(info));
        if (info.Inputs.Count == 0 || info.Inputs[0].Axes.Count == 0)
        {
            throw new ArgumentException($"{info.Name}: an evaluator needs a first input with an axis to join batches along.", nameof(info));
        }
        _batchAxis = info.Inputs[0].Axes[0];
        _parts = info.Inputs.Select(_ => new List<double[]>()).ToArray();
    }

    /// <summary>The metric.</summary>
    public MetricInfo Info => _info;

    /// <summary>The axis batches are joined along: the first axis of the first input.</summary>
    public string BatchAxis => _batchAxis;

    /// <summary>How many positions of the batch axis the evaluator holds (items, or queries).</summary>
    public long Count => _count;

    /// <summary>
    /// Whether a batch has no position along the batch axis (its first input: a live tensor of size 0 along its first
    /// dimension): Update adds nothing then, since Exact refuses an empty axis. Anything else goes to Exact's checks.
    /// </summary>
    protected static bool IsEmptyBatch(Tensor? first) => first is not null && !first.IsInvalid && first.ndim > 0 && first.shape[0] == 0;

    /// <summary>Adds one batch, already checked by the generated <c>Update</c> (which calls <c>Exact</c> on it).</summary>
    protected void Append(Tensor[] inputs)
    {
        using var scope = NewDisposeScope();
        var size = inputs[0].shape[0];
        if (size == 0) return;
        var trailing = inputs.Select((t, k) => t.shape.Skip(Joined(k) ? 1 : 0).ToArray()).ToArray();
        if (_trailingShapes is null)
        {
            _trailingShapes = trailing;
        }
        else
        {
            for (var k = 0; k < inputs.Length; k++)
            {
                if (!_trailingShapes[k].SequenceEqual(trailing[k]))
                {
                    throw new ArgumentException(
                        $"{_info.Name}: input '{_info.Inputs[k].Name}' has shape {Show(inputs[k].shape)}, but earlier batches gave it {Show(Joined(k) ? new[] { -1L }.Concat(_trailingShapes[k]).ToArray() : _trailingShapes[k])} (batches are joined along '{_batchAxis}' only).",
                        _info.Inputs[k].Name);
                }
            }
        }
        var data = inputs.Select(t => t.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray()).ToArray();
        for (var k = 0; k < inputs.Length; k++)
        {
            if (Joined(k))
            {
                _parts[k].Add(data[k]);
            }
            else if (_parts[k].Count == 0)
            {
                _parts[k].Add(data[k]);
            }
            else if (!_parts[k][0].SequenceEqual(data[k]))
            {
                throw new ArgumentException(
                    $"{_info.Name}: input '{_info.Inputs[k].Name}' is not along '{_batchAxis}', so it must be the same in every batch; this batch gives another one.",
                    _info.Inputs[k].Name);
            }
        }
        _count += size;
    }

    /// <summary>The exact value on every batch so far: <c>Exact</c> on their concatenation (the generated metric's options).</summary>
    /// <exception cref="InvalidOperationException">No batch has an item yet.</exception>
    public double Compute()
    {
        if (_count == 0 || _trailingShapes is null)
        {
            throw new InvalidOperationException($"{_info.Name}: the evaluator holds no item yet; Update it with a batch first.");
        }
        using var scope = NewDisposeScope();
        var inputs = new Tensor[_parts.Length];
        for (var k = 0; k < _parts.Length; k++)
        {
            var data = Joined(k) ? _parts[k].SelectMany(p => p).ToArray() : _parts[k][0];
            var shape = Joined(k) ? new[] { _count }.Concat(_trailingShapes[k]).ToArray() : _trailingShapes[k];
            inputs[k] = Tensor(data, shape, _info.Inputs[k].Type);
        }
        return Exact(inputs);
    }

    /// <summary>The metric's <c>Exact</c> with the evaluator's options, on the joined inputs.</summary>
    protected abstract double Exact(Tensor[] inputs);

    /// <summary>Adds the batches of <paramref name="other"/> (an evaluator of the same metric), as if this one had been updated with them too.</summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> evaluates another metric, or its batches do not fit these.</exception>
    public void Merge(MetricEvaluator other)
    {
        if (other is null) throw new ArgumentNullException(nameof(other));
        if (ReferenceEquals(other, this)) throw new ArgumentException($"{_info.Name}: an evaluator cannot be merged into itself.", nameof(other));
        if (other.GetType() != GetType()) throw new ArgumentException($"{_info.Name}: cannot merge an evaluator of {other._info.Name}.", nameof(other));
        Add(other.ToState());
    }

    /// <summary>Forgets every batch.</summary>
    public void Reset()
    {
        foreach (var parts in _parts) parts.Clear();
        _trailingShapes = null;
        _count = 0;
    }

    /// <summary>The state as plain arrays, to save or to send to another process (<c>FromState</c> there, then <see cref="Merge"/>).</summary>
    public EvaluatorState ToState() => new(
        _info.Name,
        _count,
        _parts.Select((parts, k) => new EvaluatorInput(
            _info.Inputs[k].Name,
            _trailingShapes?[k] ?? Array.Empty<long>(),
            (Joined(k) ? parts.SelectMany(p => p) : parts.Take(1).SelectMany(p => p)).ToArray())).ToArray());

    /// <summary>Replaces the state with <paramref name="state"/> (from <see cref="ToState"/> of an evaluator of the same metric).</summary>
    /// <exception cref="ArgumentException">The state is another metric's, or its arrays do not fit their shapes.</exception>
    protected void LoadState(EvaluatorState state)
    {
        Reset();
        Add(state);
    }

    /// <summary>Appends the batches a state holds, after checking that it is this metric's and its arrays fit their shapes.</summary>
    private void Add(EvaluatorState state)
    {
        if (state is null) throw new ArgumentNullException(nameof(state));
        if (state.Metric != _info.Name || state.Inputs.Count != _parts.Length)
        {
            throw new ArgumentException($"{_info.Name}: the state is of {state.Metric} with {state.Inputs.Count} inputs.", nameof(state));
        }
        if (state.Count == 0) return;
        for (var k = 0; k < _parts.Length; k++)
        {
            var input = state.Inputs[k];
            var perItem = input.TrailingShape.Aggregate(1L, (a, b) => a * b);
            var expected = Joined(k) ? perItem * state.Count : perItem;
            if (input.Name != _info.Inputs[k].Name || input.Data.Length != expected)
            {
                throw new ArgumentException($"{_info.Name}: input '{input.Name}' of the state has {input.Data.Length} values where its shape needs {expected}.", nameof(state));
            }
        }
        using var scope = NewDisposeScope();
        Append(state.Inputs.Select((input, k) => torch.tensor(input.Data, Joined(k) ? new[] { state.Count }.Concat(input.TrailingShape).ToArray() : input.TrailingShape.ToArray())).ToArray());
    }

    /// <summary>Whether input k is joined along the batch axis (its first axis is that axis).</summary>
    private bool Joined(int k) => _info.Inputs[k].Axes.Count > 0 && _info.Inputs[k].Axes[0] == _batchAxis;

    /// <summary>The input in the dtype its type asks for: reals float64, bools bool, ints and indices int64.</summary>
    private static Tensor Tensor(double[] data, long[] shape, string type)
    {
        if (type == "bool") return torch.tensor(data.Select(d => d != 0).ToArray(), shape);
        if (type == "int" || type.StartsWith("index", StringComparison.Ordinal)) return torch.tensor(data.Select(d => (long)d).ToArray(), shape);
        return torch.tensor(data, shape);
    }

    private static string Show(long[] shape) => "[" + string.Join(", ", shape.Select(s => s < 0 ? "…" : s.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}

/// <summary>An evaluator's state: the metric, the positions held along the batch axis, and each input's values.</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Count">Positions along the batch axis.</param>
/// <param name="Inputs">Per input, in the metric's order.</param>
public sealed record EvaluatorState(string Metric, long Count, IReadOnlyList<EvaluatorInput> Inputs);

/// <summary>One input of an <see cref="EvaluatorState"/>.</summary>
/// <param name="Name">The input's name.</param>
/// <param name="TrailingShape">Its shape without the batch axis (its whole shape when it is not along that axis).</param>
/// <param name="Data">Its values in row-major order, as float64 (bools 0/1, indices as numbers).</param>
public sealed record EvaluatorInput(string Name, IReadOnlyList<long> TrailingShape, double[] Data);
