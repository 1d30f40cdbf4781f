using System;

namespace MetricLoss;

/// <summary>
/// Settings every generated metric has. Each metric's own <c>Options</c> record derives from this and
/// adds one property per option of its definition (<c>tau_rank</c> → <c>TauRank</c>).
/// </summary>
public abstract record MetricOptions
{
    /// <summary>The relaxation of score-dependent comparisons in the surrogate.</summary>
    public Relaxation Relaxation { get; init; } = Relaxation.Sigmoid;

    /// <summary>
    /// ε of guarded divisions (a / max(b, ε)) and of sqrt/log arguments in the surrogate. Never taken
    /// below the smallest normal number of the tensor's dtype, so it cannot underflow to 0 in float16.
    /// </summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>
    /// Upper bound on the elements of one pairwise intermediate of the surrogate. A pairwise reduction whose whole
    /// term fits keeps one graph for backward, as a hand-written loss would; one that does not runs in chunks without
    /// a graph and recomputes each chunk in backward, so the memory of backward is bounded too (at the cost of one
    /// more forward pass of the pairwise term). Raise it to trade memory for that pass.
    /// </summary>
    public long MaxPairwiseElements { get; init; } = 1L << 24;

    /// <summary>Seed of the random parts (interpolation anchors): each call draws from a new generator with this
    /// seed (the same anchors for the same state); null draws a fresh seed per call.</summary>
    public long? Seed { get; init; }

    /// <summary>
    /// A generator for the random parts that advances from call to call (anchors re-drawn every call, the whole
    /// sequence deterministic under its seed, as UniLoss re-samples every iteration). Takes precedence over
    /// <see cref="Seed"/>; it must be on the inputs' device.
    /// </summary>
    public TorchSharp.torch.Generator? Generator { get; init; }

    /// <summary>
    /// Whether the surrogate computes its smooth ranks by sorting where the relaxation allows it: under
    /// <see cref="MetricLoss.Relaxation.Linear"/> and <see cref="MetricLoss.Relaxation.Smoothstep"/> a rank sum
    /// Σ_j m_j·relax((x_j − x_i)/τ) is exact from one sort and prefix sums per row
    /// (<see cref="Runtime.Ranking.SmoothRankSums"/>), O(N log N) a row instead of the pairwise program's O(N²), but at a
    /// larger cost per item. No effect under σ.
    /// <list type="bullet">
    /// <item><description><c>null</c> (the default): sorted, except where the pairwise program restricts each row to
    /// the support of a mask (RS@k, mAP, NDCG@k… over each query's positives), which costs O(N·|P|) a row and is
    /// the faster one for the few positives per query of metric learning (docs/benchmarks.md, "--sorted-ranks").</description></item>
    /// <item><description><c>true</c>: sorted wherever the metric has a sort-based program (many positives per row).</description></item>
    /// <item><description><c>false</c>: the pairwise program everywhere (to compare the two; they agree to rounding).</description></item>
    /// </list>
    /// </summary>
    public bool? SortBasedRanks { get; init; }

    /// <summary>
    /// Whether the entry points check the input values: no NaN in a <c>real</c> input, labels 0 or 1, <c>index</c>
    /// positions within their axis, refused with an <see cref="ArgumentException"/> naming the metric and the input.
    /// <list type="bullet">
    /// <item><description><c>null</c> (the default): <c>Exact</c> checks, <c>Smooth</c>, <c>Loss</c> and <c>Criterion</c>
    /// do not. Each check reads a reduction back from the device, a host sync per input and call, which a training step
    /// should not pay (docs/torchsharp-rules.md rule 9); <c>Exact</c> returns a number and syncs anyway.</description></item>
    /// <item><description><c>true</c>: every entry point checks, the surrogate with the same messages as <c>Exact</c>
    /// (for debugging a training run: a label of 0.5 or a NaN score fails at the call that received it).</description></item>
    /// <item><description><c>false</c>: no entry point checks, <c>Exact</c> included, which then computes with the values
    /// as given.</description></item>
    /// </list>
    /// </summary>
    public bool? ValidateValues { get; init; }

    /// <summary>Whether an entry point checks the input values under these options: <see cref="ValidateValues"/>, or
    /// by default in <c>Exact</c> only. Called by generated code.</summary>
    /// <param name="exact">True in <c>Exact</c>, false in the surrogate.</param>
    /// <returns>True when the entry point must check the values.</returns>
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public bool ChecksValues(bool exact) => ValidateValues ?? exact;

    /// <summary>
    /// Checks the values: these settings, then the metric's own (<see cref="ValidateOwn"/>). Called by every
    /// generated entry point before any tensor work, so a bad option fails before anything runs on the device.
    /// </summary>
    /// <param name="metric">The metric's name, which starts every message.</param>
    /// <exception cref="ArgumentException"><see cref="Epsilon"/> is not positive and finite,
    /// <see cref="MaxPairwiseElements"/> is not positive, <see cref="Relaxation"/> is not a defined value, or an
    /// option of the metric's own breaks its rule.</exception>
    public void Validate(string metric)
    {
        if (!(Epsilon > 0) || double.IsInfinity(Epsilon))
        {
            throw new ArgumentException($"{metric}: option Epsilon must be a positive finite number, found {Epsilon}.", nameof(Epsilon));
        }
        if (MaxPairwiseElements <= 0)
        {
            throw new ArgumentException($"{metric}: option MaxPairwiseElements must be positive, found {MaxPairwiseElements}.", nameof(MaxPairwiseElements));
        }
        if (!Enum.IsDefined(typeof(Relaxation), Relaxation))
        {
            throw new ArgumentException($"{metric}: option Relaxation has the undefined value {(int)Relaxation}.", nameof(Relaxation));
        }
        ValidateOwn(metric);
    }

    /// <summary>The generated Options record checks its own options here (temperatures &gt; 0, finite values).</summary>
    /// <param name="metric">The metric's name, which starts every message.</param>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    protected virtual void ValidateOwn(string metric)
    {
    }
}
