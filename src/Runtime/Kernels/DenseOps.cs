using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>
/// Operations of the dense lowering of indexed constructs: positions along an axis, vector options,
/// reductions that skip a position (<c>sum[j != i]</c>), <c>ideal_dcg</c>, and the memory budget that every
/// value over axes no single input spans (a pairwise term) must fit in; also the support of a constant mask
/// (demand-driven sums) and the anchor generator and blocks of <c>interpolate</c> metrics.
/// </summary>
/// <remarks>
/// Called by generated code; public only for that. Results are new tensors in the caller's dispose scope; arguments
/// are never modified. <c>dims</c> arguments are dimensions of the body, after the generated code has aligned every
/// operand to the result's axes.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DenseOps
{
    /// <summary>0, 1, …, size − 1 as int64 on <paramref name="device"/>: the positions of an axis.</summary>
    public static Tensor Positions(long size, Device device) => PositionRange(0, size, device);

    /// <summary>start, …, start + length − 1 as int64: the positions of one chunk of an axis.</summary>
    public static Tensor PositionRange(long start, long length, Device device)
    {
        using var first = start.ToScalar();
        using var end = (start + length).ToScalar();
        using var step = 1L.ToScalar();
        return arange(first, end, step, ScalarType.Int64, device);
    }

    /// <summary>
    /// The support of a constant mask along its last axis, for demand-driven programs (docs/architecture.md,
    /// "Smooth, demand-driven"): per row, the positions where the mask is non-zero in ascending order, padded to
    /// the largest count P with positions where it is zero, whose validity is 0. Reading P is the one host sync of
    /// such a program: it sizes the support, which is what makes RS@k cost O(N²·|P|) instead of O(N³).
    /// </summary>
    /// <remarks>
    /// A top-P selection of the 0/1 mask finds the positions in O(N) per row (a sort would cost O(N log N) per
    /// row and three mask-sized temporaries); the mask-sized temporaries are freed before the support is used,
    /// so they never add to the peak of the reduction that follows.
    /// </remarks>
    public static (Tensor Index, Tensor Valid, long Size) Support(Tensor mask, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        using var zero = 0.0.ToScalar();   // a scope frees tensors, not Scalars
        var keep = mask.dtype == ScalarType.Bool ? mask.alias() : mask.ne(zero);
        var counts = keep.sum(new long[] { -1 }, true);
        var size = Math.Max(1L, counts.max().item<long>());
        var (_, chosen) = keep.to_type(ScalarType.Byte).topk((int)size, -1, largest: true, sorted: false);
        var (index, _) = chosen.sort(-1);
        var valid = keep.gather(-1, index).to_type(dtype);
        return (index.contiguous().MoveToOuterDisposeScope(), valid.MoveToOuterDisposeScope(), size);
    }

    /// <summary>
    /// The generator of UniLoss anchors: seeded from Options.Seed when given (the same anchors on every call with
    /// that seed: deterministic), else from a seed drawn from TorchSharp's default CPU generator, so that
    /// <c>torch.manual_seed</c> makes a whole run reproducible (a CPU draw: no device sync).
    /// </summary>
    public static Generator AnchorGenerator(long? seed, Device device)
    {
        if (seed is null)
        {
            using var draw = randint(0L, int.MaxValue, new long[] { 1 }, dtype: ScalarType.Int64);
            seed = draw.item<long>();
        }
        return new Generator((ulong)seed.Value, device);
    }

    /// <summary>One coordinate block of anchors [K, D] as [K, block shape...]: positions offset … offset + numel of the block.</summary>
    public static Tensor AnchorBlock(Tensor anchors, long offset, Tensor block)
    {
        var shape = new long[block.dim() + 1];
        shape[0] = anchors.shape[0];
        for (var d = 0; d < block.dim(); d++) shape[d + 1] = block.shape[d];
        return anchors.narrow(1, offset, block.numel()).reshape(shape);
    }

    /// <summary>An <c>int[m]</c> vector option as a tensor [m] of the program's dtype on the inputs' device.</summary>
    public static Tensor Vector(IReadOnlyList<int> values, ScalarType dtype, Device device) =>
        tensor(values.Select(v => (double)v).ToArray(), dtype, device);

    /// <summary>A <c>real[m]</c> vector option as a tensor [m] of the program's dtype on the inputs' device.</summary>
    public static Tensor Vector(IReadOnlyList<double> values, ScalarType dtype, Device device) =>
        tensor(values.ToArray(), dtype, device);

    /// <summary>A <c>bool[m]</c> vector option as 0/1 in a tensor [m] of the program's dtype on the inputs' device.</summary>
    public static Tensor Vector(IReadOnlyList<bool> values, ScalarType dtype, Device device) =>
        tensor(values.Select(v => v ? 1.0 : 0.0).ToArray(), dtype, device);

    /// <summary>1 where a binder's position differs from the excluded one (<c>j != i</c>), else 0.</summary>
    public static Tensor Exclude(Tensor positions, Tensor excluded, ScalarType dtype) => positions.ne(excluded).to_type(dtype);

    /// <summary>True where a binder's position differs from the excluded one (<c>j != i</c>): the mask of a masked sum.</summary>
    public static Tensor Keep(Tensor positions, Tensor excluded) => positions.ne(excluded);

    /// <summary>
    /// True where a binder's position differs from the excluded one and a constant condition holds (a label, bool or
    /// 0/1): an exclusion and a 0/1 factor of the body as one bool mask, so no float product with the factor is made.
    /// </summary>
    public static Tensor KeepWhere(Tensor positions, Tensor excluded, Tensor condition)
    {
        using var scope = NewDisposeScope();
        using var zero = 0.0.ToScalar();   // a scope frees tensors, not Scalars
        var keep = Keep(positions, excluded);
        var holds = condition.dtype == ScalarType.Bool ? condition : condition.ne(zero);
        var both = keep.shape.SequenceEqual(Broadcast(keep, holds)) ? keep.logical_and_(holds) : keep.logical_and(holds);
        return both.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Σ over <paramref name="dims"/> of the body where the bool mask keeps it: a select, not a product with a float
    /// mask, so the mask stays 1 byte an element (autograd keeps it for backward) and a masked-out ±∞ cannot make NaN.
    /// </summary>
    public static Tensor SumWhere(Tensor body, Tensor keep, long[] dims)
    {
        using var zero = zeros(Array.Empty<long>(), dtype: body.dtype, device: body.device);
        // The selection is as large as the pairwise body and nothing reads it after the sum (autograd keeps only the
        // mask): freed now rather than at the end of the enclosing scope.
        using var selected = where(keep, body, zero);
        return selected.sum(dims, false);
    }

    /// <summary>The mean over the positions the mask keeps (0 when it keeps none, like a / 0 in the language).</summary>
    public static Tensor MeanMasked(Tensor body, Tensor mask, long[] dims)
    {
        var total = body.mul(mask).sum(dims, false);
        var count = mask.expand(Broadcast(body, mask)).sum(dims, false);
        return MetricOps.DivideExact(total, count);
    }

    /// <summary>
    /// The maximum over the positions a 0/1 mask keeps (<c>max[j != i]</c>): the others count as −∞, so a reduction
    /// that keeps nothing gives −∞.
    /// </summary>
    public static Tensor MaxMasked(Tensor body, Tensor mask, long[] dims) => Filled(body, mask, double.NegativeInfinity).amax(dims, false);

    /// <summary>
    /// The minimum over the positions a 0/1 mask keeps (<c>min[j != i]</c>): the others count as +∞, so a reduction
    /// that keeps nothing gives +∞.
    /// </summary>
    public static Tensor MinMasked(Tensor body, Tensor mask, long[] dims) => Filled(body, mask, double.PositiveInfinity).amin(dims, false);

    /// <summary>any over the kept positions: 1 − Π(1 − x·m).</summary>
    public static Tensor AnyMasked(Tensor body, Tensor mask, long[] dims) =>
        MetricOps.Any(body.mul(mask).expand(Broadcast(body, mask)), dims);

    /// <summary>all over the kept positions: Π(x·m + 1 − m).</summary>
    public static Tensor AllMasked(Tensor body, Tensor mask, long[] dims) =>
        MetricOps.All(body.mul(mask).add(MetricOps.Not(mask), KeptScalars.One).expand(Broadcast(body, mask)), dims);

    private static Tensor Filled(Tensor body, Tensor mask, double value)
    {
        using var zero = 0.0.ToScalar();
        using var keep = mask.ne(zero);
        using var fill = MetricOps.Fill(body, value);
        return where(keep, body, fill);
    }

    private static long[] Broadcast(Tensor a, Tensor b)
    {
        var rank = Math.Max(a.dim(), b.dim());
        var shape = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            var x = d - (rank - a.dim()) >= 0 ? a.shape[d - (rank - a.dim())] : 1;
            var y = d - (rank - b.dim()) >= 0 ? b.shape[d - (rank - b.dim())] : 1;
            shape[d] = Math.Max(x, y);
        }
        return shape;
    }

    /// <summary>
    /// <c>ideal_dcg</c>: the DCG of the gains sorted in decreasing order along <paramref name="dim"/>, cut at k:
    /// Σ_{r ≤ min(k, N)} gain_(r) / log2(1 + r) (Järvelin and Kekäläinen, "Cumulated gain-based evaluation of IR
    /// techniques", TOIS 2002; linear gains, as scikit-learn's ndcg_score).
    /// </summary>
    public static Tensor IdealDcg(Tensor gain, long dim, double k)
    {
        var size = gain.shape[dim];
        var (sorted, _) = gain.sort(dim, descending: true);
        using var first = 1L.ToScalar();
        using var end = (size + 1).ToScalar();
        using var step = 1L.ToScalar();
        var ranks = arange(first, end, step, gain.dtype, gain.device);
        using var one = 1.0.ToScalar();
        var discount = ranks.add(one, KeptScalars.One).log2().reciprocal();
        using var cut = k.ToScalar();
        discount = discount.mul(ranks.le(cut).to_type(gain.dtype));
        var shape = Enumerable.Repeat(1L, (int)gain.dim()).ToArray();
        shape[dim] = size;
        return sorted.mul(discount.view(shape)).sum(new[] { dim }, false);
    }

    /// <summary>
    /// A value over axes that no single input spans (such as all pairs [i, j] of one axis) is computed densely
    /// by this version; refuse it when it would exceed <see cref="MetricOptions.MaxPairwiseElements"/> instead of
    /// running out of memory.
    /// </summary>
    /// <param name="metric">The metric's name, which starts the message.</param>
    /// <param name="sizes">The sizes of the term's axes.</param>
    /// <param name="budget">Options.MaxPairwiseElements.</param>
    /// <param name="axes">The term's axes, for the message.</param>
    /// <exception cref="ArgumentException">The product of <paramref name="sizes"/> exceeds <paramref name="budget"/>.</exception>
    public static void RequirePairwiseBudget(string metric, long[] sizes, long budget, string axes)
    {
        double elements = 1;
        foreach (var size in sizes) elements *= size;
        if (elements > budget)
        {
            throw new ArgumentException(
                $"{metric}: the term over [{axes}] has {elements:0} elements, above MaxPairwiseElements = {budget}; this version computes pairwise terms densely (chunked and sort-based lowering is planned). Use smaller batches or raise Options.MaxPairwiseElements.",
                nameof(MetricOptions.MaxPairwiseElements));
        }
    }
}
