using MetricLoss.Dsl.Interpretation;
using static MetricLoss.Dsl.Tests.Interpretation.Kit;

namespace MetricLoss.Dsl.Tests.Interpretation;

/// <summary>
/// The smooth program: each normative example's surrogate written out by hand from the semantics table
/// (relax((a − b)/τ) for every score-dependent comparison, everything else as in the exact program).
/// </summary>
public class SmoothTests
{
    [Fact]
    public void F1_relaxes_each_prediction_with_the_sigmoid()
    {
        double[] s = { 0.5, -0.2, 0.1 };
        var inputs = Inputs(("score", Vec(s)), ("label", Labels(1, 0, 0)));
        var tp = Sigmoid(s[0]);
        var fp = Sigmoid(s[1]) + Sigmoid(s[2]);
        var fn = 1 - Sigmoid(s[0]);
        var expected = 2 * tp / (2 * tp + fp + fn);
        Assert.Equal(expected, ReferenceInterpreter.Smooth(Normative("F1"), inputs), 12);
        Assert.Equal(1 - expected, ReferenceInterpreter.Loss(Normative("F1"), inputs), 12);
    }

    [Fact]
    public void F1_divides_the_margin_by_the_tau_option_and_subtracts_the_threshold()
    {
        double[] s = { 0.5, -0.2, 0.1 };
        var inputs = Inputs(("score", Vec(s)), ("label", Labels(1, 0, 0)));
        double P(double x) => Sigmoid((x - 0.1) / 0.25);
        var expected = 2 * P(s[0]) / (2 * P(s[0]) + P(s[1]) + P(s[2]) + (1 - P(s[0])));
        var options = Options(("tau", 0.25), ("threshold", 0.1));
        Assert.Equal(expected, ReferenceInterpreter.Smooth(Normative("F1"), inputs, options), 12);
    }

    [Fact]
    public void F1_with_the_linear_relaxation_uses_one_half_plus_a_quarter_of_the_margin()
    {
        // relax = ½ + x/4: 0.625, 0.45, 0.525.
        var inputs = Inputs(("score", Vec(0.5, -0.2, 0.1)), ("label", Labels(1, 0, 0)));
        var expected = 2 * 0.625 / (2 * 0.625 + 0.45 + 0.525 + 0.375);
        Assert.Equal(expected, ReferenceInterpreter.Smooth(Normative("F1"), inputs, settings: Linear), 12);
        Assert.NotEqual(ReferenceInterpreter.Smooth(Normative("F1"), inputs), ReferenceInterpreter.Smooth(Normative("F1"), inputs, settings: Linear), 6);
    }

    [Fact]
    public void F1_with_the_smoothstep_relaxation_uses_the_hermite_cubic_of_the_margin()
    {
        // relax = 3s² − 2s³ with s = (x + 3)/6, which is ½ + x/4 − x³/108 on (−3, 3).
        static double Cubic(double x)
        {
            var s = (x + 3) / 6;
            return 3 * s * s - 2 * s * s * s;
        }
        var inputs = Inputs(("score", Vec(0.5, -0.2, 0.1)), ("label", Labels(1, 0, 0)));
        var (tp, fp1, fp2) = (Cubic(0.5), Cubic(-0.2), Cubic(0.1));
        var expected = 2 * tp / (2 * tp + fp1 + fp2 + (1 - tp));
        Assert.Equal(expected, ReferenceInterpreter.Smooth(Normative("F1"), inputs, settings: Smoothstep), 12);
        Assert.NotEqual(ReferenceInterpreter.Smooth(Normative("F1"), inputs, settings: Linear), ReferenceInterpreter.Smooth(Normative("F1"), inputs, settings: Smoothstep), 6);
    }

