using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// One sort of each row of a block of rows of v = x/τ and, per queried item i, its band: the sorted positions
/// [Low, High) of the j with |v_j − v_i| &lt; a, found by binary search. Band sums of a polynomial in v_j − v_i then come
/// from prefix sums over the sorted row (<see cref="PartSums"/>, <see cref="Combine"/>), and the transposed sums, over
/// the items i whose band holds a sorted position, from running sums of coefficients (<see cref="Spread"/>), all
/// without pairs (<see cref="SortedRankSums"/>). The queried items are every item of the row, or the wanted items of a
/// row restriction (<see cref="RowQueries"/>): the sort and the prefix sums cover the whole row, the searches and the
/// coefficients only the queries. Everything is float64 on x's device; nothing is read back to the host.
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
/// <para><b>Why blocks.</b> The caller hands in a block of rows of about 10⁵ scores (<see cref="SortedRankSums"/>): each
/// temporary here is then a megabyte, which the allocator reuses from block to block, where tensors of the whole input
/// (16 M scores for 4,000 queries × 4,000 items: 128 MB each in float64) are fresh pages every time, and faulting them in
/// cost more than the arithmetic (profiled: 0.4–0.9 s per new float64 tensor of 16 M, 6 ms per in-place pass).</para>
/// </remarks>
internal sealed class SortedBands
{
    /// <summary>The bound of |v| = |x|/τ (see the remarks).</summary>
    private const double Bound = 2251799813685248.0; // 2^51

    /// <summary>The bucket width: a power of two (v/8 is exact) wider than every band (2a ≤ 6).</summary>
    private const double BucketWidth = 8;

    private SortedBands(Tensor order, Tensor local, Tensor queries, Tensor low, Tensor middle, Tensor high, Tensor shift)
    {
        (Order, Local, Queries, Low, Middle, High, Shift) = (order, local, queries, low, middle, high, shift);
    }

    /// <summary>[b, Q] int64: the item of each query (distinct in a row); every item in sorted order when all are queried.</summary>
    public Tensor Queries { get; }

    /// <summary>[b, N] int64: the original index of each sorted position.</summary>
    public Tensor Order { get; }

    /// <summary>[b, N]: the sorted local coordinates w_j = v_j − c_j, |w_j| ≤ 4.</summary>
    public Tensor Local { get; }

    /// <summary>[b, Q] per query i, the first sorted position of its band.</summary>
    public Tensor Low { get; }

    /// <summary>[b, Q] per query i, the first sorted position of its band in the second bucket (High when there is none).</summary>
    public Tensor Middle { get; }

    /// <summary>[b, Q] per query i, the sorted position just after its band.</summary>
    public Tensor High { get; }

    /// <summary>[b, Q] per query i, d = c − v_i: v_j − v_i = w_j + d in the first bucket, w_j + d + 8 in the second.</summary>
    public Tensor Shift { get; }

    /// <summary>
    /// The bands of the queried items of a block of rows <paramref name="x"/> ([b, N], detached) for the half-width a
    /// (in units of τ): every item when <paramref name="queries"/> is null, else the items at those positions ([b, Q]).
    /// The tensors belong to the caller's dispose scope.
    /// </summary>
    public static SortedBands Of(Tensor x, Tensor? queries, double temperature, double halfWidth)
    {
        using var inverse = InverseTemperature(temperature).ToScalar();
        using var low = (-Bound).ToScalar();
        using var high = Bound.ToScalar();
        using var width = halfWidth.ToScalar();
        using var bucket = (1 / BucketWidth).ToScalar();
        using var bucketWidth = BucketWidth.ToScalar();
        using var half = (BucketWidth / 2).ToScalar();
        using var one = 1.0.ToScalar();
        using var lastIndex = (x.shape[^1] - 1).ToScalar();
        // 1/τ capped, as MetricOps caps it: for a subnormal τ it would be ∞, and a score of 0 would scale to 0·∞ = NaN.
        // A copy even of float64 scores: v is scaled in place, and x is the caller's (saved for backward).
        var v = x.to_type(ScalarType.Float64, copy: true).mul_(inverse).clamp_(low, high);
        var (sorted, order) = v.sort(-1, descending: false);
        var buckets = sorted.mul(bucket).floor_();
        // w = v − (8·bucket + 4), in place on a copy of the buckets.
        var local = buckets.mul(bucketWidth).add_(half, KeptScalars.One).neg_().add_(sorted, KeptScalars.One);
        // Every item is queried in sorted order: the searches, the prefix sums' gathers and Spread's scatters then walk
        // the row in order (cache-friendly on long rows), and one gather and one scatter by Order map to the items.
        var at = queries is null ? sorted : v.gather(-1, queries);
        // First j with v_j > v_i − a, and first with v_j ≥ v_i + a: the band is the open interval (v_i − a, v_i + a).
        var first = searchsorted(sorted, at.sub(width), right: true);
        var last = searchsorted(sorted, at.add(width, KeptScalars.One), right: false);
        // A NaN score makes the row's searches meaningless (its value is made NaN by the caller): keep indices in range.
        var firstBucket = buckets.gather(-1, first.clamp_max(lastIndex));
        var middle = searchsorted(buckets, firstBucket.add(one, KeptScalars.One), right: false).minimum(last);
        var shift = firstBucket.mul_(bucketWidth).add_(half, KeptScalars.One).sub_(at);
        return new SortedBands(order, local, queries ?? order, first, middle, last, shift);
    }

