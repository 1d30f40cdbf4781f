using MetricLoss.Runtime;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// Sorting the rows of a values tensor along its last axis: <c>torch.sort</c>, except for one large row of floats on
/// an x64 CPU, which is sorted by two stable radix passes over integer keys that order exactly like the values.
/// </summary>
/// <remarks>
/// <para>Why: on the CPU, <c>torch.sort</c> of one float row is a single-threaded comparison sort (about 60 ms for a
/// million float64 values on the benchmark machine), while LibTorch sorts a large 1-D tensor of non-negative integers
/// with FBGEMM's parallel radix sort (stable, a few milliseconds per pass). The radix path costs about 30 ms there with
/// two threads (benchmarks/sklearn/README.md); with one thread it is no faster than the plain sort, so it is taken
/// only when LibTorch may use more than one. FBGEMM is built for x86-64 only; elsewhere two stable integer sorts would be
/// slower than one float sort, so the path is taken on x64 only. On CUDA, <c>torch.sort</c> is already a radix sort.</para>
/// <para>The keys (least significant digit first, so the second sort must be stable): with x = m·2^e, |m| ∈ [½, 1)
/// (<c>frexp</c>, exact, subnormals included), <c>lo = |m|·2^53</c> (an exact integer in [2^52, 2^53)), reversed as
/// 2^54 − lo for negative x, and <c>hi</c> = 2100 − e for negative x, 4300 + e for positive x (e ∈ [−1073, 1024]),
/// 3200 for ±0 (so −0 and +0 tie), 0 for −∞, 6000 for +∞ and 7000 for NaN (sorted last, as <c>torch.sort</c> does).
/// (hi, lo) in lexicographic order is the order of the values, equal exactly when the values are equal.</para>
/// </remarks>
internal static class RowSort
{
    /// <summary>Below this many items the plain sort is used (LibTorch's radix sort starts at 32,768 elements anyway).</summary>
    internal const long RadixThreshold = 65_536;

    /// <summary>
    /// The permutation that sorts each row ascending (int64 <c>[..., N]</c>) and, for sorted positions 1..N−1,
    /// whether the value there differs from the one before it (bool <c>[..., N−1]</c>: where a new tie group
    /// starts); both in the caller's dispose scope. Within a run of equal values the order is unspecified. N ≥ 2.
    /// </summary>
    public static (Tensor Order, Tensor Starts) Sort(Tensor values)
    {
        var n = values.shape[^1];
        var useRadix = n >= RadixThreshold
            && values.numel() == n
            && values.device_type == DeviceType.CPU
            && RuntimeInformation.ProcessArchitecture == Architecture.X64
            && get_num_threads() > 1
            && values.dtype is ScalarType.Float32 or ScalarType.Float64;
        if (!useRadix)
        {
            var (sorted, order) = values.sort(dim: -1);
            return (order, Differs(sorted));
        }
        var row = values.reshape(n);
        var (radixOrder, hi, lo) = RadixOrder(row.dtype == ScalarType.Float64 ? row : row.to_type(ScalarType.Float64));
        // Equal keys are equal values, so the groups start where either key changes. (Every NaN has the same key:
        // here the NaNs form one group, where the plain sort gives each its own; NaN is unsupported either way.)
        return (radixOrder.reshape(values.shape), Differs(hi).logical_or_(Differs(lo)).reshape(RowsWith(values.shape, n - 1)));
    }

    private static Tensor Differs(Tensor sorted)
    {
        var n = sorted.shape[^1];
        return sorted.narrow(-1, 1, n - 1).ne(sorted.narrow(-1, 0, n - 1));
    }

    private static long[] RowsWith(long[] shape, long last)
    {
        var result = (long[])shape.Clone();
        result[^1] = last;
        return result;
    }

    /// <summary>The sorting permutation of a 1-D float64 row, with both keys in sorted order.</summary>
    private static (Tensor Order, Tensor Hi, Tensor Lo) RadixOrder(Tensor x)
    {
        using var zero = 0.0.ToScalar();
        using var half = 0.5.ToScalar();
        using var two53 = 9007199254740992.0.ToScalar();  // 2^53
        using var two54 = 18014398509481984L.ToScalar();  // 2^54
        using var negativeBase = 2100L.ToScalar();
        using var positiveBase = 4300L.ToScalar();
        using var zeroKey = 3200L.ToScalar();
        using var negativeInfinityKey = 0L.ToScalar();
        using var positiveInfinityKey = 6000L.ToScalar();
        using var nanKey = 7000L.ToScalar();
        using var noMantissa = 0L.ToScalar();
        using var positiveInfinity = double.PositiveInfinity.ToScalar();
        using var negativeInfinity = double.NegativeInfinity.ToScalar();

        var (m, e) = frexp(x);
        var special = x.isfinite().logical_not_().logical_or_(x.eq(zero)); // ±∞, NaN, ±0: keyed by hi alone
        var negative = x.lt(zero);
        var mantissa = m.masked_fill(special, half).abs_().mul_(two53).to_type(ScalarType.Int64);
        var exponent = e.to_type(ScalarType.Int64);
        var lo = where(negative, mantissa.neg().add_(two54, KeptScalars.One), mantissa).masked_fill_(special, noMantissa);
        var hi = where(negative, exponent.neg().add_(negativeBase, KeptScalars.One), exponent.add(positiveBase, KeptScalars.One))
            .masked_fill_(x.eq(zero), zeroKey)
            .masked_fill_(x.eq(negativeInfinity), negativeInfinityKey)
            .masked_fill_(x.eq(positiveInfinity), positiveInfinityKey)
            .masked_fill_(x.isnan(), nanKey)
            .to_type(ScalarType.Int16); // 0..7000: a narrower gather and sort
        var (loSorted, byLo) = lo.sort(dim: 0, stable: true);
        var (hiSorted, byHi) = hi.gather(0, byLo).sort(dim: 0, stable: true);
        // byHi moves whole runs (hi takes few distinct values: the exponents present), so these gathers are nearly
        // sequential, unlike a gather of the values by the final permutation.
        return (byLo.gather(0, byHi), hiSorted, loSorted.gather(0, byHi));
    }
}