    [Fact]
    public void The_smoothstep_relaxation_saturates_at_three_and_not_before()
    {
        // Margins ±3: exactly 1 and 0, so F1 = 1; margins ±2.5 stay inside (0, 1), where the linear ramp has saturated.
        Assert.Equal(1.0, ReferenceInterpreter.Smooth(Normative("F1"), Inputs(("score", Vec(3, -3)), ("label", Labels(1, 0))), settings: Smoothstep));
        var inside = Inputs(("score", Vec(2.5, -2.5)), ("label", Labels(1, 0)));
        Assert.True(ReferenceInterpreter.Smooth(Normative("F1"), inside, settings: Smoothstep) < 1);
        Assert.Equal(1.0, ReferenceInterpreter.Smooth(Normative("F1"), inside, settings: Linear));
    }

    [Fact]
    public void The_linear_relaxation_saturates_where_the_sigmoid_does_not()
    {
        // Margins 3 and −3 (beyond ±2): linear gives exactly 1 and 0, so F1 = 1; the sigmoid stays inside (0, 1).
        var inputs = Inputs(("score", Vec(3, -3)), ("label", Labels(1, 0)));
        Assert.Equal(1.0, ReferenceInterpreter.Smooth(Normative("F1"), inputs, settings: Linear));
        var sigmoid = ReferenceInterpreter.Smooth(Normative("F1"), inputs);
        var tp = Sigmoid(3);
        Assert.Equal(2 * tp / (2 * tp + Sigmoid(-3) + (1 - tp)), sigmoid, 12);
        Assert.True(sigmoid < 0.99);
    }

    [Fact]
    public void F1AnyLoss_amplifies_the_probability_margin_by_73()
    {
        double[] p = { 0.5, 0.7, 0.2, 0.9 };
        var inputs = Inputs(("prob", Vec(p)), ("label", Labels(1, 1, 0, 0)));
        var pred = p.Select(x => Sigmoid((x - 0.5) * 73)).ToArray();
        var tp = pred[0] + pred[1];
        var fp = pred[2] + pred[3];
        var fn = (1 - pred[0]) + (1 - pred[1]);
        Assert.Equal(2 * tp / (2 * tp + fp + fn), ReferenceInterpreter.Smooth(Normative("F1AnyLoss"), inputs), 12);
    }

    [Fact]
    public void RocAuc_relaxes_the_step_of_each_positive_negative_difference()
    {
        double[] s = { 0.9, 0.4, 0.4, 0.1 };
        var inputs = Inputs(("score", Vec(s)), ("label", Labels(1, 1, 0, 0)));
        double W(int i, int j) => Sigmoid((s[i] - s[j]) / 0.05);
        var expected = (W(0, 2) + W(0, 3) + W(1, 2) + W(1, 3)) / 4;
        Assert.Equal(expected, ReferenceInterpreter.Smooth(Normative("RocAuc"), inputs), 12);
    }

    [Fact]
    public void AveragePrecision_relaxes_every_pair_but_the_item_itself()
    {
        // Smooth-AP: above[i] = 1 + Σ_{j≠i} σ((s_j − s_i)/τ). Including j = i would add σ(0) = ½.
        double[] s = { 0.8, 0.75, 0.5, 0.3 };
        int[] label = { 1, 0, 1, 1 };
        const double tau = 0.01;
        double sum = 0;
        for (var i = 0; i < s.Length; i++)
        {
            if (label[i] == 0) continue;
            double above = 1, positiveAbove = 1;
            for (var j = 0; j < s.Length; j++)
            {
                if (j == i) continue;
                var r = Sigmoid((s[j] - s[i]) / tau);
                above += r;
                positiveAbove += label[j] * r;
            }
            sum += positiveAbove / above;
        }
        var inputs = Inputs(("score", Vec(s)), ("label", Labels(label)));
        Assert.Equal(sum / 3, ReferenceInterpreter.Smooth(Normative("AveragePrecision"), inputs), 12);
    }

