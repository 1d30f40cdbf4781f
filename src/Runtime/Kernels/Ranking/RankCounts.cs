using System.ComponentModel;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Exact rank counts within each row: how much (masked) weight lies above each item. The exact form of the
/// language's <c>sum[j](mask[j] &amp; (x[j] &gt; x[i]))</c>, its <c>&gt;=</c>, <c>step</c> and <c>sum[j != i]</c>
/// variants (docs/architecture.md, "Lowering: the performance contract"), computed by sorting each row once with
/// its tie groups: O(N log N) per row, never an N×N tensor, no host sync.
/// </summary>
/// <remarks>
/// Rows are every leading axis: <c>values[..., N]</c> gives <c>[..., N]</c>. Results are float64 on the values'
/// device; for 0/1 masks they are exact integers (halves for <see cref="StepCountAbove"/>). Values must not
/// be NaN. Used by: RecallAtK's and NdcgAtK's <c>rank[q, i] = 1 + sum[j != i](valid[q, j] &amp; (sim[q, j] &gt;
/// sim[q, i]))</c> (strict) and AveragePrecision's <c>above</c> / <c>pos_above</c> (non-strict, self excluded),
/// docs/language.md, "Normative examples".
/// <para>Generated exact programs call <see cref="TieGroups"/> directly (one sort shared by several counts); this
/// one-call form is for direct use (benchmarks/sklearn compares it with scikit-learn).</para>
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RankCounts
{
    /// <summary>
    /// <c>result[..., i] = Σ_j mask[..., j]·[values[..., j] &gt; values[..., i]]</c>, or <c>≥</c> when
    /// <paramref name="strict"/> is false; the term <c>j = i</c> is left out when <paramref name="excludeSelf"/>
    /// (it only matters for <c>≥</c>, where it contributes <c>mask[..., i]</c>).
    /// </summary>
    /// <param name="values">Scores <c>[..., N]</c>, any real or integer dtype, any device.</param>
    /// <param name="mask">Weights <c>[..., N]</c> (bool or 0/1 numbers, or real weights), or null for all ones; moved to the values' device.</param>
    /// <param name="strict"><c>&gt;</c> when true, <c>≥</c> when false.</param>
    /// <param name="excludeSelf">Sum over <c>j ≠ i</c> (the language's <c>sum[j != i]</c>).</param>
    /// <returns>float64 <c>[..., N]</c> on the values' device.</returns>
    /// <exception cref="System.ArgumentException">A 0-dimensional, complex or disposed tensor, or a mask of another shape.</exception>
    public static Tensor CountAbove(Tensor values, Tensor? mask, bool strict, bool excludeSelf)
    {
        const string kernel = "RankCounts.CountAbove";
        Validate(kernel, values, mask);
        using var groups = new TieGroups(values);
        return groups.CountAbove(mask, strict, excludeSelf);
    }

    /// <summary>
    /// <c>result[..., i] = Σ_j mask[..., j]·step(values[..., j] − values[..., i])</c> with step = 1, ½, 0 for
    /// &gt; 0, = 0, &lt; 0 (ties count ½; docs/language.md, "Semantics"); the term <c>j = i</c> (which would add
    /// <c>½·mask[..., i]</c>) is left out when <paramref name="excludeSelf"/>.
    /// </summary>
    /// <inheritdoc cref="CountAbove" path="/param[@name='values']"/>
    /// <inheritdoc cref="CountAbove" path="/param[@name='mask']"/>
    /// <inheritdoc cref="CountAbove" path="/param[@name='excludeSelf']"/>
    /// <inheritdoc cref="CountAbove" path="/returns"/>
    /// <inheritdoc cref="CountAbove" path="/exception"/>
    public static Tensor StepCountAbove(Tensor values, Tensor? mask, bool excludeSelf)
    {
        const string kernel = "RankCounts.StepCountAbove";
        Validate(kernel, values, mask);
        using var groups = new TieGroups(values);
        return groups.StepCountAbove(mask, excludeSelf);
    }

    private static void Validate(string kernel, Tensor values, Tensor? mask)
    {
        RankingArguments.RequireValues(kernel, nameof(values), values);
        if (mask is not null)
        {
            RankingArguments.RequireSameShape(kernel, nameof(mask), mask, nameof(values), values);
        }
    }
}
