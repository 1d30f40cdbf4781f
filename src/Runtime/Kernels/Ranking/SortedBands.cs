using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// One sort of each row of v = x/τ and, per item i, its band: the sorted positions [Low, High) of the j with
/// |v_j − v_i| &lt; a, found by binary search. Band sums of a polynomial in v_j − v_i then come from prefix sums, without
/// pairs (<see cref="SortedRankSums"/>). Everything is float64 on x's device; nothing is read back to the host.
/// </summary>
/// <remarks>
/// <para><b>Why local coordinates.</b> A band sum Σ_band m_j·(v_j − v_i)^k expanded in powers of v_j is a difference of
/// two prefix sums of m·v^k, which are as large as Σ |v|^k over the whole row: with scores spread over ±10 and
/// τ = 0.01 (|v| up to 10³, |v|³ up to 10⁹) a row of 10⁶ has prefix sums near 10¹⁵, and float64's rounding of them
/// (≈ 0.1) is larger than the band sum itself. So each sorted v_j is written as c_j + w_j, where c_j = 8·⌊v_j/8⌋ + 4 is
/// the center of its bucket of width 8 and |w_j| ≤ 4, and only powers of w are summed: every prefix sum is at most
/// 4^k·Σ m_j (64·N for the cube), so a band sum is exact to about ε·64·N (10⁻⁸ at N = 10⁶ with ε = 1.1·10⁻¹⁶), whatever
/// the scores' offset or spread. A band is narrower than a bucket (2a ≤ 6 &lt; 8), so it meets at most two buckets, the
/// one of its first item (center c, positions [Low, Middle)) and the next (center c + 8, positions [Middle, High)), and
/// v_j − v_i = w_j + (c − v_i) or w_j + (c + 8 − v_i) with |c − v_i| &lt; 7: the binomial expansion in w_j then mixes
/// terms of at most 7³ times the result, about 2.5 digits of float64's 16.</para>
/// <para><b>Why the clamp.</b> v is clamped to ±2⁵¹ (|x| ≤ 2⁵¹·τ, 2·10¹³ at τ = 0.01; ±∞ included): below that v ± a
/// and the centers are exact in float64, so the band is exactly {j : |v_j − v_i| &lt; a}, symmetric, and contains i itself.
/// Scores beyond compare as tied with each other and as infinitely far from the rest, which is the language's rule for
/// ±∞ (docs/language.md, "Infinite scores"); they get gradient 0, as an infinite score does in the pairwise program.</para>
/// </remarks>
internal sealed class SortedBands
{
    /// <summary>The bound of |v| = |x|/τ (see the remarks).</summary>
    private const double Bound = 2251799813685248.0; // 2^51

    /// <summary>The bucket width: a power of two (v/8 is exact) wider than every band (2a ≤ 6).</summary>
    private const double BucketWidth = 8;

    private SortedBands(Tensor order, Tensor low, Tensor middle, Tensor high, Tensor shift, Tensor local, Tensor movable)
    {
        (Order, Low, Middle, High, Shift, Local, Movable) = (order, low, middle, high, shift, local, movable);
    }

    /// <summary>[..., N] int64: the original index of each sorted position.</summary>
    public Tensor Order { get; }

    /// <summary>Per item i (original order), the first sorted position of its band.</summary>
    public Tensor Low { get; }

    /// <summary>Per item i, the first sorted position of its band in the second bucket (High when there is none).</summary>
    public Tensor Middle { get; }

    /// <summary>Per item i, the sorted position just after its band.</summary>
    public Tensor High { get; }

    /// <summary>Per item i, d = c − v_i: v_j − v_i = w_j + d in the first bucket, w_j + d + 8 in the second.</summary>
    public Tensor Shift { get; }

    /// <summary>The sorted local coordinates w_j = v_j − c_j, |w_j| ≤ 4.</summary>
    public Tensor Local { get; }

    /// <summary>Per item, 1 where |v| is within the bound (its gradient passes), 0 beyond; float64.</summary>
    public Tensor Movable { get; }

