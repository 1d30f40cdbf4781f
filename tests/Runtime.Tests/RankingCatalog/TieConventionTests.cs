using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>
/// The tie conventions the comments of Ranking.metric and MultiClass.metric state, pinned on hand-checked inputs:
/// strict ranks (<c>&gt;</c>) resolve ties optimistically, AveragePrecision's <c>&gt;=</c> pessimistically (as
/// scikit-learn), RocAuc's step counts a tie ½, and an exactly tied maximum predicts no class.
/// </summary>
public sealed class TieConventionTests
{
    private static double Exact(string metric, Dictionary<string, double[]>? options, params Tensor[] inputs)
    {
        var m = RankingMetric.Get(metric);
        return m.Exact(inputs, m.Options(options));
    }

    private static Dictionary<string, double[]> K(double k) => new() { ["k"] = new[] { k } };

    [Fact]
    public void Strict_ranks_give_every_member_of_a_tie_group_its_best_position()
    {
        using var scope = torch.NewDisposeScope();
        // A negative tied with the only positive at the top: the positive still has rank 1.
        var score = tensor(new[] { 0.9, 0.9, 0.1 }).reshape(1, 3);
        var label = tensor(new[] { false, true, false }).reshape(1, 3);
        Assert.Equal(1.0, Exact("MeanReciprocalRank", null, score, label), 12);
        Assert.Equal(1.0, Exact("PrecisionAtK", K(1), score, label), 12);
        Assert.Equal(1.0, Exact("RetrievalRecallAtK", K(1), score, label, ones(1, 3, dtype: ScalarType.Bool)), 12);
        Assert.Equal(1.0, Exact("RecallAtK", K(1), score, label, ones(1, 3, dtype: ScalarType.Bool)), 12);
        // AveragePrecision counts the tied negative above the positive (scikit-learn: 0.5).
        Assert.Equal(0.5, Exact("MeanAveragePrecision", null, score, label), 12);
        // RocAuc counts the tie ½ (1 pair won, 1 pair tied out of 2).
        Assert.Equal(0.75, Exact("RocAuc", null, tensor(new[] { 0.9, 0.9, 0.1 }), tensor(new[] { false, true, false })), 12);
    }

    [Fact]
    public void With_ties_more_than_k_items_are_within_the_top_k()
    {
        using var scope = torch.NewDisposeScope();
        // All tied: every item has rank 1.
        var score = zeros(1, 3, dtype: float64);
        var gain = tensor(new[] { 3.0, 0.0, 1.0 }).reshape(1, 3);
        // NDCG: DCG = (3 + 0 + 1)/log2(2) = 4 > ideal DCG 3 + 1/log2(3): NDCG exceeds 1.
        Assert.Equal(4 / (3 + 1 / Math.Log2(3)), Exact("NdcgAtK", null, score, gain), 12);
        // Precision@1 with 2 positives all tied: 2 positives "within the top 1", clamped at k: 1.
        Assert.Equal(1.0, Exact("PrecisionAtK", K(1), score, tensor(new[] { true, false, true }).reshape(1, 3)), 12);
        // RS@1 clamps its numerator the same way: min(2, 1) / min(1, 2) = 1.
        Assert.Equal(1.0, Exact("RecallAtK", K(1), score, tensor(new[] { true, false, true }).reshape(1, 3), ones(1, 3, dtype: ScalarType.Bool)), 12);
        // TopKAccuracy: a target tied with every other class is "top 1".
        Assert.Equal(1.0, Exact("TopKAccuracy", K(1), zeros(2, 4, dtype: float64), tensor(new long[] { 0, 3 })), 12);
    }

    [Fact]
    public void A_tied_maximum_predicts_no_class()
    {
        using var scope = torch.NewDisposeScope();
        // Sample 0: classes 0 and 1 tied at the top (true class 0): no prediction, a false negative for class 0.
        // Sample 1: class 2 predicted and true.
        var logit = tensor(new[] { 1.0, 1.0, 0.0, 0.0, 0.5, 2.0 }).reshape(2, 3);
        var label = tensor(new[] { true, false, false, false, false, true }).reshape(2, 3);
        // Micro: tp = 1, fp = 0, fn = 1: 2/3 (scikit-learn's argmax would predict class 0: accuracy 1).
        Assert.Equal(2.0 / 3.0, Exact("MicroF1MultiClass", null, logit, label), 12);
        // Macro: class 0: 0 (tp 0, fn 1); class 1: 0 (0/0); class 2: 1. Mean 1/3.
        Assert.Equal(1.0 / 3.0, Exact("MacroF1MultiClass", null, logit, label), 12);
    }

    [Fact]
    public void A_score_equal_to_the_threshold_is_predicted_negative()
    {
        using var scope = torch.NewDisposeScope();
        var score = tensor(new[] { 0.0, 1.0 }).reshape(2, 1);
        var label = tensor(new[] { true, true }).reshape(2, 1);
        // tp = 1, fn = 1: F1 = 2/3.
        Assert.Equal(2.0 / 3.0, Exact("MacroF1MultiLabel", null, score, label), 12);
        Assert.Equal(2.0 / 3.0, Exact("MicroF1MultiLabel", null, score, label), 12);
    }

    [Fact]
    public void Queries_without_positives_count_where_the_definitions_say_so()
    {
        using var scope = torch.NewDisposeScope();
        var score = tensor(new[] { 0.9, 0.1, 0.8, 0.2 }).reshape(2, 2);
        var label = tensor(new[] { true, false, false, false }).reshape(2, 2);
        var valid = ones(2, 2, dtype: ScalarType.Bool);
        // Not counted: mAP, MRR, the hit rate (mean over the 1 query with a positive).
        Assert.Equal(1.0, Exact("MeanAveragePrecision", null, score, label), 12);
        Assert.Equal(1.0, Exact("MeanReciprocalRank", null, score, label), 12);
        Assert.Equal(1.0, Exact("RetrievalRecallAtK", null, score, label, valid), 12);
        // Counted with 0: RS@k (0/0 = 0 for every k), Precision@k (0/k).
        Assert.Equal(0.5, Exact("RecallAtK", K(1), score, label, valid), 12);
        Assert.Equal(0.5, Exact("PrecisionAtK", K(1), score, label), 12);
    }
}
