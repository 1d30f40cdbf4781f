using Integration.Tests.Evaluators;
using MetricLoss.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace Integration.Tests;

/// <summary>
/// User metrics of each evaluator state kind (Metrics/Evaluators.metric, through the real build): the kind the
/// generator derived, Compute equal to Exact on the concatenation of batches merged through ToState/FromState, the
/// state's size, bins for a ROC AUC under other names, and a metric whose batches cannot be merged.
/// </summary>
public class EvaluatorKindsTests
{
    [Fact]
    public void Each_user_metric_gets_the_state_kind_of_its_definition()
    {
        Assert.Equal((EvaluatorStateKind.SufficientStatistics, "2·c"), (WeightedMacroPrecision.Info.EvaluatorState.Kind, WeightedMacroPrecision.Info.EvaluatorState.Size));
        Assert.Equal(EvaluatorStateKind.PerRow, TopHitShare.Info.EvaluatorState.Kind);
        Assert.Equal(EvaluatorStateKind.Ranks, PairwiseOrder.Info.EvaluatorState.Kind);
        Assert.True(PairwiseOrder.Info.EvaluatorState.SupportsBins);
        Assert.Equal(EvaluatorStateKind.Batches, Concordance.Info.EvaluatorState.Kind);
        Assert.False(Concordance.Info.EvaluatorState.SupportsBins);
        Assert.Equal(EvaluatorStateKind.Batches, PartnerAgreement.Info.EvaluatorState.Kind);
        Assert.False(PartnerAgreement.Info.EvaluatorState.Mergeable);
        Assert.True(WeightedMacroPrecision.Info.EvaluatorState.Mergeable);
    }

    [Fact]
    public void Batches_merged_through_their_states_compute_Exact_of_the_whole_set()
    {
        using var scope = NewDisposeScope();
        var random = new Random(11);
        var score = Round(rand(60, 3, dtype: float64) * 2 - 1);
        var label = rand(60, 3) > 0.5;
        Check(WeightedMacroPrecision.Exact(score, label), 60, (start, length) => Evaluator(new WeightedMacroPrecision.Evaluator(), e => e.Update(score.narrow(0, start, length), label.narrow(0, start, length))), state => WeightedMacroPrecision.Evaluator.FromState(state));

        var sim = Round(rand(30, 7, dtype: float64));
        var positive = rand(30, 7) > 0.7;
        Check(TopHitShare.Exact(sim, positive), 30, (start, length) => Evaluator(new TopHitShare.Evaluator(), e => e.Update(sim.narrow(0, start, length), positive.narrow(0, start, length))), state => TopHitShare.Evaluator.FromState(state));

        var s = Round(rand(80, dtype: float64));
        var y = rand(80) > 0.5;
        Check(PairwiseOrder.Exact(s, y), 80, (start, length) => Evaluator(new PairwiseOrder.Evaluator(), e => e.Update(s.narrow(0, start, length), y.narrow(0, start, length))), state => PairwiseOrder.Evaluator.FromState(state));
        var target = Round(rand(80, dtype: float64));
        Check(Concordance.Exact(s, target), 80, (start, length) => Evaluator(new Concordance.Evaluator(), e => e.Update(s.narrow(0, start, length), target.narrow(0, start, length))), state => Concordance.Evaluator.FromState(state));
    }

    [Fact]
    public void The_sum_kinds_keep_as_many_numbers_for_ten_times_the_items()
    {
        using var scope = NewDisposeScope();
        int StateSize(long items)
        {
            var evaluator = new WeightedMacroPrecision.Evaluator();
            var rows = new TopHitShare.Evaluator();
            for (var start = 0L; start < items; start += 50)
            {
                evaluator.Update(rand(50, 3, dtype: float64) - 0.5, rand(50, 3) > 0.5);
                rows.Update(rand(50, 9, dtype: float64), rand(50, 9) > 0.5);
            }
            return evaluator.ToState().Inputs.Sum(i => i.Data.Length) + 1000 * rows.ToState().Inputs.Sum(i => i.Data.Length);
        }
        Assert.Equal(StateSize(100), StateSize(1000));
        Assert.Equal(2 * 3 + 1000 * 2, StateSize(100)); // tp[c] and predicted[c]; two sums over the queries
    }

    [Fact]
    public void A_ROC_AUC_under_other_names_keeps_bins_within_its_bound()
    {
        using var scope = NewDisposeScope();
        var s = rand(500, dtype: float64);
        var y = rand(500) > 0.5;
        var binned = new PairwiseOrder.Evaluator(new EvaluatorBins(64));
        binned.Update(s.narrow(0, 0, 200), y.narrow(0, 0, 200));
        binned.Update(s.narrow(0, 200, 300), y.narrow(0, 200, 300));
        Assert.Equal(EvaluatorStateKind.Bins, binned.StateKind);
        Assert.True(Math.Abs(binned.Compute() - PairwiseOrder.Exact(s, y)) <= binned.ErrorBound);
        Assert.True(binned.ErrorBound < 0.01);
    }

    [Fact]
    public void A_metric_whose_batches_cannot_be_joined_takes_one_batch_and_refuses_to_merge()
    {
        using var scope = NewDisposeScope();
        var score = tensor(new[] { 1.0, -1.0, 2.0 }, dtype: float64);
        var partner = tensor(new long[] { 2, 0, 0 });
        var evaluator = new PartnerAgreement.Evaluator();
        evaluator.Update(score, partner);
        Assert.Equal(PartnerAgreement.Exact(score, partner), evaluator.Compute(), 12);
        var second = Assert.Throws<InvalidOperationException>(() => evaluator.Update(score, partner));
        Assert.Contains("cannot be assembled from batches", second.Message);
        var other = new PartnerAgreement.Evaluator();
        var merge = Assert.Throws<InvalidOperationException>(() => evaluator.Merge(other));
        Assert.Contains("Mergeable is false", merge.Message);
    }

    /// <summary>Splits [0, size) into batches of 0 to 9 positions over three evaluators, merges their carried states, compares with Exact.</summary>
    private static void Check<T>(double exact, long size, Func<long, long, T> updated, Func<EvaluatorState, T> fromState)
        where T : MetricEvaluator
    {
        var random = new Random(3);
        var parts = new List<T>();
        for (var start = 0L; start < size;)
        {
            var length = Math.Min(size - start, random.Next(0, 10));
            parts.Add(updated(start, length));
            start += length;
        }
        var merged = fromState(parts[0].ToState());
        foreach (var part in parts.Skip(1).OrderBy(_ => random.Next())) merged.Merge(fromState(part.ToState()));
        Assert.Equal(size, merged.Count);
        Assert.Equal(exact, merged.Compute(), 12);
    }

    private static T Evaluator<T>(T evaluator, Action<T> update)
    {
        update(evaluator);
        return evaluator;
    }

    /// <summary>Values on a grid of 0.1, so that ties occur.</summary>
    private static Tensor Round(Tensor values) => (values * 10).round() / 10;
}
