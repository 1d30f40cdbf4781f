using System;

namespace MetricLoss.Evaluation;

/// <summary>
/// What an evaluator keeps between batches, one class per <see cref="EvaluatorStateKind"/>; the generated
/// <c>Evaluator</c> makes the store its definition calls for and feeds it in <c>Update</c>.
/// </summary>
public abstract class EvaluatorStore
{
    /// <summary>A store of <paramref name="kind"/> for the metric <paramref name="info"/>.</summary>
    /// <param name="info">The metric.</param>
    /// <param name="kind">The kind of state.</param>
    protected EvaluatorStore(MetricInfo info, EvaluatorStateKind kind)
    {
        Info = info ?? throw new ArgumentNullException(nameof(info));
        Kind = kind;
    }

    /// <summary>The metric.</summary>
    public MetricInfo Info { get; }

    /// <summary>The kind of state.</summary>
    public EvaluatorStateKind Kind { get; }

    /// <summary>Positions held along the batch axis.</summary>
    public long Count { get; protected set; }

    /// <summary>A bound on |Compute() − the exact value|: 0 except for binned counts.</summary>
    public virtual double ErrorBound => 0;

    /// <summary>The value of the data set held (Count &gt; 0).</summary>
    /// <returns>The metric's value.</returns>
    public abstract double Compute();

    /// <summary>The state as plain arrays.</summary>
    /// <returns>The state.</returns>
    public abstract EvaluatorState ToState();

    /// <summary>Adds a state of the same metric and kind (merging shards).</summary>
    /// <param name="state">The state.</param>
    /// <exception cref="ArgumentException">The state is another metric's or kind's, or its arrays do not fit.</exception>
    public abstract void Add(EvaluatorState state);

    /// <summary>Forgets everything.</summary>
    public abstract void Reset();

    /// <summary>Throws unless <paramref name="state"/> is this metric's, of this kind, with <paramref name="arrays"/> arrays.</summary>
    /// <param name="state">The state.</param>
    /// <param name="arrays">The number of arrays the kind has.</param>
    protected void Check(EvaluatorState state, int arrays)
    {
        if (state is null) throw new ArgumentNullException(nameof(state));
        if (state.Metric != Info.Name || state.Kind != Kind || state.Inputs.Count != arrays)
        {
            throw new ArgumentException(
                $"{Info.Name}: the state is of {state.Metric} ({state.Kind}, {state.Inputs.Count} arrays); this evaluator holds {Kind} with {arrays} arrays.",
                nameof(state));
        }
    }
}
