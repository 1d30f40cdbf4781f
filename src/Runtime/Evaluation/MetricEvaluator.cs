using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Evaluation;

/// <summary>
/// The exact value of a metric on a whole data set that arrives in batches: every generated metric's
/// <c>Evaluator</c> derives from this. <c>Update</c> takes one batch (any device, no graph), <see cref="Merge"/> adds
/// another evaluator's state (shards evaluated apart), <see cref="Compute"/> is <c>Exact</c> on all of them, and
/// <see cref="ToState"/>/<c>FromState</c> carry the state between processes as plain arrays.
/// </summary>
/// <remarks>
/// <para>The batch axis is the first axis of the metric's first input (n for F1 and ROC AUC, the queries q for RS@k
/// and mAP): batches are joined along it. Compute equals Exact on the concatenation of the batches, in any order of
/// updates and merges, for every metric whose value does not depend on the order of the positions along that axis
/// (all of the catalogue's).</para>
/// <para>What is kept is the generator's decision (<see cref="MetricInfo.EvaluatorState"/>, docs/training.md): the
/// sums a metric depends on (<see cref="EvaluatorStateKind.SufficientStatistics"/>,
/// <see cref="EvaluatorStateKind.PerRow"/>), O(1) in the number of items; every batch where ranks run over the whole
/// set or nothing smaller is known (<see cref="EvaluatorStateKind.Ranks"/>, <see cref="EvaluatorStateKind.Batches"/>);
/// binned counts on request for ROC AUC and AP (<see cref="EvaluatorBins"/>), within <see cref="ErrorBound"/>.</para>
/// </remarks>
public abstract class MetricEvaluator
{
    private readonly MetricInfo _info;
    private readonly EvaluatorStore _store;

    /// <summary>An evaluator of the metric described by <paramref name="info"/>, keeping its state in <paramref name="store"/>.</summary>
    /// <param name="info">The metric.</param>
    /// <param name="store">The state.</param>
    /// <exception cref="ArgumentException">The metric has no input (nothing to evaluate in batches).</exception>
    protected MetricEvaluator(MetricInfo info, EvaluatorStore store)
    {
        _info = info ?? throw new ArgumentNullException(nameof(info));
        _store = store ?? throw new ArgumentNullException(nameof(store));
        if (info.Inputs.Count == 0 || info.Inputs[0].Axes.Count == 0)
        {
            throw new ArgumentException($"{info.Name}: an evaluator needs a first input with an axis to join batches along.", nameof(info));
        }
    }

    /// <summary>The metric.</summary>
    public MetricInfo Info => _info;

    /// <summary>The axis batches are joined along: the first axis of the first input.</summary>
    public string BatchAxis => _info.Inputs[0].Axes[0];

    /// <summary>How many positions of the batch axis the evaluator holds (items, or queries).</summary>
    public long Count => _store.Count;

    /// <summary>What this evaluator keeps: the metric's kind (<see cref="MetricInfo.EvaluatorState"/>), or <see cref="EvaluatorStateKind.Bins"/>.</summary>
    public EvaluatorStateKind StateKind => _store.Kind;

    /// <summary>
    /// A bound on |<see cref="Compute"/> − the exact value of the data set|: 0 for every state but binned counts, whose
    /// bound comes from the counts (docs/training.md, "Bins").
    /// </summary>
    public double ErrorBound => _store.ErrorBound;

    /// <summary>The state, for the generated <c>Update</c>.</summary>
    protected EvaluatorStore Store => _store;

    /// <summary>
    /// Whether a batch has no position along the batch axis (its first input: a live tensor of size 0 along its first
    /// dimension): Update adds nothing then, since Exact refuses an empty axis. Anything else goes to Exact's checks.
    /// </summary>
    /// <param name="first">The batch's first input.</param>
    /// <returns>True for an empty batch.</returns>
    protected static bool IsEmptyBatch(Tensor? first) => first is not null && !first.IsInvalid && first.ndim > 0 && first.shape[0] == 0;

    /// <summary>The value on every batch so far: Exact on their concatenation (the generated metric's options).</summary>
    /// <returns>The metric's value.</returns>
    /// <exception cref="InvalidOperationException">No batch has an item yet.</exception>
    public double Compute()
    {
        if (_store.Count == 0)
        {
            throw new InvalidOperationException($"{_info.Name}: the evaluator holds no item yet; Update it with a batch first.");
        }
        return _store.Compute();
    }

    /// <summary>Adds the state of <paramref name="other"/> (an evaluator of the same metric and kind), as if this one had been updated with its batches too.</summary>
    /// <param name="other">The other evaluator.</param>
    /// <exception cref="ArgumentException"><paramref name="other"/> evaluates another metric or keeps another kind of state, or its state does not fit this one.</exception>
    /// <exception cref="InvalidOperationException">The metric is not mergeable (<see cref="EvaluatorStateInfo.Mergeable"/>).</exception>
    public void Merge(MetricEvaluator other)
    {
        if (other is null) throw new ArgumentNullException(nameof(other));
        if (ReferenceEquals(other, this)) throw new ArgumentException($"{_info.Name}: an evaluator cannot be merged into itself.", nameof(other));
        if (other.GetType() != GetType()) throw new ArgumentException($"{_info.Name}: cannot merge an evaluator of {other._info.Name}.", nameof(other));
        if (!_info.EvaluatorState.Mergeable)
        {
            throw new InvalidOperationException(
                $"{_info.Name}: its exact value cannot be assembled from batches (an input indexes positions of '{BatchAxis}' or lies across it: Info.EvaluatorState.Mergeable is false), so evaluators of it do not merge.");
        }
        _store.Add(other.ToState());
    }

    /// <summary>Forgets every batch.</summary>
    public void Reset() => _store.Reset();

    /// <summary>The state as plain arrays, to save or to send to another process (<c>FromState</c> there, then <see cref="Merge"/>).</summary>
    /// <returns>The state.</returns>
    public EvaluatorState ToState() => _store.ToState();

    /// <summary>Replaces the state with <paramref name="state"/> (from <see cref="ToState"/> of an evaluator of the same metric and kind).</summary>
    /// <param name="state">The state.</param>
    /// <exception cref="ArgumentException">The state is another metric's or kind's, or its arrays do not fit their shapes.</exception>
    protected void LoadState(EvaluatorState state)
    {
        _store.Reset();
        _store.Add(state);
    }
}
