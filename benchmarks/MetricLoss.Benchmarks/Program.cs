using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace MetricLoss.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>-- --filter '*'</c>: the BenchmarkDotNet suite (time and managed allocations).
    /// <c>-- --peak [--n 1000000] [--reps 9]</c>: native peak memory and tensors per call (see <see cref="PeakMemory"/>).
    /// <c>-- --paired [--rounds 41]</c>: time ratios measured in interleaved rounds (see <see cref="Paired"/>).
    /// <c>-- --check</c>: generated and hand-written give the same loss and gradient.
    /// <c>-- --multistage [--sizes 500,1000,2000,4000] [--chunk 200] [--reps 3]</c>: multistage backpropagation vs plain backward (see <see cref="Training.MultistageBenchmark"/>).
    /// <c>-- --ranking[-check|-paired|-peak|-scaling|-profile|-once]</c>: RS@k and Smooth-AP against their official algorithms,
    /// and the scaling of the generated ranking code (see <see cref="Ranking.RankingModes"/>).
    /// <c>-- --ranking-difference [--budget 20]</c>: the cost of pairwise comparisons defined for infinite scores, MetricOps.RelaxPairwise (see <see cref="Ranking.DifferenceCost"/>).
    /// <c>-- --rank-sums [--sizes 1000,…,1000000]</c> (or <c>--linear-ranks</c>): smooth ROC AUC through the sort-based SortedRankSums kernel itself (linear and smoothstep relaxations) against the generated pairwise program (σ, linear, smoothstep), time and peak memory in one process (see <see cref="Ranking.RankSumsBenchmark"/>).
    /// <c>-- --sorted-ranks [--sizes 1000,…,1000000]</c>: the generated smooth AUC, AP, RS@k and mAP with sorted ranks (Linear) against their pairwise programs (Linear and σ), time and peak memory, one process per case (see <see cref="SortedRanks.SortedRanksModes"/>).
    /// <c>-- --pairwise [--sizes 10000,…,100000]</c>: peak resident memory and time of smooth RocAuc and AveragePrecision, generated vs hand-written, one process per measurement (see <see cref="Pairwise.PairwiseModes"/>).
    /// <c>-- --evaluators [--reps 3] [--sizes 10000,100000,1000000]</c>: Evaluator Update throughput against Exact per batch and against one Exact on every batch kept, and the memory of each state kind as N grows (see <see cref="Evaluation.EvaluatorBenchmark"/>).
    /// <c>-- --interpolation [--rounds 41]</c>, <c>-- --interpolation --peak [--reps 9]</c>: UniLoss's interpolated accuracy vs the analytic top-1 surrogate, as anchors and comparisons grow (see <see cref="Interpolation.InterpolationBenchmark"/>).
    /// </summary>
    public static int Main(string[] args)
    {
        ConfigureThreads();
        if (args.Contains("--ranking-difference")) return Ranking.DifferenceCost.Run(args);
        if (args.Any(a => a.StartsWith("--ranking", StringComparison.Ordinal))) return Ranking.RankingModes.Run(args);
        if (args.Contains("--multistage")) return Training.MultistageBenchmark.Run(args);
        if (args.Contains("--interpolation")) return Interpolation.InterpolationBenchmark.Run(args);
        // Before --pairwise, which would take their --pairwise-max option for its own mode.
        if (args.Any(a => a.StartsWith("--sorted-ranks", StringComparison.Ordinal))) return SortedRanks.SortedRanksModes.Run(args);
        if (args.Contains("--rank-sums") || args.Contains("--linear-ranks")) return Ranking.RankSumsBenchmark.Run(args);
        if (args.Any(a => a.StartsWith("--pairwise", StringComparison.Ordinal))) return Pairwise.PairwiseModes.Run(args);
        if (args.Contains("--evaluators")) return Evaluation.EvaluatorBenchmark.Run(args);
        if (args.Contains("--peak")) return PeakMemory.Run(args);
        if (args.Contains("--paired")) return Paired.Run(args);
        if (args.Contains("--check")) return Agreement.Run();

        // A short job so that the whole suite (24 cases) takes a few minutes on a 2-core machine:
        // 3 warm-up and 15 measured iterations of about 250 ms each.
        // In process: BenchmarkDotNet's usual out-of-process toolchain rebuilds the project references with
        // its own OutDir, which breaks the generator's analyzer reference (src/Generator); the in-process
        // toolchain runs the cases one after another in this (Release) process instead.
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(250))
            .WithId("Short");
        // Min and Median beside Mean: on a shared machine other work only ever adds time.
        var config = DefaultConfig.Instance
            .AddJob(job.AsDefault())
            .AddColumn(BenchmarkDotNet.Columns.StatisticColumn.Median, BenchmarkDotNet.Columns.StatisticColumn.Min);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return 0;
    }

    /// <summary>
    /// LibTorch's intra-op threads: 1 unless METRICLOSS_BENCH_THREADS says otherwise. With its default (one
    /// OpenMP thread per core) on a machine shared with other work, a descheduled OpenMP thread stalls every
    /// parallel op at its barrier and single cases slow down 10-100x at random; one thread measures the
    /// work itself, the same for both sides of every comparison.
    /// </summary>
    public static void ConfigureThreads()
    {
        MetricLoss.Native.TorchNative.EnsureLoaded();
        var text = Environment.GetEnvironmentVariable("METRICLOSS_BENCH_THREADS");
        int threads = int.TryParse(text, out var t) && t > 0 ? t : 1;
        TorchSharp.torch.set_num_threads(threads);
        Console.WriteLine($"// LibTorch intra-op threads: {TorchSharp.torch.get_num_threads()} (METRICLOSS_BENCH_THREADS)");
    }
}
