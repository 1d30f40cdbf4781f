using MetricLoss.Dsl.Interpretation;
using static MetricLoss.Dsl.Tests.Interpretation.Kit;

namespace MetricLoss.Dsl.Tests.Interpretation;

/// <summary>
/// The exact value of every normative example on tiny inputs, worked out by hand (the arithmetic is in
/// the comments); where scikit-learn defines the metric, its value (1.2.1) agreed and is noted.
/// </summary>
public class NormativeExactTests
{
    [Fact]
    public void F1_counts_a_score_equal_to_the_threshold_as_negative()
    {
        // pred = score > 0 = [1, 0, 0, 1, 0] (index 1 and 4 sit exactly on the threshold):
        // tp = 1 (0), fp = 1 (3), fn = 1 (1, the tie)  =>  2·1 / (2 + 1 + 1) = 0.5 = f1_score.
        var inputs = Inputs(("score", Vec(0.5, 0, -1, 2, 0)), ("label", Labels(1, 1, 0, 0, 0)));
        Assert.Equal(0.5, ReferenceInterpreter.Exact(Normative("F1"), inputs), 12);
    }

    [Fact]
    public void F1_reads_the_threshold_option()
    {
        // threshold −0.5: pred = [1, 1, 0, 1, 1]: tp = 2, fp = 2, fn = 0  =>  4 / 6.
        var inputs = Inputs(("score", Vec(0.5, 0, -1, 2, 0)), ("label", Labels(1, 1, 0, 0, 0)));
        Assert.Equal(2.0 / 3, ReferenceInterpreter.Exact(Normative("F1"), inputs, Options(("threshold", -0.5))), 12);
    }

    [Fact]
    public void F1_is_zero_when_nothing_is_predicted_and_nothing_is_positive()
    {
        // 0 / 0 = 0 (zero_division=0).
        var inputs = Inputs(("score", Vec(-1, -2)), ("label", Labels(0, 0)));
        Assert.Equal(0.0, ReferenceInterpreter.Exact(Normative("F1"), inputs));
    }

    [Fact]
    public void F1AnyLoss_thresholds_probabilities_strictly_at_one_half()
    {
        // pred = prob > 0.5 = [0, 1, 0, 1]: tp = 1, fp = 1, fn = 1 (the 0.5 positive)  =>  0.5.
        var inputs = Inputs(("prob", Vec(0.5, 0.7, 0.2, 0.9)), ("label", Labels(1, 1, 0, 0)));
        Assert.Equal(0.5, ReferenceInterpreter.Exact(Normative("F1AnyLoss"), inputs), 12);
    }

    [Fact]
    public void RocAuc_counts_a_tied_pair_half()
    {
        // Positives {0.9, 0.4}, negatives {0.4, 0.1}: pairs 1 + 1 + ½ + 1 = 3.5 of 4  =>  0.875 = roc_auc_score.
        var inputs = Inputs(("score", Vec(0.9, 0.4, 0.4, 0.1)), ("label", Labels(1, 1, 0, 0)));
        Assert.Equal(0.875, ReferenceInterpreter.Exact(Normative("RocAuc"), inputs), 12);
    }

    [Fact]
    public void RocAuc_without_negatives_is_zero()
    {
        // No pair: 0 / 0 = 0.
        var inputs = Inputs(("score", Vec(0.3, 0.2)), ("label", Labels(1, 1)));
        Assert.Equal(0.0, ReferenceInterpreter.Exact(Normative("RocAuc"), inputs));
    }

    [Fact]
    public void AveragePrecision_treats_ties_as_scikit_learn_does()
    {
        // Positives at 0.8 (tied with a negative), 0.5 and 0.3 (tied with a negative):
        // precision at each = 1/2, 2/3, 3/5; AP = (1/2 + 2/3 + 3/5) / 3 = 53/90 = average_precision_score.
        var inputs = Inputs(("score", Vec(0.8, 0.8, 0.5, 0.3, 0.3)), ("label", Labels(1, 0, 1, 1, 0)));
        Assert.Equal(53.0 / 90, ReferenceInterpreter.Exact(Normative("AveragePrecision"), inputs), 12);
    }

    [Fact]
    public void AveragePrecision_is_one_when_every_positive_comes_first()
    {
        var inputs = Inputs(("score", Vec(0.1, 0.9, 0.8, 0.2)), ("label", Labels(0, 1, 1, 0)));
        Assert.Equal(1.0, ReferenceInterpreter.Exact(Normative("AveragePrecision"), inputs), 12);
    }