    [Fact]
    public void RecallAtK_uses_each_comparisons_own_temperature_option()
    {
        // RS@k: rank = 1 + Σ_{j≠i} valid_j σ((s_j − s_i)/τ_rank); hits = Σ_i pos_i σ((k − rank)/τ_k).
        double[] s = { 0.9, 0.6, 0.55, 0.2 };
        int[] valid = { 0, 1, 1, 1 }, pos = { 0, 1, 0, 1 };
        double[] ks = { 1, 3 };
        const double tauRank = 0.1, tauK = 0.5;
        var rank = new double[4];
        for (var i = 0; i < 4; i++)
        {
            rank[i] = 1;
            for (var j = 0; j < 4; j++) if (j != i) rank[i] += valid[j] * Sigmoid((s[j] - s[i]) / tauRank);
        }
        var total = 0.0;
        foreach (var k in ks)
        {
            var hits = Enumerable.Range(0, 4).Sum(i => pos[i] * Sigmoid((k - rank[i]) / tauK));
            total += Math.Min(hits, k) / Math.Min(k, 2);
        }
        var inputs = Inputs(
            ("sim", new DenseArray(s, 1, 4)),
            ("pos", new DenseArray(pos.Select(v => (double)v).ToArray(), 1, 4)),
            ("valid", new DenseArray(valid.Select(v => (double)v).ToArray(), 1, 4)));
        var options = new Dictionary<string, double[]> { ["k"] = ks, ["tau_rank"] = new[] { tauRank }, ["tau_k"] = new[] { tauK } };
        Assert.Equal(total / 2, ReferenceInterpreter.Smooth(Normative("RecallAtK"), inputs, options), 12);
    }

    [Fact]
    public void TopKAccuracy_relaxes_both_the_logit_comparisons_and_the_cut_at_k()
    {
        double[,] logit = { { 2, 1, 0 }, { 1, 3, 2.5 } };
        int[] target = { 0, 2 };
        var total = 0.0;
        for (var n = 0; n < 2; n++)
        {
            var higher = Enumerable.Range(0, 3).Where(c => c != target[n]).Sum(c => Sigmoid(logit[n, c] - logit[n, target[n]]));
            total += Sigmoid(2 - higher); // higher < k with k = 2, τ = 1: relax((k − higher)/τ)
        }
        var inputs = Inputs(("logit", Mat(logit)), ("target", Vec(0, 2)));
        Assert.Equal(total / 2, ReferenceInterpreter.Smooth(Normative("TopKAccuracy"), inputs, Options(("k", 2))), 12);
    }

