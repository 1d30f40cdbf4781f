using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricLoss.Catalog;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>
/// <c>--ranking-profile [--sizes 4000]</c>: where the time of the generated RS@k and mAP steps goes, in interleaved
/// rounds: sim = E·Eᵀ with its backward alone, the support (the demand-driven program's host sync and top-|P|
/// selection) alone, forward only, forward + backward, and the same metric with <c>MaxPairwiseElements</c> raised to
/// the whole pairwise term (one graph kept: no recomputation in backward). Not part of <c>--ranking</c>.
/// </summary>
public static class RankingProfile
{
    public static int Run(long[] sizes, double budget)
    {
        RankingMeasure.SteadyMallocForTiming();
        Console.WriteLine("## Where the time goes (interleaved rounds, median per call; mmap threshold fixed at 32 MiB)");
        Console.WriteLine();
        Console.WriteLine("| N | part | median per call | min | rounds |");
        Console.WriteLine("|---:|---|---:|---:|---:|");
        foreach (var n in sizes)
        {
            using var x = new RankingInputs(n);
            const long p = RankingInputs.PerClass - 1;
            var rsWhole = new RecallAtK.Options { MaxPairwiseElements = RankingCases.WholeGraphBudget(n) };
            var apWhole = new MeanAveragePrecision.Options { MaxPairwiseElements = Math.Max(1L << 24, n * (n - 1) * p) };
            var parts = new List<(string Name, Action Call)>
            {
                ("sim = E·Eᵀ, forward + backward (ones as ∂L/∂sim)", () => { using var s = NewDisposeScope(); var sim = x.Similarity(); sim.backward(new[] { ones_like(sim) }); x.Embeddings.grad = null; }),
                ("DenseOps.Support(pos): top-|P| selection of the [N, N] mask, one host sync", () => { using var s = NewDisposeScope(); MetricLoss.Runtime.DenseOps.Support(x.Pos, ScalarType.Float32); }),
                ("hand-written RS@k (one graph): forward only", () => { using var s = NewDisposeScope(); using var g = no_grad(); HandWrittenRanking.RecallAtKLoss(x.Similarity(), x.PositiveIndex); }),
                ("hand-written RS@k (one graph): forward + backward", () => RankingCases.HandRecallAtK.Step(x)),
                ($"generated RecallAtK: forward only (default options: {Plan(n, 1L << 24, n * p)})", () => { using var s = NewDisposeScope(); using var g = no_grad(); RecallAtK.Loss(x.Similarity(), x.Pos, x.Valid); }),
                ($"generated RecallAtK: forward + backward (default options: {Plan(n, 1L << 24, n * p)})", () => RankingCases.GeneratedRecallAtK.Step(x)),
                ($"generated RecallAtK, MaxPairwiseElements = N²·|P| ({Plan(n, rsWhole.MaxPairwiseElements, n * p)}): forward + backward", () => Step(x, () => RecallAtK.Loss(x.Similarity(), x.Pos, x.Valid, rsWhole))),
                ($"generated MeanAveragePrecision: forward + backward (default options: {Plan(n, 1L << 24, (n - 1) * p)})", () => RankingCases.GeneratedMeanAveragePrecision.Step(x)),
                ("generated MeanAveragePrecision (default options): forward only", () => { using var s = NewDisposeScope(); using var g = no_grad(); MeanAveragePrecision.Loss(x.Similarity().gather(1, x.OtherColumns), x.LabelWithoutSelf); }),
                ($"generated MeanAveragePrecision, MaxPairwiseElements = N(N − 1)·|P| ({Plan(n, apWhole.MaxPairwiseElements, (n - 1) * p)}): forward + backward", () => Step(x, () => MeanAveragePrecision.Loss(x.Similarity().gather(1, x.OtherColumns), x.LabelWithoutSelf, apWhole))),
            };
            var r = RankingMeasure.Interleaved(parts.Select(q => q.Name).ToArray(), parts.Select(q => q.Call).ToArray(), budget, minRounds: 3, maxRounds: 41);
            for (int i = 0; i < parts.Count; i++)
            {
                Console.WriteLine(FormattableString.Invariant($"| {n:N0} | {parts[i].Name} | {RankingMeasure.Seconds(r.Median(i))} | {RankingMeasure.Seconds(r.Min(i))} | {r.Count} |"));
            }
        }
        Console.WriteLine();
        return 0;
    }

    /// <summary><c>--ranking-once</c>: one timed step of each side at each size (the slow ones included), no warm-up.</summary>
    public static void Once(long[] sizes, long apQueries, string only)
    {
        RankingMeasure.SteadyMallocForTiming();
        foreach (var n in sizes)
        {
            using var x = new RankingInputs(n);
            var cases = new[]
            {
                RankingCases.HandRecallAtK, RankingCases.HandRecallAtKStaged, RankingCases.GeneratedRecallAtK,
                RankingCases.HandSmoothAp(apQueries), RankingCases.HandSmoothAp(0), RankingCases.GeneratedMeanAveragePrecision,
            };
            foreach (var c in cases)
            {
                if ((only == "rs" && c.Comparison != RankingCases.RsAtK) || (only == "ap" && c.Comparison != RankingCases.SmoothAp)) continue;
                double t = RankingMeasure.Time(() => c.Step(x), 1);
                Console.WriteLine(FormattableString.Invariant($"N = {n}: {c.Side}: {RankingMeasure.Seconds(t)} (load {RankingMeasure.LoadAverage()})"));
            }
        }
    }

    /// <summary>How ChunkedReduction runs a reduction of N queries with this many elements per query (float32, CPU).</summary>
    private static string Plan(long n, long budget, long perQuery)
    {
        long chunk = MetricLoss.Runtime.ChunkedReduction.ChunkLength(budget, new[] { perQuery });
        using var leaf = zeros(1, dtype: ScalarType.Float32);
        long block = MetricLoss.Runtime.ChunkedReduction.BlockLength(new[] { leaf }, chunk, budget);
        string blocks = block >= n ? "one block" : FormattableString.Invariant($"{(n + block - 1) / block} blocks of {block} queries");
        return chunk >= n ? $"graph kept, {blocks}" : $"recomputed in backward, {blocks}";
    }

    private static void Step(RankingInputs x, Func<Tensor> loss)
    {
        using (var s = NewDisposeScope()) loss().backward();
        x.Embeddings.grad = null;
    }
}