    /// <summary>
    /// Per query i and power p = 0 … degree, the sums Σ m_j·w_j^p over the band's first bucket and over its second:
    /// two lists of [b, Q] tensors. <paramref name="sortedWeights"/> are m in sorted order, float64 ([b, N]).
    /// </summary>
    public (Tensor[] First, Tensor[] Second) PartSums(Tensor sortedWeights, int degree)
    {
        var first = new Tensor[degree + 1];
        var second = new Tensor[degree + 1];
        var term = sortedWeights;
        for (var p = 0; p <= degree; p++)
        {
            if (p > 0) term = p == 1 ? term.mul(Local) : term.mul_(Local);
            var sums = Prefix(term);
            var atMiddle = sums.gather(-1, Middle);
            first[p] = atMiddle.sub(sums.gather(-1, Low));
            second[p] = sums.gather(-1, High).sub_(atMiddle);
        }
        return (first, second);
    }

    /// <summary>Σ_band m_j·Q(v_j − v_i) per query, from <see cref="PartSums"/> of degree ≥ Q's.</summary>
    public Tensor Combine((Tensor[] First, Tensor[] Second) parts, BandPolynomial polynomial)
    {
        var (inFirst, inSecond) = Coefficients(polynomial);
        var result = inFirst[0].mul_(parts.First[0]).add_(inSecond[0].mul_(parts.Second[0]), KeptScalars.One);
        for (var p = 1; p <= polynomial.Degree; p++)
        {
            result.add_(inFirst[p].mul_(parts.First[p]), KeptScalars.One).add_(inSecond[p].mul_(parts.Second[p]), KeptScalars.One);
        }
        return result;
    }

    /// <summary>Σ m_j over the sorted positions at and after High (the j with v_j ≥ v_i + a), per query.</summary>
    public Tensor Above(Tensor sortedWeights)
    {
        var sums = Prefix(sortedWeights);
        var total = sums.narrow(-1, sums.shape[^1] - 1, 1);
        return total.sub(sums.gather(-1, High));
    }

    /// <summary>
    /// The transposed band sum: per sorted position k ([b, N], sorted order), Σ_{queries i with k in band(i)}
    /// g_i·Q(v_k − v_i). In i's first bucket v_k − v_i = w_k + d_i, in its second w_k + d_i + 8, so Q there is the
    /// polynomial Σ_p T_p·w_k^p with the shifted coefficients T_p(d_i) or T_p(d_i + 8): each query adds its g_i·T_p to
    /// the positions [Low, Middle) and [Middle, High), which a difference array (added at the range's start, taken
    /// away at its end) and a running sum give for every position at once; then Σ_p (Σ_i g_i·T_p)·w_k^p by Horner's
    /// rule. The running sums hold coefficients of size |T_p| ≤ 15^D, so they round to about ε·N·15^D·max|g|.
    /// </summary>
    public Tensor Spread(Tensor g, BandPolynomial polynomial)
    {
        var (inFirst, inSecond) = Coefficients(polynomial);
        var n = Local.shape[^1];
        var shape = (long[])Local.shape.Clone();
        shape[^1] = n + 1;
        Tensor? result = null;
        for (var p = polynomial.Degree; p >= 0; p--)
        {
            var a = inFirst[p].mul_(g);
            var b = inSecond[p].mul_(g);
            var steps = zeros(shape, dtype: ScalarType.Float64, device: g.device)
                .scatter_add_(-1, Low, a).scatter_add_(-1, Middle, b.sub(a)).scatter_add_(-1, High, b.neg_());
            var coefficient = steps.narrow(-1, 0, n).cumsum(-1);
            result = result is null ? coefficient : result.mul_(Local).add_(coefficient, KeptScalars.One);
        }
        return result!;
    }

    /// <summary>Per query, the value of a [b, N] tensor (original order) at its item.</summary>
    public Tensor At(Tensor values) => values.gather(-1, Queries);

    /// <summary>Per query values ([b, Q]) laid out as the rows' items ([b, N]), 0 at the items not queried.</summary>
    public Tensor Place(Tensor values) =>
        zeros(Local.shape, dtype: values.dtype, device: values.device).scatter_(-1, Queries, values);

    /// <summary>The coefficients of w^p in Q(w + d) and Q(w + d + 8), per query (<see cref="BandPolynomial.ShiftedCoefficients"/>).</summary>
    private (Tensor[] First, Tensor[] Second) Coefficients(BandPolynomial polynomial)
    {
        using var bucketWidth = BucketWidth.ToScalar();
        return (polynomial.ShiftedCoefficients(Shift), polynomial.ShiftedCoefficients(Shift.add(bucketWidth, KeptScalars.One)));
    }

    /// <summary>1/τ, at most float64's largest finite number.</summary>
    public static double InverseTemperature(double temperature) => Math.Min(1 / temperature, double.MaxValue);

    /// <summary>Per item of <paramref name="x"/>, 1 where |x/τ| is within the bound (its gradient passes), 0 beyond; float64.</summary>
    public static Tensor Movable(Tensor x, double temperature)
    {
        using var inverse = InverseTemperature(temperature).ToScalar();
        using var high = Bound.ToScalar();
        return x.to_type(ScalarType.Float64, copy: true).mul_(inverse).abs_().le_(high);
    }

    /// <summary>[0, v_0, v_0 + v_1, …] along the last dimension: N + 1 exclusive prefix sums, float64.</summary>
    private static Tensor Prefix(Tensor values)
    {
        var shape = (long[])values.shape.Clone();
        shape[^1] = 1;
        return cat(new[] { zeros(shape, dtype: ScalarType.Float64, device: values.device), values.cumsum(-1) }, -1);
    }
}
