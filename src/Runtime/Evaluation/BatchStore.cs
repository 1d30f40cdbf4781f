using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Evaluation;

/// <summary>
/// Every batch, in float64 on the CPU (<see cref="EvaluatorStateKind.Batches"/>, <see cref="EvaluatorStateKind.Ranks"/>):
/// Compute is Exact on their concatenation along the batch axis. An input that is not along the batch axis must be the
/// same in every batch. A metric that is not mergeable takes one non-empty batch only.
/// </summary>
public sealed class BatchStore : EvaluatorStore
{
    private readonly string _batchAxis;
    private readonly Func<Tensor[], double> _exact;
    private readonly bool _mergeable;
    private readonly List<double[]>[] _parts;
    private long[][]? _trailingShapes;

    /// <summary>A store of the batches of <paramref name="info"/>'s inputs.</summary>
    /// <param name="info">The metric.</param>
    /// <param name="kind"><see cref="EvaluatorStateKind.Batches"/> or <see cref="EvaluatorStateKind.Ranks"/>.</param>
    /// <param name="exact">The metric's Exact, with the evaluator's options, on the joined inputs.</param>
    /// <param name="mergeable">Whether batches can be joined (Info.EvaluatorState.Mergeable).</param>
    public BatchStore(MetricInfo info, EvaluatorStateKind kind, Func<Tensor[], double> exact, bool mergeable = true)
        : base(info, kind)
    {
        if (info.Inputs.Count == 0 || info.Inputs[0].Axes.Count == 0)
        {
            throw new ArgumentException($"{info.Name}: an evaluator needs a first input with an axis to join batches along.", nameof(info));
        }
        _batchAxis = info.Inputs[0].Axes[0];
        _exact = exact ?? throw new ArgumentNullException(nameof(exact));
        _mergeable = mergeable;
        _parts = info.Inputs.Select(_ => new List<double[]>()).ToArray();
    }

    /// <summary>Adds one batch, already checked by the generated <c>Update</c>.</summary>
    /// <param name="inputs">The batch's inputs, in the metric's order.</param>
    /// <exception cref="ArgumentException">The batch does not fit the earlier ones.</exception>
    /// <exception cref="InvalidOperationException">The metric is not mergeable and already holds a batch.</exception>
    public void Append(Tensor[] inputs)
    {
        if (inputs is null) throw new ArgumentNullException(nameof(inputs));
        using var scope = NewDisposeScope();
        var size = inputs[0].shape[0];
        if (size == 0) return;
        if (!_mergeable && Count > 0)
        {
            throw new InvalidOperationException(
                $"{Info.Name}: its exact value cannot be assembled from batches (Info.EvaluatorState.Mergeable is false: an input indexes positions of '{_batchAxis}' or lies across it), so its evaluator takes one batch.");
        }
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
                        $"{Info.Name}: input '{Info.Inputs[k].Name}' has shape {Show(inputs[k].shape)}, but earlier batches gave it {Show(Joined(k) ? new[] { -1L }.Concat(_trailingShapes[k]).ToArray() : _trailingShapes[k])} (batches are joined along '{_batchAxis}' only).",
                        Info.Inputs[k].Name);
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
                    $"{Info.Name}: input '{Info.Inputs[k].Name}' is not along '{_batchAxis}', so it must be the same in every batch; this batch gives another one.",
                    Info.Inputs[k].Name);
            }
        }
        Count += size;
    }

    /// <inheritdoc/>
    public override double Compute()
    {
        using var scope = NewDisposeScope();
        var inputs = new Tensor[_parts.Length];
        for (var k = 0; k < _parts.Length; k++)
        {
            var data = Joined(k) ? _parts[k].SelectMany(p => p).ToArray() : _parts[k][0];
            var shape = Joined(k) ? new[] { Count }.Concat(_trailingShapes![k]).ToArray() : _trailingShapes![k];
            inputs[k] = Tensor(data, shape, Info.Inputs[k].Type);
        }
        return _exact(inputs);
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        foreach (var parts in _parts) parts.Clear();
        _trailingShapes = null;
        Count = 0;
    }

    /// <inheritdoc/>
    public override EvaluatorState ToState() => new(
        Info.Name,
        Count,
        _parts.Select((parts, k) => new EvaluatorInput(
            Info.Inputs[k].Name,
            _trailingShapes?[k] ?? Array.Empty<long>(),
            (Joined(k) ? parts.SelectMany(p => p) : parts.Take(1).SelectMany(p => p)).ToArray())).ToArray())
    {
        Kind = Kind,
    };

    /// <inheritdoc/>
    public override void Add(EvaluatorState state)
    {
        Check(state, _parts.Length);
        if (state.Count == 0) return;
        for (var k = 0; k < _parts.Length; k++)
        {
            var input = state.Inputs[k];
            var perItem = input.TrailingShape.Aggregate(1L, (a, b) => a * b);
            var expected = Joined(k) ? perItem * state.Count : perItem;
            if (input.Name != Info.Inputs[k].Name || input.Data.Length != expected)
            {
                throw new ArgumentException($"{Info.Name}: input '{input.Name}' of the state has {input.Data.Length} values where its shape needs {expected}.", nameof(state));
            }
        }
        using var scope = NewDisposeScope();
        Append(state.Inputs.Select((input, k) => torch.tensor(input.Data, Joined(k) ? new[] { state.Count }.Concat(input.TrailingShape).ToArray() : input.TrailingShape.ToArray())).ToArray());
    }

    /// <summary>Whether input k is joined along the batch axis (its first axis is that axis).</summary>
    private bool Joined(int k) => Info.Inputs[k].Axes.Count > 0 && Info.Inputs[k].Axes[0] == _batchAxis;

    /// <summary>The input in the dtype its type asks for: reals float64, bools bool, ints and indices int64.</summary>
    private static Tensor Tensor(double[] data, long[] shape, string type)
    {
        if (type == "bool") return torch.tensor(data.Select(d => d != 0).ToArray(), shape);
        if (type == "int" || type.StartsWith("index", StringComparison.Ordinal)) return torch.tensor(data.Select(d => (long)d).ToArray(), shape);
        return torch.tensor(data, shape);
    }

    private static string Show(long[] shape) => "[" + string.Join(", ", shape.Select(s => s < 0 ? "…" : s.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
}
