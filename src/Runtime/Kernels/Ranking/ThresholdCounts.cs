using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Exact counts of the entries of each row above one value of that row: TopKAccuracy's
/// <c>higher[n] = sum[c != target[n]](logit[n, c] &gt; logit[n, target[n]])</c> (docs/language.md, "Normative
/// examples"). One comparison per entry, O(C) per row: no sort is needed and no C×C tensor is built.
/// </summary>
/// <remarks>Rows are every leading axis: <c>values[..., C]</c> gives <c>[...]</c>, float64, on the values' device; no host sync.
/// An exact kernel for direct use; generated programs do not call it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class ThresholdCounts
{
    /// <summary>
    /// <c>result[...] = Σ_c mask[..., c]·[values[..., c] &gt; threshold[...]]</c>, or <c>≥</c> when
    /// <paramref name="strict"/> is false.
    /// </summary>
    /// <param name="values">Scores <c>[..., C]</c>, any real dtype, any device.</param>
    /// <param name="threshold">One value per row, <c>[...]</c>; moved to the values' device.</param>
    /// <param name="mask">Weights <c>[..., C]</c> (bool or numbers), or null for all ones.</param>
    /// <param name="strict"><c>&gt;</c> when true, <c>≥</c> when false.</param>
    /// <returns>float64 <c>[...]</c> on the values' device.</returns>
    /// <exception cref="System.ArgumentException">A 0-dimensional, complex or disposed tensor, or a shape mismatch.</exception>
    public static Tensor CountAboveValue(Tensor values, Tensor threshold, Tensor? mask, bool strict)
    {
        const string kernel = "ThresholdCounts.CountAboveValue";
        RankingArguments.RequireValues(kernel, nameof(values), values);
        RankingArguments.RequireRowShape(kernel, nameof(threshold), threshold, nameof(values), values);
        if (mask is not null)
        {
            RankingArguments.RequireSameShape(kernel, nameof(mask), mask, nameof(values), values);
        }
        using var scope = NewDisposeScope();
        var device = values.device;
        var (v, t) = Comparable(values, threshold.to(device));
        return Count(v, t.unsqueeze(-1), mask, strict, device).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <c>result[...] = Σ_{c ≠ index[...]} mask[..., c]·[values[..., c] &gt; values[..., index[...]]]</c>, or
    /// <c>≥</c> when <paramref name="strict"/> is false: the language's <c>sum[c != target[n]](... logit[n, c] &gt;
    /// logit[n, target[n]])</c>. The entry at the index itself is never counted.
    /// </summary>
    /// <param name="values">Scores <c>[..., C]</c>, any real dtype, any device.</param>
    /// <param name="index">One position along the last axis per row, <c>[...]</c>, int64 or int32, in
    /// <c>[0, C)</c> (not checked here: that would sync with the device; gather fails on an out-of-range index).</param>
    /// <param name="mask">Weights <c>[..., C]</c> (bool or numbers), or null for all ones.</param>
    /// <param name="strict"><c>&gt;</c> when true, <c>≥</c> when false.</param>
    /// <returns>float64 <c>[...]</c> on the values' device.</returns>
    /// <exception cref="System.ArgumentException">A 0-dimensional, complex or disposed tensor, a shape mismatch, or a non-integer index.</exception>
    public static Tensor CountAboveIndex(Tensor values, Tensor index, Tensor? mask, bool strict)
    {
        const string kernel = "ThresholdCounts.CountAboveIndex";
        RankingArguments.RequireValues(kernel, nameof(values), values);
        RankingArguments.RequireRowShape(kernel, nameof(index), index, nameof(values), values);
        if (index.dtype is not (ScalarType.Int64 or ScalarType.Int32))
        {
            throw new System.ArgumentException($"{kernel}: 'index' must be int64 or int32; it has dtype {index.dtype}.", nameof(index));
        }
        if (mask is not null)
        {
            RankingArguments.RequireSameShape(kernel, nameof(mask), mask, nameof(values), values);
        }
        using var scope = NewDisposeScope();
        var device = values.device;
        var at = index.to(ScalarType.Int64, device).unsqueeze(-1);
        var v = RankingArguments.Sortable(values);
        var count = Count(v, v.gather(-1, at), mask, strict, device);
        if (!strict)
        {
            // c = index satisfies >= with itself: take its own weight back out (strict never counts it).
            count = mask is null
                ? MetricOps.Subtract(count, 1.0)
                : count.sub(RankingArguments.Weights(mask, device).gather(-1, at).squeeze(-1));
        }
        return count.MoveToOuterDisposeScope();
    }

    private static Tensor Count(Tensor values, Tensor threshold, Tensor? mask, bool strict, Device device)
    {
        var above = strict ? values.gt(threshold) : values.ge(threshold);
        if (mask is null)
        {
            return above.sum(-1, type: ScalarType.Float64);
        }
        return above.to_type(ScalarType.Float64).mul(RankingArguments.Weights(mask, device)).sum(-1);
    }

    /// <summary>Values and thresholds in one dtype that compares both exactly (float64 unless both are the same sortable dtype).</summary>
    private static (Tensor Values, Tensor Threshold) Comparable(Tensor values, Tensor threshold)
    {
        if (values.dtype == threshold.dtype)
        {
            return (RankingArguments.Sortable(values), RankingArguments.Sortable(threshold));
        }
        return (values.to_type(ScalarType.Float64), threshold.to_type(ScalarType.Float64));
    }
}