    /// <summary>The bands of every item of every row of x (last dimension) for the half-width a (in units of τ).</summary>
    public static SortedBands Of(Tensor x, double temperature, double halfWidth)
    {
        // 1/τ capped, as MetricOps caps it: for a subnormal τ it would be ∞, and a score of 0 would scale to 0·∞ = NaN.
        using var inverse = InverseTemperature(temperature).ToScalar();
        using var low = (-Bound).ToScalar();
        using var high = Bound.ToScalar();
        using var width = halfWidth.ToScalar();
        using var bucket = (1 / BucketWidth).ToScalar();
        using var bucketWidth = BucketWidth.ToScalar();
        using var half = (BucketWidth / 2).ToScalar();
        using var one = 1.0.ToScalar();
        // The temporaries (about ten tensors of the rows' size) are freed when this returns, not with the caller's scope.
        using var scope = NewDisposeScope();
        var scaled = x.detach().to_type(ScalarType.Float64).mul(inverse);
        var v = scaled.clamp(low, high);
        var movable = scaled.abs().le(high).to_type(ScalarType.Float64);
        var (sorted, order) = v.sort(-1, descending: false);
        var buckets = sorted.mul(bucket).floor_();
        var local = sorted.sub(buckets.mul(bucketWidth).add_(half, KeptScalars.One));
        // First j with v_j > v_i − a, and first with v_j ≥ v_i + a: the band is the open interval (v_i − a, v_i + a).
        var first = searchsorted(sorted, v.sub(width), right: true);
        var last = searchsorted(sorted, v.add(width, KeptScalars.One), right: false);
        // A NaN score makes the row's searches meaningless (its value is made NaN by the caller): keep indices in range.
        using var lastIndex = (v.shape[^1] - 1).ToScalar();
        var firstBucket = buckets.gather(-1, first.clamp_max(lastIndex));
        var split = searchsorted(buckets, firstBucket.add(one, KeptScalars.One), right: false);
        var middle = minimum(split, last);
        var shift = firstBucket.mul_(bucketWidth).add_(half, KeptScalars.One).sub_(v);
        return new SortedBands(order.MoveToOuterDisposeScope(), first.MoveToOuterDisposeScope(), middle.MoveToOuterDisposeScope(),
            last.MoveToOuterDisposeScope(), shift.MoveToOuterDisposeScope(), local.MoveToOuterDisposeScope(), movable.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Per item i and power p = 0 … degree, the sums Σ m_j·w_j^p over the band's first bucket and over its second:
    /// two lists of tensors shaped like the rows. <paramref name="sortedWeights"/> are m in sorted order, float64.
    /// </summary>
    public (Tensor[] First, Tensor[] Second) PartSums(Tensor sortedWeights, int degree)
    {
        var first = new Tensor[degree + 1];
        var second = new Tensor[degree + 1];
        // m·w^p, one power at a time, in a scope of its own; the previous power is freed once the next is made.
        using var powers = NewDisposeScope();
        var term = sortedWeights;
        for (var p = 0; p <= degree; p++)
        {
            // Each power's prefix sums are freed as soon as its two band sums are read.
            using var scope = NewDisposeScope();
            if (p > 0)
            {
                var next = term.mul(Local).MoveToOuterDisposeScope();
                if (p > 1) term.Dispose();
                term = next;
            }
            var sums = Prefix(term);
            var atMiddle = sums.gather(-1, Middle);
            first[p] = atMiddle.sub(sums.gather(-1, Low)).MoveToOuterDisposeScope();
            second[p] = sums.gather(-1, High).sub_(atMiddle).MoveToOuterDisposeScope();
            // Out of the powers' scope too: the caller owns the band sums.
            first[p].MoveToOuterDisposeScope();
            second[p].MoveToOuterDisposeScope();
        }
        return (first, second);
    }

    /// <summary>Σ_band m_j·Q(v_j − v_i) per item, from <see cref="PartSums"/> of degree ≥ Q's.</summary>
    public Tensor Combine((Tensor[] First, Tensor[] Second) parts, BandPolynomial polynomial)
    {
        using var bucketWidth = BucketWidth.ToScalar();
        // The coefficient tensors are read once: freed when this returns, not with the caller's scope.
        using var scope = NewDisposeScope();
        var inFirst = polynomial.ShiftedCoefficients(Shift);
        var inSecond = polynomial.ShiftedCoefficients(Shift.add(bucketWidth, KeptScalars.One));
        var result = zeros_like(Shift);
        for (var p = 0; p <= polynomial.Degree; p++)
        {
            result.add_(inFirst[p].mul_(parts.First[p]), KeptScalars.One).add_(inSecond[p].mul_(parts.Second[p]), KeptScalars.One);
        }
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>Σ m_j over the sorted positions at and after High (the j with v_j ≥ v_i + a), per item.</summary>
    public Tensor Above(Tensor sortedWeights)
    {
        var sums = Prefix(sortedWeights);
        var total = sums.narrow(-1, sums.shape[^1] - 1, 1);
        return total.sub(sums.gather(-1, High));
    }

    /// <summary>The tensors to keep for backward, in the order <see cref="FromSaved"/> reads them.</summary>
    public IEnumerable<Tensor> ToSave() => new[] { Order, Low, Middle, High, Shift, Local, Movable };

    /// <summary>The bands from the tensors of <see cref="ToSave"/>, starting at <paramref name="start"/>.</summary>
    public static SortedBands FromSaved(IList<Tensor> saved, int start) =>
        new(saved[start], saved[start + 1], saved[start + 2], saved[start + 3], saved[start + 4], saved[start + 5], saved[start + 6]);

    /// <summary>The number of tensors <see cref="ToSave"/> gives.</summary>
    public const int SavedCount = 7;

    /// <summary>1/τ, at most float64's largest finite number.</summary>
    public static double InverseTemperature(double temperature) => Math.Min(1 / temperature, double.MaxValue);

    /// <summary>[0, v_0, v_0 + v_1, …] along the last dimension: N + 1 exclusive prefix sums, float64.</summary>
    private static Tensor Prefix(Tensor values)
    {
        var shape = values.shape.ToArray();
        shape[^1] = 1;
        return cat(new[] { zeros(shape, dtype: ScalarType.Float64, device: values.device), values.cumsum(-1) }, -1);
    }
}