    private static Dictionary<string, DenseArray> RecallInputs() => Inputs(
        // Query 0 is item 0 (invalid, most similar to itself); query 1 is item 1.
        ("sim", Mat(new[,] { { 1.0, 0.8, 0.6, 0.2 }, { 0.5, 0.9, 0.7, 0.1 } })),
        ("pos", Mat(new double[,] { { 0, 0, 1, 1 }, { 1, 0, 0, 0 } })),
        ("valid", Mat(new double[,] { { 0, 1, 1, 1 }, { 1, 0, 1, 1 } })));

    [Fact]
    public void RecallAtK_averages_over_queries_and_the_default_ks()
    {
        // Ranks among valid items: query 0's positives rank 2 and 3 (item 0, invalid, does not push them);
        // query 1's positive ranks 2. recall[0, k=1,2,4,8,16] = 0, 1/2, 1, 1, 1; recall[1, ·] = 0, 1, 1, 1, 1.
        // Mean of the 10 values = 7.5 / 10.
        Assert.Equal(0.75, ReferenceInterpreter.Exact(Normative("RecallAtK"), RecallInputs()), 12);
    }

    [Fact]
    public void RecallAtK_takes_its_k_axis_from_the_vector_option()
    {
        // k = [1, 2]: (0 + 1/2 + 0 + 1) / 4.
        var options = new Dictionary<string, double[]> { ["k"] = new double[] { 1, 2 } };
        Assert.Equal(0.375, ReferenceInterpreter.Exact(Normative("RecallAtK"), RecallInputs(), options), 12);
    }

    private static readonly double[,] Logits = { { 2, 1, 0 }, { 1, 3, 3 }, { 0, 1, 2 } };

    [Theory]
    [InlineData(1, 2.0 / 3)]
    [InlineData(2, 2.0 / 3)]
    [InlineData(3, 1.0)]
    public void TopKAccuracy_counts_only_strictly_higher_logits(int k, double expected)
    {
        // targets [0, 1, 0]: higher = [0, 0 (the 3 = 3 tie is not higher), 2]; correct where higher < k.
        var inputs = Inputs(("logit", Mat(Logits)), ("target", Vec(0, 1, 0)));
        Assert.Equal(expected, ReferenceInterpreter.Exact(Normative("TopKAccuracy"), inputs, Options(("k", k))), 12);
    }

    [Fact]
    public void NdcgAtK_matches_dcg_over_ideal_dcg()
    {
        // Query 0: by score the gains come as 2, 0, 1, 3: DCG = 2/1 + 0/log2 3 + 1/2 + 3/log2 5;
        // ideal order 3, 2, 1, 0: IDCG = 3/1 + 2/log2 3 + 1/2. Query 1 has no gain: 0/0 = 0.
        // Mean = 0.39816689977224584 = ndcg_score (sklearn also scores an all-zero query 0).
        var dcg = 2 + 0 / Math.Log2(3) + 1.0 / 2 + 3 / Math.Log2(5);
        var idcg = 3 + 2 / Math.Log2(3) + 1.0 / 2;
        var inputs = Inputs(
            ("score", Mat(new[,] { { 0.1, 0.4, 0.3, 0.2 }, { 0.9, 0.8, 0.7, 0.6 } })),
            ("gain", Mat(new double[,] { { 3, 2, 0, 1 }, { 0, 0, 0, 0 } })));
        var value = ReferenceInterpreter.Exact(Normative("NdcgAtK"), inputs);
        Assert.Equal(dcg / idcg / 2, value, 12);
        Assert.Equal(0.39816689977224584, value, 12);
    }

    [Fact]
    public void NdcgAtK_cuts_both_dcgs_at_k()
    {
        // k = 2: DCG = 2 + 0; IDCG = 3 + 2/log2 3; ndcg_score(k=2) = 0.46927872602275644.
        var inputs = Inputs(("score", Mat(new[,] { { 0.1, 0.4, 0.3, 0.2 } })), ("gain", Mat(new double[,] { { 3, 2, 0, 1 } })));
        var value = ReferenceInterpreter.Exact(Normative("NdcgAtK"), inputs, Options(("k", 2)));
        Assert.Equal(2 / (3 + 2 / Math.Log2(3)), value, 12);
        Assert.Equal(0.46927872602275644, value, 12);
    }

    [Fact]
    public void AccuracyInterpolated_exact_is_plain_accuracy_with_ties_wrong()
    {
        // targets [0, 2, 2]: sample 0 wins outright, sample 1's target ties (3 = 3) so it is not correct,
        // sample 2 wins  =>  2/3.
        var inputs = Inputs(("logit", Mat(Logits)), ("target", Vec(0, 2, 2)));
        Assert.Equal(2.0 / 3, ReferenceInterpreter.Exact(Normative("AccuracyInterpolated"), inputs), 12);
    }
}
