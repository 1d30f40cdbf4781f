using System;
using MetricLoss.Catalog;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks.Ranking;

/// <summary>
/// One side of a ranking comparison: a call that computes sim = E·Eᵀ from the batch's embeddings and the loss.
/// Not staged: the step then calls <c>backward()</c> on the returned loss. Staged: the call has already
/// back-propagated (into E.grad) and returns the detached loss.
/// </summary>
public sealed record RankingCase(string Comparison, string Side, bool IsGenerated, bool Staged, Func<RankingInputs, Tensor> Call)
{
    /// <summary>One training-style step: forward, backward into E.grad, everything disposed, the gradient dropped.</summary>
    public void Step(RankingInputs inputs)
    {
        using (var scope = NewDisposeScope())
        {
            var loss = Call(inputs);
            if (!Staged) loss.backward();
        }
        inputs.Embeddings.grad = null;
    }

    /// <summary>The same step, returning the loss value and a copy of ∂L/∂E (caller disposes).</summary>
    public (double Loss, Tensor Grad) StepWithGradient(RankingInputs inputs)
    {
        double value;
        Tensor grad;
        using (var scope = NewDisposeScope())
        {
            var loss = Call(inputs);
            if (!Staged) loss.backward();
            value = loss.to_type(TorchSharp.torch.ScalarType.Float64).item<double>();
            grad = inputs.Embeddings.grad!.detach().clone().DetachFromDisposeScope();
        }
        inputs.Embeddings.grad = null;
        return (value, grad);
    }
}

/// <summary>The comparisons of the ranking modes.</summary>
public static class RankingCases
{
    public const string RsAtK = "RS@k (RecallAtK)";
    public const string SmoothAp = "Smooth-AP (MeanAveragePrecision)";

    /// <summary>Generated RecallAtK.Loss on (sim, pos, valid): the query excluded by valid[q, q] = pos[q, q] = false.</summary>
    public static readonly RankingCase GeneratedRecallAtK = new(RsAtK, "generated RecallAtK.Loss", true, false,
        static x => RecallAtK.Loss(x.Similarity(), x.Pos, x.Valid));

    /// <summary>
    /// Generated RecallAtK.Loss with MaxPairwiseElements raised to the whole [N, N, |P|] term: one graph kept for
    /// backward, as the official code keeps it (the default budget, 2^24, recomputes beyond N ≈ 2 365 instead).
    /// </summary>
    public static readonly RankingCase GeneratedRecallAtKWholeGraph = new(RsAtK, "generated RecallAtK.Loss, MaxPairwiseElements = N²·|P| (one graph, as the official code)", true, false,
        static x => RecallAtK.Loss(x.Similarity(), x.Pos, x.Valid, new RecallAtK.Options { MaxPairwiseElements = WholeGraphBudget(x.N) }));

    /// <summary>The budget that holds RS@k's whole pairwise term at this N (never below the default).</summary>
    public static long WholeGraphBudget(long n) => Math.Max(1L << 24, n * n * (RankingInputs.PerClass - 1));

    /// <summary>Whether the whole-graph budget differs from the default at this N (otherwise both sides are one program).</summary>
    public static bool WholeGraphDiffers(long n) => WholeGraphBudget(n) > 1L << 24;

    /// <summary>Calibration: sim = E·Eᵀ and the backward of its sum, which every step of both sides contains.</summary>
    public static readonly RankingCase SimilarityOnly = new("(both sides)", "sim = E·Eᵀ alone (loss: its sum)", false, false,
        static x => x.Similarity().sum());

    /// <summary>Hand-written official RS@k: chunks of queries, one graph, one backward (the official code's structure).</summary>
    public static readonly RankingCase HandRecallAtK = new(RsAtK, "hand-written official RS@k (one graph)", false, false,
        static x => HandWrittenRanking.RecallAtKLoss(x.Similarity(), x.PositiveIndex));

    /// <summary>Hand-written official RS@k, each chunk back-propagated at once (memory-bounded, docs/surrogates.md §3.5).</summary>
    public static readonly RankingCase HandRecallAtKStaged = new(RsAtK, "hand-written official RS@k, staged per chunk", false, true,
        static x => HandWrittenRanking.RecallAtKLoss(x.Similarity(), x.PositiveIndex, staged: true));

    /// <summary>
    /// Generated MeanAveragePrecision.Loss on the N × (N − 1) lists without their queries (the catalogue's way to
    /// leave a query out of its own list: drop its column; the gather is inside the measured call).
    /// </summary>
    public static readonly RankingCase GeneratedMeanAveragePrecision = new(SmoothAp, "generated MeanAveragePrecision.Loss", true, false,
        static x => MeanAveragePrecision.Loss(x.Similarity().gather(1, x.OtherColumns), x.LabelWithoutSelf));

    /// <summary>
    /// Generated MeanAveragePrecision.Loss under the hand-written Smooth-AP's element budget: both sides then keep no
    /// intermediate above the same size (the default budget, 2^24, keeps the whole graph up to N ≈ 2 365).
    /// </summary>
    public static readonly RankingCase GeneratedMeanAveragePrecisionHandBudget = new(SmoothAp, "generated MeanAveragePrecision.Loss, MaxPairwiseElements = the hand-written Smooth-AP's chunk budget", true, false,
        static x => MeanAveragePrecision.Loss(x.Similarity().gather(1, x.OtherColumns), x.LabelWithoutSelf,
            new MeanAveragePrecision.Options { MaxPairwiseElements = HandWrittenRanking.SmoothApBudget }));

    /// <summary>Whether the hand-written budget makes the generated mAP chunk at this N (otherwise it is the default program).</summary>
    public static bool HandBudgetDiffers(long n) => n * (n - 1) * (RankingInputs.PerClass - 1) > HandWrittenRanking.SmoothApBudget;

    /// <summary>Hand-written official Smooth-AP (all N ranks per query, O(N³)), staged per chunk of queries.</summary>
    public static RankingCase HandSmoothAp(long queries = -1) => new(SmoothAp,
        queries < 0 ? "hand-written official Smooth-AP (staged)" : $"hand-written official Smooth-AP (staged), first {queries} queries",
        false, true,
        x => HandWrittenRanking.SmoothApStep(x.Similarity(), x.PositiveIndex, queries: queries));
}
