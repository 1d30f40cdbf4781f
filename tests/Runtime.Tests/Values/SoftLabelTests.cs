using MetricLoss.Catalog;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Values;

/// <summary>
/// SoftDice and SoftJaccard (Catalog/SoftLabels.metric): the Dice semimetric loss (Wang et al., MICCAI 2023) and the
/// Jaccard metric loss JML1 (Wang, Ning, Blaschko, NeurIPS 2023). Their loss is minimised by the soft label itself,
/// they equal Dice and Jaccard on hard labels, and they are checked against the papers' formulas computed here.
/// </summary>
public sealed class SoftLabelTests
{
    public static readonly string[] MetricNames = { "SoftDice", "SoftJaccard" };

    public static TheoryData<string> Names => new(MetricNames);

    private static Tensor Loss(string name, Tensor prob, Tensor label) =>
        name == "SoftDice" ? SoftDice.Loss(prob, label) : SoftJaccard.Loss(prob, label);

    private static Tensor Smooth(string name, Tensor prob, Tensor label) =>
        name == "SoftDice" ? SoftDice.Smooth(prob, label) : SoftJaccard.Smooth(prob, label);

    private static double Exact(string name, Tensor prob, Tensor label) =>
        name == "SoftDice" ? SoftDice.Exact(prob, label) : SoftJaccard.Exact(prob, label);

    /// <summary>The papers' scores on plain doubles: with C = Σ(x + y) and D = Σ|x − y|, Dice = (C − D) / C and
    /// JML1's Jaccard = (C − D) / (C + D); 0 / 0 counts 0, as the catalogue's hard Dice and Jaccard.</summary>
    private static double Formula(string name, double[] x, double[] y)
    {
        var cardinality = x.Zip(y, (a, b) => a + b).Sum();
        var difference = x.Zip(y, (a, b) => Math.Abs(a - b)).Sum();
        var denominator = name == "SoftDice" ? cardinality : cardinality + difference;
        return denominator == 0 ? 0 : (cardinality - difference) / denominator;
    }

    /// <summary>The same through the JDTLosses code's counts: tp = (Σx + Σy − Σ|x − y|)/2, fp = Σx − tp, fn = Σy − tp,
    /// then Dice = 2tp / (2tp + fp + fn) and Jaccard = tp / (tp + fp + fn).</summary>
    private static double FromCounts(string name, double[] x, double[] y)
    {
        var tp = (x.Sum() + y.Sum() - x.Zip(y, (a, b) => Math.Abs(a - b)).Sum()) / 2;
        var fp = x.Sum() - tp;
        var fn = y.Sum() - tp;
        return name == "SoftDice" ? 2 * tp / (2 * tp + fp + fn) : tp / (tp + fp + fn);
    }

    private static double[] SoftLabels(Random random, int n) => Enumerable.Range(0, n).Select(_ => Math.Round(random.NextDouble(), 3)).ToArray();

