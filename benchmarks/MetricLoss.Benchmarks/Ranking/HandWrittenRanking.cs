using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>
/// The official algorithms of RS@k (Patel, Tolias, Matas, CVPR 2022; yash0307/RecallatK_surrogate
/// <c>src/losses.py</c>, docs/surrogates.md §3.2, §3.4–3.5) and Smooth-AP (Brown et al., ECCV 2020;
/// Andrew-Brown1/Smooth_AP <c>src/Smooth_AP_loss.py</c>, docs/surrogates.md §4), ported to TorchSharp the way a
/// careful user would: vectorised over a chunk of queries instead of the official Python loop over queries,
/// one dispose scope per call, Scalars created once and disposed, the result moved out of the scope.
/// <para>
/// One convention differs from the official code, on purpose, so that the comparison with the generated
/// metrics is like with like: <b>the query is not in its own retrieval list</b> (the papers' formulas). The
/// official RS@k code leaves the query's own similarity in every positive's rank (≈ +1 on each rank) and the
/// official Smooth-AP code ranks the query as a positive of its own list (docs/surrogates.md §3.2 detail 2, §4.2);
/// here both drop the z = q / j = q term with a mask, and the positives are the query's class block without it.
/// </para>
/// <para>
/// Chunks: an element budget bounds the [Q, N, |P|] (RS@k, <see cref="Budget"/>, just under 2^23) and [Q, N, N]
/// (Smooth-AP, <see cref="SmoothApBudget"/>, just under 2^21; at least one query's [N, N]) tensors of one chunk of Q queries.
/// </para>
/// </summary>
public static class HandWrittenRanking
{
    public const long DefaultBudget = 1L << 24;

    /// <summary>
    /// The element budget of one chunk of the hand-written functions (set by <c>--hand-budget</c>): 32 MiB − 64 KiB of
    /// float32, the generated code's CPU block (ChunkedReduction.BlockLength), so both sides cut their work alike. A
    /// chunk of 2^23 float32 buffers is exactly 32 MiB, which glibc maps afresh on every op once its mmap threshold is
    /// at its 32 MiB maximum; 2^23 was the fastest of 2^22, 2^23 and 2^24 for RS@k at N = 4 000 only because its
    /// [Q, N, 3] chunks happened to fall just under that size.
    /// </summary>
    public static long Budget { get; set; } = ((32L << 20) - (64L << 10)) / sizeof(float);

    /// <summary>
    /// The element budget of one chunk of the hand-written Smooth-AP (set by <c>--hand-ap-budget</c>): 2^21 − 4096
    /// (8 MiB of float32). Its [Q, N, N] chunk goes through many elementwise passes, and smaller chunks stay in cache:
    /// at N = 256 one step took 40.5 ms with this budget, 97.7 ms with 2^22 − 8192 and 268 ms with 2^23 (the RS@k
    /// budget), in paired rounds on the benchmark machine. At N = 4000 every chunk is one query's [N, N] (64 MB) anyway.
    /// </summary>
    public static long SmoothApBudget { get; set; } = (1L << 21) - 4096;
    public static readonly int[] DefaultK = { 1, 2, 4, 8, 16 };

