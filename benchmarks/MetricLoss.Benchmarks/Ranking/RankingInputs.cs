using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>
/// A metric-learning batch as the RS@k and Smooth-AP papers train on: N L2-normalised embeddings E [N, 512]
/// (seeded, float32, requires grad) in class-contiguous blocks of <see cref="PerClass"/> items (N / 4 classes).
/// The similarity matrix sim = E·Eᵀ is NOT built here: every measured call computes it, on both sides.
/// <para>
/// Label-only structures, built once per batch (they depend on the labels only, as a training loop builds
/// them from the batch's class ids, and neither side differentiates them):
/// the generated metrics' masks (<see cref="Pos"/>, <see cref="Valid"/>, <see cref="LabelWithoutSelf"/>) and
/// the hand-written code's index of each query's positives (<see cref="PositiveIndex"/>, what the official code
/// reads off the class-contiguous layout).
/// </para>
/// <para>
/// Convention on both sides: the query is NOT in its own retrieval list and not among its positives (the papers'
/// formulas, docs/surrogates.md §3.2 and §4.1), so |P| = 3 for every query.
/// </para>
/// </summary>
public sealed class RankingInputs : IDisposable
{
    public const int Seed = 20240825;
    public const int Dimension = 512;
    public const int PerClass = 4;

    public long N { get; }

    /// <summary>float32 [N, 512], rows of unit length, a leaf that requires grad.</summary>
    public Tensor Embeddings { get; }

    /// <summary>bool [N, N]: same class and not the query itself (RecallAtK's <c>pos</c>).</summary>
    public Tensor Pos { get; }

    /// <summary>bool [N, N]: every item but the query itself (RecallAtK's <c>valid</c>).</summary>
    public Tensor Valid { get; }

    /// <summary>int64 [N, N − 1]: the columns of row q without q (the list of query q without the query).</summary>
    public Tensor OtherColumns { get; }

    /// <summary>bool [N, N − 1]: <see cref="Pos"/> at <see cref="OtherColumns"/> (MeanAveragePrecision's <c>label</c>).</summary>
    public Tensor LabelWithoutSelf { get; }

    /// <summary>int64 [N, PerClass − 1]: the positives of query q, its class block without q, ascending.</summary>
    public Tensor PositiveIndex { get; }

    public RankingInputs(long n, bool requiresGrad = true)
    {
        if (n % PerClass != 0) throw new ArgumentException($"N = {n} is not a multiple of {PerClass}.");
        MetricLoss.Native.TorchNative.EnsureLoaded();
        N = n;
        using var generator = new Generator(Seed);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var raw = randn(new[] { n, (long)Dimension }, dtype: ScalarType.Float32, generator: generator);
        var unit = raw.div(raw.norm(1, keepdim: true));
        Embeddings = unit.detach().requires_grad_(requiresGrad).DetachFromDisposeScope();

        var position = arange(0L, n, 1L, ScalarType.Int64);
        using var perClass = ((long)PerClass).ToScalar();
        var cls = position.div(perClass, rounding_mode: RoundingMode.floor);
        var sameClass = cls.unsqueeze(1).eq(cls.unsqueeze(0));
        var notSelf = position.unsqueeze(1).ne(position.unsqueeze(0));
        Pos = sameClass.logical_and(notSelf).DetachFromDisposeScope();
        Valid = notSelf.DetachFromDisposeScope();

        // Row q without column q: j + (j >= q) for j = 0 .. N − 2.
        var j = arange(0L, n - 1, 1L, ScalarType.Int64).unsqueeze(0);
        var others = j.add(j.ge(position.unsqueeze(1)).to_type(ScalarType.Int64));
        OtherColumns = others.DetachFromDisposeScope();
        LabelWithoutSelf = Pos.gather(1, others).DetachFromDisposeScope();

        // Positives of q: block start + t + (t >= q mod 4) for t = 0 .. 2.
        var t = arange(0L, PerClass - 1, 1L, ScalarType.Int64).unsqueeze(0);
        var start = cls.mul(perClass).unsqueeze(1);
        var offset = position.remainder(perClass).unsqueeze(1);
        PositiveIndex = start.add(t).add(t.ge(offset).to_type(ScalarType.Int64)).DetachFromDisposeScope();
    }

    /// <summary>sim = E·Eᵀ, float32 [N, N], differentiable in E.</summary>
    public Tensor Similarity() => Embeddings.mm(Embeddings.t());

    public void Dispose()
    {
        Embeddings.Dispose();
        Pos.Dispose();
        Valid.Dispose();
        OtherColumns.Dispose();
        LabelWithoutSelf.Dispose();
        PositiveIndex.Dispose();
    }
}
