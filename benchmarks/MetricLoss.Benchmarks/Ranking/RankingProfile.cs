using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricLoss.Catalog;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>
/// <c>--ranking-profile [--sizes 4000]</c>: where the time of the generated RS@k and mAP steps goes, in interleaved
/// rounds: sim = E·Eᵀ with its backward alone, the support (the demand-driven program's host sync and row sort)
/// alone, forward only, forward + backward, and the same metric with a larger <c>MaxPairwiseElements</c> (fewer
/// chunks; one chunk: no recomputation in backward). Not part of <c>--ranking</c>.
/// </summary>
public static class RankingProfile
{
    public static int Run(long[] sizes, double budget)
    {
        Console.WriteLine("## Where the time goes (interleaved rounds, median per call)");
        Console.WriteLine();
        Console.WriteLine("| N | part | median per call | min | rounds |");
        Console.WriteLine("|---:|---|---:|---:|---:|");
        foreach (var n in sizes)
        {
            using var x = new RankingInputs(n);
            const long m = 5, p = RankingInputs.PerClass - 1;
            var rsIntended = new RecallAtK.Options { MaxPairwiseElements = (1L << 24) * m };   // chunk [Q, N, P] ≤ 2^24
            var rsOneChunk = new RecallAtK.Options { MaxPairwiseElements = 1L << 40 };
            var apIntended = new MeanAveragePrecision.Options { MaxPairwiseElements = (1L << 24) * n }; // chunk [Q, N, P] ≤ 2^24
            long rsChunk = Math.Max(1, (1L << 24) / (m * p * n));
            long apChunk = Math.Max(1, (1L << 24) / (p * n * n));
            var parts = new List<(string Name, Action Call)>
            {
                ("sim = E·Eᵀ, forward + backward (ones as ∂L/∂sim)", () => { using var s = NewDisposeScope(); var sim = x.Similarity(); sim.backward(new[] { ones_like(sim) }); x.Embeddings.grad = null; }),
                ("DenseOps.Support(pos as float32): ne, sum, max, item, int32 sort of [N, N]", () => { using var s = NewDisposeScope(); MetricLoss.Runtime.DenseOps.Support(x.Pos.to_type(ScalarType.Float32), ScalarType.Float32); }),
                ($"the dense ∂/∂sim of each chunk alone, as ChunkedReduction.backward makes it for RecallAtK: {(n + rsChunk - 1) / rsChunk} × (zeros [N, N], copy of the chunk's rows, clone or add_ into the sum)", () => DenseChunkGradients(n, rsChunk)),
                ("hand-written RS@k (one graph): forward only", () => { using var s = NewDisposeScope(); using var g = no_grad(); HandWrittenRanking.RecallAtKLoss(x.Similarity(), x.PositiveIndex); }),
                ("hand-written RS@k (one graph): forward + backward", () => RankingCases.HandRecallAtK.Step(x)),
                ($"generated RecallAtK: forward only (default options: {Chunks(n, rsChunk)})", () => { using var s = NewDisposeScope(); using var g = no_grad(); RecallAtK.Loss(x.Similarity(), x.Pos, x.Valid); }),
                ($"generated RecallAtK: forward + backward (default options: {Chunks(n, rsChunk)})", () => RankingCases.GeneratedRecallAtK.Step(x)),
                ($"generated RecallAtK, MaxPairwiseElements = 5·2^24 ({Chunks(n, Math.Max(1, (1L << 24) / (p * n)))}): forward + backward", () => Step(x, () => RecallAtK.Loss(x.Similarity(), x.Pos, x.Valid, rsIntended))),
                ("generated RecallAtK, MaxPairwiseElements = 2^40 (one chunk, graph kept): forward + backward", () => Step(x, () => RecallAtK.Loss(x.Similarity(), x.Pos, x.Valid, rsOneChunk))),
                ($"generated MeanAveragePrecision: forward + backward (default options: {Chunks(n, apChunk)})", () => RankingCases.GeneratedMeanAveragePrecision.Step(x)),
                ("generated MeanAveragePrecision (default options): forward only", () => { using var s = NewDisposeScope(); using var g = no_grad(); MeanAveragePrecision.Loss(x.Similarity().gather(1, x.OtherColumns), x.LabelWithoutSelf); }),
                ($"generated MeanAveragePrecision, MaxPairwiseElements = N·2^24 ({Chunks(n, Math.Max(1, (1L << 24) / (p * n)))}): forward + backward", () => Step(x, () => MeanAveragePrecision.Loss(x.Similarity().gather(1, x.OtherColumns), x.LabelWithoutSelf, apIntended))),
            };
            if (n > 2048) parts.RemoveAll(q => q.Name.StartsWith("generated MeanAveragePrecision: forward + backward (default", StringComparison.Ordinal)); // minutes per call: see --ranking-once
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

    /// <summary>
    /// What autograd hands ChunkedReduction.backward for a leaf the chunk body reads through <c>narrow(0, start, length)</c>:
    /// a dense [N, N] gradient, zero except the chunk's rows, which it clones (first chunk) or adds into the sum.
    /// </summary>
    private static void DenseChunkGradients(long n, long chunk)
    {
        using var scope = NewDisposeScope();
        using var rows = ones(new[] { Math.Min(chunk, n), n }, dtype: ScalarType.Float32);
        Tensor? sum = null;
        for (long start = 0; start < n; start += chunk)
        {
            long length = Math.Min(chunk, n - start);
            using var inner = NewDisposeScope();
            var g = zeros(new[] { n, n }, dtype: ScalarType.Float32);
            g.narrow(0, start, length).copy_(rows.narrow(0, 0, length));
            if (sum is null) sum = g.clone().MoveToOuterDisposeScope();
            else sum.add_(g);
        }
    }

    private static string Chunks(long n, long chunk) =>
        chunk >= n ? "one chunk" : FormattableString.Invariant($"{(n + chunk - 1) / chunk} chunks of {chunk} queries, recomputed in backward");

    private static void Step(RankingInputs x, Func<Tensor> loss)
    {
        using (var s = NewDisposeScope()) loss().backward();
        x.Embeddings.grad = null;
    }
}