    /// <summary>
    /// RS@k loss, L = (1/N) Σ_q (1/|K|) Σ_k (1 − min(Σ_{p∈P_q} σ((k − r̃(q,p))/τ1), k) / min(k, |P_q|)),
    /// r̃(q,p) = 1 + Σ_{z ≠ p, z ≠ q} σ((s(q,z) − s(q,p))/τ2).
    /// As the official code: only the positives' ranks, from the N × |P| matrix of similarity differences of
    /// each query, self-comparisons (z = p) zeroed by a mask; the numerator clamped at k; min(k, |P|) below.
    /// </summary>
    /// <param name="sim">[N, N] similarities, differentiable.</param>
    /// <param name="positives">int64 [N, P]: the positives of each query (the query itself excluded).</param>
    /// <param name="staged">
    /// false: one graph for all chunks and the caller calls <c>backward()</c> (the official code's structure;
    /// memory O(N²·|P|) kept for backward). true: each chunk is back-propagated at once into ∂L/∂sim and the
    /// function finishes with <c>sim.backward(∂L/∂sim)</c> (docs/surrogates.md §3.5, second option: memory
    /// O(Q·N·|P|)); it returns the loss value, detached, and the caller must not call <c>backward()</c>.
    /// </param>
    /// <param name="clampedSigmoid">the official sigmoid 1/(1 + exp(clamp(−x/τ, −50, 50))) instead of torch's σ(x/τ).</param>
    public static Tensor RecallAtKLoss(Tensor sim, Tensor positives, bool staged = false, bool clampedSigmoid = false,
        int[]? k = null, double tauRank = 0.01, double tauK = 1, long budget = -1)
    {
        k ??= DefaultK;
        using var scope = NewDisposeScope();
        long n = sim.shape[0], p = positives.shape[1];
        var dtype = sim.dtype;
        var device = sim.device;
        using var invTauRank = (1.0 / tauRank).ToScalar();
        using var invTauK = (1.0 / tauK).ToScalar();
        using var one = 1.0.ToScalar();
        using var count = ((double)(n * k.Length)).ToScalar();
        using var positiveCount = ((double)p).ToScalar();
        using var low = (-50.0).ToScalar();
        using var high = 50.0.ToScalar();

        var ks = tensor(k.Select(v => (float)v).ToArray(), dtype: dtype, device: device);   // [m]
        var denominator = ks.clamp_max(positiveCount);                               // min(k, |P|), [m]
        var z = arange(0L, n, 1L, ScalarType.Int64, device).view(1, n, 1);                   // database positions

        var source = staged ? sim.detach().requires_grad_(true) : sim;
        if (budget <= 0) budget = Budget;
        long chunk = Math.Max(1, budget / (n * p));
        Tensor? total = null;
        for (long q0 = 0; q0 < n; q0 += chunk)
        {
            long length = Math.Min(chunk, n - q0);
            using var chunkScope = NewDisposeScope();
            var s = source.narrow(0, q0, length);                                  // [Q, N]
            var at = positives.narrow(0, q0, length);                              // [Q, P]
            var sp = s.gather(1, at);                                              // s(q, p), [Q, P]
            var scaled = s.unsqueeze(2).sub(sp.unsqueeze(1)).mul(invTauRank);      // (s(q,z) − s(q,p))/τ2, [Q, N, P]
            var above = clampedSigmoid ? scaled.clamp(low, high).sigmoid() : scaled.sigmoid();
            var q = arange(q0, q0 + length, 1L, ScalarType.Int64, device).view(length, 1, 1);
            var mask = z.ne(at.unsqueeze(1)).logical_and_(z.ne(q)).to_type(dtype); // z ≠ p and z ≠ q, [Q, N, P]
            var rank = above.mul(mask).sum(new long[] { 1 }).add_(one);           // r̃(q, p), [Q, P]
            var inside = ks.sub(rank.unsqueeze(2)).mul(invTauK);                   // (k − r̃)/τ1, [Q, P, m]
            var hits = (clampedSigmoid ? inside.clamp(low, high).sigmoid() : inside.sigmoid()).sum(new long[] { 1 }); // [Q, m]
            var recall = minimum(hits, ks).div(denominator);                       // [Q, m]
            var part = recall.sum();
            if (staged)
            {
                // ∂/∂sim of −part/(N·|K|), accumulated into source.grad.
                part.div(count).neg().backward();
                part = part.detach();
            }
            total = total is null ? part.MoveToOuterDisposeScope() : total.add(part).MoveToOuterDisposeScope();
        }
        var loss = total!.div(count).neg().add_(one);                              // 1 − mean over q and k
        if (staged)
        {
            using var grad = source.grad!;
            sim.backward(new[] { grad });
        }
        return loss.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Smooth-AP loss as the official code computes it: for each query the smooth rank of EVERY item of the
    /// batch, R(i, all) = 1 + Σ_{j ≠ i, j ≠ q} σ((s(q,j) − s(q,i))/τ), from the [N, N] matrix of differences of
    /// the query's row (the official code's [N, N, N] tensor, here [Q, N, N] per chunk of Q queries, the
    /// (1 − I) mask times the query's column mask), then the ranks among the positives,
    /// R(i, P) = 1 + Σ_{j ∈ P, j ≠ i} σ(...), from the [|P|, |P|] differences of each query's positives, and
    /// AP_q = (1/|P|) Σ_{i ∈ P} R(i, P) / R(i, all); L = 1 − (1/N) Σ_q AP_q. O(N³) per batch.
    /// <para>
    /// Staged (always): the [Q, N, N] graph of all N queries is O(N³) memory (256 GB of float32 per kept tensor at
    /// N = 4000), so each chunk is back-propagated at once into ∂L/∂sim, and the call ends with
    /// <c>sim.backward(∂L/∂sim)</c>. The caller must not call <c>backward()</c>; the returned loss is detached.
    /// </para>
    /// </summary>
    /// <param name="queries">how many queries (the first ones) to process; the loss is their mean. Default: all.</param>
    public static Tensor SmoothApStep(Tensor sim, Tensor positives, double tau = 0.01, long budget = -1, long queries = -1, bool clampedSigmoid = false)
    {
        using var scope = NewDisposeScope();
        long n = sim.shape[0], p = positives.shape[1];
        long m = queries < 0 ? n : Math.Min(queries, n);
        var dtype = sim.dtype;
        var device = sim.device;
        using var invTau = (1.0 / tau).ToScalar();
        using var one = 1.0.ToScalar();
        using var perQuery = ((double)p).ToScalar();
        using var queryCount = ((double)Math.Max(1, m)).ToScalar();
        using var low = (-50.0).ToScalar();
        using var high = 50.0.ToScalar();

        var offDiagonal = eye(n, dtype: dtype, device: device).neg_().add_(one).unsqueeze(0);   // 1 − I over (i, j), [1, N, N]
        var offDiagonalPositives = eye(p, dtype: dtype, device: device).neg_().add_(one).unsqueeze(0); // [1, P, P]
        var jPosition = arange(0L, n, 1L, ScalarType.Int64, device).view(1, 1, n);

        var source = sim.detach().requires_grad_(true);
        if (budget <= 0) budget = SmoothApBudget;
        long chunk = Math.Max(1, budget / (n * n));
        Tensor total = zeros(Array.Empty<long>(), dtype: dtype, device: device);
        for (long q0 = 0; q0 < m; q0 += chunk)
        {
            long length = Math.Min(chunk, m - q0);
            using var chunkScope = NewDisposeScope();
            var s = source.narrow(0, q0, length);                                         // [Q, N]
            // D[q, i, j] = s(q, j) − s(q, i): the official sim_all_repeat − its permute, on the chunk's rows.
            var scaled = s.unsqueeze(1).sub(s.unsqueeze(2)).mul(invTau);                // [Q, N, N]
            var g = clampedSigmoid ? scaled.clamp(low, high).sigmoid() : scaled.sigmoid();
            var q = arange(q0, q0 + length, 1L, ScalarType.Int64, device).view(length, 1, 1);
            var mask = offDiagonal.mul(jPosition.ne(q).to_type(dtype));                 // j ≠ i and j ≠ q, [Q, N, N]
            var allRank = g.mul(mask).sum(new long[] { 2 }).add_(one);                  // R(i, all), [Q, N]

            var at = positives.narrow(0, q0, length);                                     // [Q, P]
            var sp = s.gather(1, at);                                                     // [Q, P]
            var scaledPositives = sp.unsqueeze(1).sub(sp.unsqueeze(2)).mul(invTau);     // [Q, P, P]
            var gp = clampedSigmoid ? scaledPositives.clamp(low, high).sigmoid() : scaledPositives.sigmoid();
            var positiveRank = gp.mul(offDiagonalPositives).sum(new long[] { 2 }).add_(one); // R(i, P), [Q, P]

            var ap = positiveRank.div(allRank.gather(1, at)).sum(new long[] { 1 }).div(perQuery); // AP_q, [Q]
            var part = ap.sum();
            part.div(queryCount).neg().backward();                                        // ∂(−Σ AP / M)/∂sim into source.grad
            total.add_(part.detach());
        }
        var loss = total.div(queryCount).neg().add_(one);
        // With no query processed (queries = 0, used to time the fixed part of a call) sim's backward still runs.
        using (var grad = source.grad ?? zeros_like(sim))
        {
            sim.backward(new[] { grad });
        }
        return loss.MoveToOuterDisposeScope();
    }
}