    [Fact]
    public void NdcgAtK_relaxes_the_rank_and_the_cut_but_not_the_ideal_dcg()
    {
        double[] s = { 0.1, 0.4, 0.3, 0.2 }, g = { 3, 2, 0, 1 };
        const double tau = 0.1, k = 2;
        var dcg = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var rank = 1 + Enumerable.Range(0, 4).Where(j => j != i).Sum(j => Sigmoid((s[j] - s[i]) / tau));
            dcg += g[i] * Sigmoid((k - rank) / tau) / Math.Log2(1 + rank);
        }
        var idcg = 3 + 2 / Math.Log2(3);
        var inputs = Inputs(("score", new DenseArray(s, 1, 4)), ("gain", new DenseArray(g, 1, 4)));
        Assert.Equal(dcg / idcg, ReferenceInterpreter.Smooth(Normative("NdcgAtK"), inputs, Options(("k", k))), 12);
    }

    [Fact]
    public void Comparisons_of_constants_stay_exact_in_the_smooth_program()
    {
        // `w[n] > 0.5` reads no real input: never relaxed. `score[n] > 0` is.
        var metric = Compile("""
            metric M(score: real[n], w: const real[n], tau: real = 1) {
                maximize sum[n]((w[n] > 0.5) * (score[n] > 0));
            }
            """);
        var inputs = Inputs(("score", Vec(0.3, -0.4, 1)), ("w", Vec(0.9, 0.5, 0.2)));
        Assert.Equal(Sigmoid(0.3), ReferenceInterpreter.Smooth(metric, inputs), 12);
    }

    [Fact]
    public void An_at_annotation_overrides_tau()
    {
        var metric = Compile("""
            metric M(score: real[n], tau: real = 1) {
                maximize sum[n](((score[n] > 0) @ 0.25) + step(score[n]));
            }
            """);
        var inputs = Inputs(("score", Vec(0.3, -0.4)));
        var expected = Sigmoid(0.3 / 0.25) + Sigmoid(-0.4 / 0.25) + Sigmoid(0.3) + Sigmoid(-0.4);
        Assert.Equal(expected, ReferenceInterpreter.Smooth(metric, inputs), 12);
    }

    [Fact]
    public void Less_than_relaxes_the_reversed_margin()
    {
        var metric = Compile("""
            metric M(score: real[n], tau: real = 0.5) {
                maximize sum[n]((score[n] < 1) + (score[n] <= 1) + (1 >= score[n]));
            }
            """);
        var inputs = Inputs(("score", Vec(0.7)));
        Assert.Equal(3 * Sigmoid((1 - 0.7) / 0.5), ReferenceInterpreter.Smooth(metric, inputs), 12);
        Assert.Equal(3.0, ReferenceInterpreter.Exact(metric, inputs));
    }

    [Fact]
    public void Loss_of_a_minimized_metric_is_its_smooth_value()
    {
        var metric = Compile("""
            metric ErrorRate(score: real[n], label: bool[n], tau: real = 1) {
                minimize mean[n](label[n] & !(score[n] > 0) | !label[n] & (score[n] > 0));
            }
            """);
        var inputs = Inputs(("score", Vec(0.2, -1.5)), ("label", Labels(1, 1)));
        var smooth = ReferenceInterpreter.Smooth(metric, inputs);
        Assert.Equal(((1 - Sigmoid(0.2)) + (1 - Sigmoid(-1.5))) / 2, smooth, 12);
        Assert.Equal(smooth, ReferenceInterpreter.Loss(metric, inputs));
        Assert.Equal(0.5, ReferenceInterpreter.Exact(metric, inputs));
    }

    [Fact]
    public void A_nan_score_propagates_in_the_smooth_program_but_is_rejected_by_the_exact_one()
    {
        var inputs = Inputs(("score", Vec(double.NaN, 1)), ("label", Labels(1, 0)));
        Assert.True(double.IsNaN(ReferenceInterpreter.Smooth(Normative("F1"), inputs)));
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Exact(Normative("F1"), inputs));
        Assert.Contains("`score`", error.Message);
        Assert.Contains("NaN", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    public void A_temperature_that_is_not_positive_is_an_argument_error(double tau)
    {
        var inputs = Inputs(("score", Vec(0.5)), ("label", Labels(1)));
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Smooth(Normative("F1"), inputs, Options(("tau", tau))));
        Assert.Contains("`F1`", error.Message);
        Assert.Contains("`tau`", error.Message);
        // The exact program has no temperature to read.
        Assert.Equal(1.0, ReferenceInterpreter.Exact(Normative("F1"), inputs, Options(("tau", tau))));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1e-8)]
    [InlineData(double.NaN)]
    public void Epsilon_must_be_positive(double epsilon)
    {
        var inputs = Inputs(("score", Vec(0.5)), ("label", Labels(1)));
        var error = Assert.Throws<ArgumentException>(() => ReferenceInterpreter.Smooth(Normative("F1"), inputs, settings: new InterpreterSettings(Epsilon: epsilon)));
        Assert.Contains("Epsilon", error.Message);
    }

    [Fact]
    public void Smooth_and_loss_of_an_interpolated_metric_are_not_supported_with_a_clear_message()
    {
        var metric = Normative("AccuracyInterpolated");
        var inputs = Inputs(("logit", Mat(new double[,] { { 2, 1 } })), ("target", Vec(0)));
        var smooth = Assert.Throws<NotSupportedException>(() => ReferenceInterpreter.Smooth(metric, inputs));
        Assert.Contains("`AccuracyInterpolated`", smooth.Message);
        Assert.Contains("interpolat", smooth.Message);
        Assert.Contains("generated code", smooth.Message);
        Assert.Throws<NotSupportedException>(() => ReferenceInterpreter.Loss(metric, inputs));
        Assert.Equal(1.0, ReferenceInterpreter.Exact(metric, inputs));
    }
}
