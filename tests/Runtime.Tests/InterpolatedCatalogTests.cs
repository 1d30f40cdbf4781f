using MetricLoss.Catalog;
using MetricLoss.Dsl.Interpretation;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>The UniLoss catalogue (Catalog/Interpolated.metric): exact values against independent computations, smooth values well-behaved.</summary>
public class InterpolatedCatalogTests
{
    public static readonly string[] Names = { "AccuracyInterpolated", "AveragePrecisionInterpolated", "PckInterpolated" };

    [Fact]
    public void Accuracy_exact_is_the_argmax_accuracy_on_tie_free_logits()
    {
        var random = new Random(1);
        var logits = Enumerable.Range(0, 40).Select(_ => random.NextDouble()).ToArray();
        var targets = Enumerable.Range(0, 10).Select(_ => (long)random.Next(4)).ToArray();
        var expected = Enumerable.Range(0, 10).Count(n =>
            Enumerable.Range(0, 4).OrderByDescending(c => logits[n * 4 + c]).First() == targets[n]) / 10.0;
        Assert.Equal(expected, AccuracyInterpolated.Exact(tensor(logits).reshape(10, 4), tensor(targets)), 12);
    }

    [Fact]
    public void Average_precision_exact_equals_average_precision_when_no_two_positives_share_a_gap()
    {
        // Alternating labels by score: every gap between negatives holds at most one positive.
        var random = new Random(2);
        for (var trial = 0; trial < 10; trial++)
        {
            var n = random.Next(4, 30);
            var scores = Enumerable.Range(0, n).Select(_ => random.NextDouble()).ToArray();
            var order = Enumerable.Range(0, n).OrderByDescending(i => scores[i]).ToArray();
            var labels = new bool[n];
            var previousPositive = false;
            foreach (var i in order)
            {
                labels[i] = !previousPositive && random.Next(2) == 0;
                previousPositive = labels[i];
            }
            if (!labels.Any(l => l)) labels[order[0]] = true;
            Assert.Equal(AveragePrecision.Exact(scores, labels), AveragePrecisionInterpolated.Exact(scores, labels), 12);
        }
    }

    [Fact]
    public void Average_precision_exact_counts_positives_in_one_gap_as_tied()
    {
        // Scores 4 3 2 1 with labels + + - +: the first two positives share a gap (tied: precision 2/2 each),
        // the last has 1 negative above: precision 3/4. AP = (1 + 1 + 0.75) / 3.
        var value = AveragePrecisionInterpolated.Exact(new double[] { 4, 3, 2, 1 }, new[] { true, true, false, true });
        Assert.Equal((1 + 1 + 0.75) / 3, value, 12);
    }

    [Fact]
    public void Pck_exact_is_one_when_the_heatmap_maximum_is_inside()
    {
        var random = new Random(3);
        const int joints = 6, pixels = 16;
        var heat = Enumerable.Range(0, joints * pixels).Select(_ => random.NextDouble()).ToArray();
        var inside = Enumerable.Range(0, joints * pixels).Select(k => k % pixels < 4 + k / pixels % 3).ToArray();
        var expected = Enumerable.Range(0, joints).Count(b =>
        {
            var best = Enumerable.Range(0, pixels).OrderByDescending(p => heat[b * pixels + p]).First();
            return inside[b * pixels + best];
        }) / (double)joints;
        Assert.Equal(expected, PckInterpolated.Exact(tensor(heat).reshape(joints, pixels), tensor(inside).reshape(joints, pixels)), 12);
    }

    [Fact]
    public void Exact_values_equal_the_reference_interpreter()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "catalog", "Interpolated.metric"));
        var metrics = MetricLoss.Dsl.MetricCompiler.Compile(text, null).Metrics.ToDictionary(m => m.Name);
        var random = new Random(4);
        for (var trial = 0; trial < 8; trial++)
        {
            var scores = Enumerable.Range(0, 9).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray();
            var labels = Enumerable.Range(0, 9).Select(_ => random.Next(3) == 0).ToArray();
            var inputs = new Dictionary<string, DenseArray> { ["score"] = DenseArray.Vector(scores), ["label"] = DenseArray.Bools(labels) };
            Assert.Equal(ReferenceInterpreter.Exact(metrics["AveragePrecisionInterpolated"], inputs), AveragePrecisionInterpolated.Exact(scores, labels), 12);
        }
    }

    [Fact]
    public void Smooth_values_are_finite_deterministic_and_differentiable()
    {
        var options = new AveragePrecisionInterpolated.Options { Seed = 9 };
        var score = tensor(new double[] { 0.9, 0.1, 0.5, 0.7, 0.3, 0.2 }).requires_grad_(true);
        var label = tensor(new[] { true, false, true, false, false, true });
        var first = AveragePrecisionInterpolated.Smooth(score, label, options);
        var second = AveragePrecisionInterpolated.Smooth(score, label, options);
        Assert.Equal(first.item<double>(), second.item<double>());
        AveragePrecisionInterpolated.Loss(score, label, options).backward();
        Assert.False(score.grad!.isnan().any().item<bool>());
        Assert.True(score.grad!.abs().sum().item<double>() > 0);

        var heat = randn(3, 8, dtype: float64).requires_grad_(true);
        var inside = tensor(Enumerable.Range(0, 24).Select(k => k % 8 < 2).ToArray()).reshape(3, 8);
        var pck = PckInterpolated.Loss(heat, inside, new PckInterpolated.Options { Seed = 1, AnchorsGood = 8, AnchorsNearby = 8, AnchorsRandom = 8 });
        pck.backward();
        Assert.False(heat.grad!.isnan().any().item<bool>());
    }
}
