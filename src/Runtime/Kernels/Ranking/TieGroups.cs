using MetricLoss.Runtime;
using System;
using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// The rows of a values tensor <c>[..., N]</c> sorted once along their last axis, with their tie groups: the
/// shared first step of every sort-based rank count (docs/architecture.md, "Lowering: the performance contract",
/// exact rank rewrite). Build it once and ask it for several counts over the same values (e.g. average
/// precision's <c>above</c> and <c>pos_above</c>, which compare the same scores under two masks).
/// </summary>
/// <remarks>
/// <para>Cost: one sort (<see cref="RowSort"/>), O(N log N) per row; each count is then O(N) per row (gathers,
/// one scatter-add, one cumulative sum). No N×N tensor is ever built and nothing syncs with the device.</para>
/// <para>A tie group is a maximal run of equal values in sorted order; groups are numbered 0, 1, ... per row in
/// increasing value. For a weight w and an item i with value v:
/// <c>below(i) = Σ_j w_j·[v_j &lt; v]</c>, <c>tied(i) = Σ_j w_j·[v_j = v]</c> (i included),
/// <c>total = Σ_j w_j</c>. Every count is a difference of these, exact in float64 for 0/1 (integer) weights
/// up to 2^53 per row.</para>
/// <para>Values must not be NaN (the exact evaluators reject NaN scores before any kernel runs): NaNs sort last,
/// each in a group of its own (all in one group on <see cref="RowSort"/>'s radix path), which differs from the
/// comparisons' "NaN is never greater"; the counts of the other items are the same either way.</para>
/// <para>The instance owns two tensors (the sort order and the group ids), detached from every dispose scope;
/// dispose it. Results of its methods belong to the caller's current dispose scope.</para>
/// <para>Called by generated code: the exact program of a rank pattern builds one per compared value and asks it for
/// <see cref="CountAbove"/> or <see cref="StepCountAbove"/> (architecture.md, "Emit", <c>ProgramLowering.RankCounts</c>).</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TieGroups : IDisposable
{
    private const string Kernel = nameof(TieGroups);

    private readonly Tensor _order; // [..., N] int64: sorted position -> original item
    private readonly Tensor _group; // [..., N] int64: sorted position -> tie group, 0-based, increasing value

    /// <summary>Sorts <paramref name="values"/> <c>[..., N]</c> along the last axis and finds its tie groups.</summary>
    /// <exception cref="ArgumentException">values is 0-dimensional, disposed or complex.</exception>
    public TieGroups(Tensor values)
    {
        RankingArguments.RequireValues(Kernel, nameof(values), values);
        Shape = values.shape;
        Device = values.device;
        ItemCount = Shape[^1];
        using var scope = NewDisposeScope();
        using var sortable = RankingArguments.Sortable(values);
        Tensor order, group;
        if (ItemCount <= 1)
        {
            order = zeros(Shape, ScalarType.Int64, Device);
            group = zeros(Shape, ScalarType.Int64, Device);
        }
        else
        {
            // A new group starts wherever a sorted value differs from its predecessor; the group id of a position
            // is the number of such starts up to it (the first position is group 0).
            (order, var starts) = RowSort.Sort(sortable);
            var first = zeros(RowsWithOne(), ScalarType.Int64, Device);
            group = cat(new[] { first, starts.cumsum(-1, ScalarType.Int64) }, -1);
        }
        _order = order.DetachFromDisposeScope();
        _group = group.DetachFromDisposeScope();
    }

    /// <summary>The shape of the values, <c>[..., N]</c>.</summary>
    public long[] Shape { get; }

    /// <summary>N, the size of the ranked (last) axis.</summary>
    public long ItemCount { get; }

    /// <summary>The device of the values; every result is on it.</summary>
    public Device Device { get; }

    /// <summary>
    /// <c>Σ_j w_j·[v_j &gt; v_i]</c> (strict) or <c>Σ_j w_j·[v_j ≥ v_i]</c> for each item i, with
    /// <c>j ≠ i</c> when <paramref name="excludeSelf"/>; float64 <c>[..., N]</c> in the original item order.
    /// This is the language's <c>sum[j](w[j] &amp; (x[j] &gt; x[i]))</c> and its <c>&gt;=</c> and
    /// <c>sum[j != i]</c> forms. A null weight counts every item (w = 1).
    /// </summary>
    public Tensor CountAbove(Tensor? weight, bool strict, bool excludeSelf)
    {
        using var scope = NewDisposeScope();
        var w = SortedWeights(nameof(weight), weight);
        var (below, tied, total) = SortedCounts(w);
        // [v_j > v_i] = 1 - [v_j < v_i] - [v_j = v_i];  [v_j >= v_i] = 1 - [v_j < v_i].
        var count = strict ? total.sub(below).sub_(tied) : total.sub(below);
        // Self (j = i) is only ever counted by >=, with weight w_i.
        if (excludeSelf && !strict)
        {
            count.sub_(w);
        }
        return Unsort(count).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>Σ_j w_j·step(v_j − v_i)</c> for each item i, step = 1, ½, 0 for &gt;, =, &lt; (docs/language.md,
    /// "Semantics"), with <c>j ≠ i</c> when <paramref name="excludeSelf"/>; float64 <c>[..., N]</c> in the
    /// original item order. A null weight counts every item.
    /// </summary>
    public Tensor StepCountAbove(Tensor? weight, bool excludeSelf)
    {
        using var scope = NewDisposeScope();
        using var half = 0.5.ToScalar();
        var w = SortedWeights(nameof(weight), weight);
        var (below, tied, total) = SortedCounts(w);
        // step(v_j - v_i) = [v_j > v_i] + ½[v_j = v_i]; the self term is ½·w_i.
        var count = total.sub(below).sub_(tied.mul(half));
        if (excludeSelf)
        {
            count.sub_(w.mul(half));
        }
        return Unsort(count).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>Σ_{i,j} a_i·b_j·step(v_i − v_j)</c> per row, float64 <c>[...]</c>: the Mann–Whitney count of
    /// pairs (i from a, j from b) that a wins, ties counting ½ (i = j included, as in <c>sum[i, j]</c>).
    /// </summary>
    public Tensor MannWhitney(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        using var half = 0.5.ToScalar();
        var sa = SortedWeights(nameof(a), a);
        var sb = SortedWeights(nameof(b), b);
        var (below, tied, _) = SortedCounts(sb);
        // For i in sorted order: Σ_j b_j·step(v_i − v_j) = (b below v_i) + ½ (b tied with v_i).
        return sa.mul(below.add_(tied.mul_(half), KeptScalars.One)).sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Precision at each item, <c>Σ_j p_j·[v_j ≥ v_i] / Σ_j w_j·[v_j ≥ v_i]</c> with p = positive·w (self
    /// included), and its positive-weighted mean per row: see <see cref="PrecisionAtPositives"/>.
    /// </summary>
    internal (Tensor Precision, Tensor Positive) SortedPrecision(Tensor positive, Tensor? valid)
    {
        var p = SortedWeights(nameof(positive), positive);
        var w = valid is null ? null : SortedWeights(nameof(valid), valid);
        if (w is not null)
        {
            p = p.mul(w);
        }
        var (pBelow, _, pTotal) = SortedCounts(p);
        var (wBelow, _, wTotal) = w is null ? SortedCountsOfOnes() : SortedCounts(w);
        var positivesAtOrAbove = pTotal.sub(pBelow);
        var itemsAtOrAbove = wTotal.sub(wBelow);
        return (MetricOps.DivideExact(positivesAtOrAbove, itemsAtOrAbove), p);
    }

    // _order is a permutation of every row, so the scatter writes every element: no need to zero the target first.
    /// <summary>A float64 <c>[..., N]</c> tensor given in sorted order, put back in the original item order.</summary>
    internal Tensor Unsort(Tensor sortedValues) => empty_like(sortedValues).scatter_(-1, _order, sortedValues);

    /// <summary>A weight <c>[..., N]</c> (bool or numeric, any device) as float64 on the values' device, in sorted order.</summary>
    internal Tensor SortedWeights(string name, Tensor? weight)
    {
        if (weight is null)
        {
            return ones(Shape, ScalarType.Float64, Device);
        }
        RankingArguments.RequireLive(Kernel, name, weight);
        if (!weight.shape.AsSpan().SequenceEqual(Shape))
        {
            throw new ArgumentException(
                $"{Kernel}: '{name}' has shape {RankingArguments.Show(weight.shape)} but the values have shape {RankingArguments.Show(Shape)}; they must be equal.", name);
        }
        // Gather first, then convert: a bool or float32 gather moves fewer bytes than a float64 one.
        // (No `using` on these: if a conversion is a no-op it may hand back the caller's own tensor; the caller's
        // dispose scope frees the intermediates.)
        return weight.to(Device).gather(-1, _order).to_type(ScalarType.Float64);
    }

    /// <summary>
    /// For weights given in sorted order: per sorted position, the weight of the strictly lower groups, the weight
    /// of its own group, and (broadcastable, <c>[..., 1]</c>) the row total.
    /// </summary>
    internal (Tensor Below, Tensor Tied, Tensor Total) SortedCounts(Tensor sortedWeights)
    {
        // Group sums by scatter-add (groups are runs, so this is a segment sum), then their running total.
        var groupSum = zeros(Shape, ScalarType.Float64, Device).scatter_add_(-1, _group, sortedWeights);
        var atOrBelow = groupSum.cumsum(-1);
        var tied = groupSum.gather(-1, _group);
        var below = atOrBelow.gather(-1, _group).sub_(tied);
        var total = ItemCount == 0 ? zeros(RowsWithOne(), ScalarType.Float64, Device) : atOrBelow.narrow(-1, ItemCount - 1, 1);
        return (below, tied, total);
    }

    private (Tensor Below, Tensor Tied, Tensor Total) SortedCountsOfOnes() => SortedCounts(ones(Shape, ScalarType.Float64, Device));

    private long[] RowsWithOne()
    {
        var shape = (long[])Shape.Clone();
        shape[^1] = 1;
        return shape;
    }

    /// <summary>Disposes the sort order and the group ids; results already returned stay valid.</summary>
    public void Dispose()
    {
        _order.Dispose();
        _group.Dispose();
    }
}
