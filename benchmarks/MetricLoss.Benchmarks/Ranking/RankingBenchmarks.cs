using BenchmarkDotNet.Attributes;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>
/// The ranking comparisons under BenchmarkDotNet, with its memory diagnoser (managed allocations; the native
/// tensor memory is what <c>--ranking-peak</c> measures): one training-style step (sim = E·Eᵀ, loss, backward into
/// E.grad) of the generated surrogate against the hand-written official algorithm, on the inputs of the
/// <c>--ranking</c> modes. glibc's thresholds are fixed as in the paired mode (<see cref="RankingMeasure.SteadyMallocForTiming"/>).
/// </summary>
[MemoryDiagnoser]
public abstract class RankingBenchmark
{
    private RankingInputs _inputs = null!;

    public abstract long N { get; set; }

    protected RankingInputs Inputs => _inputs;

    [GlobalSetup]
    public void Setup()
    {
        RankingMeasure.SteadyMallocForTiming();
        _inputs = new RankingInputs(N);
    }

    [GlobalCleanup]
    public void Cleanup() => _inputs.Dispose();
}

/// <summary>RS@k: <c>RecallAtK.Loss</c> (default options) against the official algorithm's structure (one graph).</summary>
public class RankingRecallAtK : RankingBenchmark
{
    [Params(256, 1024, 4000)]
    public override long N { get; set; }

    [Benchmark(Baseline = true, Description = "hand-written official RS@k (one graph)")]
    public void HandWritten() => RankingCases.HandRecallAtK.Step(Inputs);

    [Benchmark(Description = "generated RecallAtK.Loss")]
    public void Generated() => RankingCases.GeneratedRecallAtK.Step(Inputs);
}

/// <summary>
/// Smooth-AP: <c>MeanAveragePrecision.Loss</c> against the official O(N³) algorithm, staged per chunk. Not at
/// N = 4 000, where one hand-written step takes about 16 minutes (the paired mode extrapolates it from 32 queries).
/// </summary>
public class RankingSmoothAp : RankingBenchmark
{
    [Params(256, 1024)]
    public override long N { get; set; }

    [Benchmark(Baseline = true, Description = "hand-written official Smooth-AP (staged)")]
    public void HandWritten() => RankingCases.HandSmoothAp().Step(Inputs);

    [Benchmark(Description = "generated MeanAveragePrecision.Loss")]
    public void Generated() => RankingCases.GeneratedMeanAveragePrecision.Step(Inputs);
}