    [Theory]
    [MemberData(nameof(Names))]
    public void The_loss_is_minimised_by_the_soft_label_itself(string name)
    {
        var random = new Random(11);
        for (var trial = 0; trial < 10; trial++)
        {
            using var scope = NewDisposeScope();
            var y = SoftLabels(random, 9);
            var label = tensor(y);
            var prob = tensor(y).requires_grad_(true);
            var atLabel = Loss(name, prob, label);
            Assert.Equal(0, Tensors.Value(atLabel), 12);
            atLabel.backward();
            Assert.All(Tensors.Values(prob.grad!), g => Assert.Equal(0, g, 12));

            // Lower than at any move of one coordinate, and than at random points of [0, 1]ⁿ.
            for (var i = 0; i < y.Length; i++)
            {
                foreach (var step in new[] { -0.05, 0.05 })
                {
                    var moved = (double[])y.Clone();
                    moved[i] = Math.Clamp(moved[i] + step, 0, 1);
                    if (moved[i] == y[i]) continue;
                    Assert.True(Tensors.Value(Loss(name, tensor(moved), label)) > 1e-6, $"{name}: moving coordinate {i} by {step} did not raise the loss");
                }
            }
            var elsewhere = SoftLabels(random, 9);
            Assert.True(Tensors.Value(Loss(name, tensor(elsewhere), label)) > 0);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_product_forms_optimum_is_not_the_soft_label_but_this_one_is(string name)
    {
        // One element with label 0.3: the relaxed Dice of the catalogue, 2xy / (x + y), prefers x = 1 to x = 0.3;
        // the soft-label form is 1 at x = 0.3 and lower at 1.
        using var scope = NewDisposeScope();
        var label = tensor(new[] { 0.3 });
        Assert.Equal(1, Tensors.Value(Smooth(name, tensor(new[] { 0.3 }), label)), 12);
        Assert.True(Tensors.Value(Smooth(name, tensor(new[] { 1.0 }), label)) < 1);
        var productAtLabel = 2 * 0.3 * 0.3 / (0.3 + 0.3);
        var productAtOne = 2 * 1 * 0.3 / (1 + 0.3);
        Assert.True(productAtOne > productAtLabel);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Smooth_and_exact_are_the_papers_formulas(string name)
    {
        var random = new Random(12);
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
        {
            for (var trial = 0; trial < 20; trial++)
            {
                using var scope = NewDisposeScope();
                var n = random.Next(1, 30);
                var x = SoftLabels(random, n);
                var y = SoftLabels(random, n);
                var expected = Formula(name, x, y);
                Assert.Equal(expected, FromCounts(name, x, y), 12);
                var digits = dtype == ScalarType.Float64 ? 12 : 5;
                Assert.Equal(expected, Tensors.Value(Smooth(name, Tensors.Scores(x, dtype), tensor(y))), digits);
                Assert.Equal(expected, Exact(name, Tensors.Scores(x, dtype), tensor(y)), digits);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void On_hard_labels_the_values_are_Dice_and_Jaccard(string name)
    {
        var random = new Random(13);
        for (var trial = 0; trial < 20; trial++)
        {
            using var scope = NewDisposeScope();
            var n = random.Next(1, 25);
            var score = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 6 - 3).ToArray();
            var hard = Enumerable.Range(0, n).Select(_ => random.Next(2) == 0).ToArray();
            var label = Tensors.Labels(hard, LabelKind.Float64);
            var scores = tensor(score);

            // Exact on hard predictions [score > 0] is the catalogue's Dice / Jaccard of the scores.
            var predictions = tensor(score.Select(s => s > 0 ? 1.0 : 0.0).ToArray());
            var hardValue = name == "SoftDice" ? Dice.Exact(scores, label) : Jaccard.Exact(scores, label);
            Assert.Equal(hardValue, Exact(name, predictions, label), 12);

            // Smooth on σ(score / τ) is the catalogue's relaxed Dice / Jaccard (threshold 0, τ = 1): on hard labels
            // |x − y| = x + y − 2xy, so the L1 form is the product form.
            var relaxed = name == "SoftDice" ? Dice.Smooth(scores, label) : Jaccard.Smooth(scores, label);
            Assert.Equal(Tensors.Value(relaxed), Tensors.Value(Smooth(name, scores.sigmoid(), label)), 12);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void The_gradient_away_from_the_label_matches_finite_differences(string name)
    {
        var y = new[] { 0.1, 0.8, 0.45, 0.0, 1.0, 0.6 };
        var x = new[] { 0.3, 0.5, 0.2, 0.25, 0.7, 0.9 }; // no coordinate at its label, at 0 or at 1: |x − y| and the clamp are smooth here
        using var scope = NewDisposeScope();
        var label = tensor(y);
        var check = GradientCheck.Compute(p => Loss(name, p, label), x);
        Assert.True(check.MaxAbsAnalytic > 0.01);
        GradientCheck.AssertClose(check, context: name);
    }
}
