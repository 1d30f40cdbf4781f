using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>The calculus of the surrogates: the τ → 0 limit, gradients against central differences, and the relaxations.</summary>
public sealed class SmoothSurrogateTests
{
    // ---- (a) smooth → exact as τ → 0 ----

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Smooth_tends_to_Exact_as_tau_tends_to_0(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var random = new Random(1000 + name.Length);
        for (var trial = 0; trial < 8; trial++)
        {
            // Scores at least 0.01 from the threshold: σ(0.01 / 1e-4) = σ(100) is 1 to within 4e-44. ε = 1e-20 keeps the
            // guards (max(b, ε), sqrt(max(x, ε)) = 1e-10 at worst) below the tolerance.
            var threshold = metric.IsAnyLoss ? 0.5 : Math.Round(random.NextDouble() * 2 - 1, 2);
            var batch = RandomBatch.AwayFrom(random, (trial % 2 == 0 ? 2 : 1) + random.Next(30), threshold, 0.01, metric.IsAnyLoss ? 0.49 : 3, bothClasses: trial % 2 == 0);
            var settings = new MetricSettings(Threshold: metric.IsAnyLoss ? null : threshold, Tau: 1e-4, Epsilon: 1e-20);
            using var scope = torch.NewDisposeScope();
            var score = Tensors.Scores(batch.Score, ScalarType.Float64);
            var label = Tensors.Labels(batch.Label);

            var exact = metric.Exact(score, label, settings);
            var smooth = Tensors.Value(metric.Smooth(score, label, settings));

            Assert.True(Math.Abs(smooth - exact) <= 1e-9, $"{name}, trial {trial}: smooth {smooth:R} vs exact {exact:R}");
        }
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Gap_between_Smooth_and_Exact_shrinks_with_tau(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var threshold = metric.IsAnyLoss ? 0.5 : 0.0;
        var batch = RandomBatch.AwayFrom(new Random(7), 24, threshold, 0.02, metric.IsAnyLoss ? 0.3 : 2);
        using var scope = torch.NewDisposeScope();
        var score = Tensors.Scores(batch.Score, ScalarType.Float64);
        var label = Tensors.Labels(batch.Label);
        var exact = metric.Exact(score, label);

        var gaps = new[] { 1.0, 0.1, 0.01, 0.001 }
            .Select(t => Math.Abs(Tensors.Value(metric.Smooth(score, label, new MetricSettings(Tau: t * (metric.IsAnyLoss ? 0.1 : 1), Epsilon: 1e-20))) - exact))
            .ToArray();

        Assert.True(gaps[0] > 1e-3, $"{name}: at a large τ the surrogate should differ from the exact value (gap {gaps[0]})");
        Assert.True(gaps[^1] < 1e-6, $"{name}: gaps {string.Join(", ", gaps)}");
        Assert.True(gaps[^1] < gaps[0], $"{name}: gaps {string.Join(", ", gaps)}");
    }

    // ---- (b) gradients against central differences ----

    [Theory]
    [MemberData(nameof(CatalogMetrics.LogitNames), MemberType = typeof(CatalogMetrics))]
    public void Loss_gradient_matches_central_differences_with_sigmoid(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var random = new Random(20 + name.Length);
        for (var trial = 0; trial < 3; trial++)
        {
            var batch = BothClasses(random, 6 + random.Next(12), center: 0.3, spread: 1.5);
            var settings = new MetricSettings(Threshold: 0.3, Tau: 1, Beta: metric.HasOption("beta") ? 0.5 + trial : null);

            var result = GradientOfLoss(metric, batch, settings);

            Assert.True(result.MaxAbsAnalytic > 1e-3, $"{name}: trivial gradient");
            GradientCheck.AssertClose(result, context: $"{name}, trial {trial}");
        }
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.LogitNames), MemberType = typeof(CatalogMetrics))]
    public void Loss_gradient_matches_central_differences_with_linear_relaxation(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var random = new Random(40 + name.Length);
        // |score / τ| < 2: inside the linear part, away from the kinks at ±2τ.
        var batch = BothClasses(random, 14, center: 0, spread: 0.5, clamp: 1.8);
        var settings = new MetricSettings(Tau: 1, Relaxation: Relaxation.Linear);

        var result = GradientOfLoss(metric, batch, settings);

        Assert.True(result.MaxAbsAnalytic > 1e-3, $"{name}: trivial gradient");
        GradientCheck.AssertClose(result, context: name);
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.LogitNames), MemberType = typeof(CatalogMetrics))]
    public void Loss_gradient_matches_central_differences_with_smoothstep_relaxation(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var random = new Random(41 + name.Length);
        // Scores on both sides of the band's edges ±3τ: the smoothstep is C¹, so its gradient has no kink there.
        var batch = BothClasses(random, 14, center: 0, spread: 1.5, clamp: 4);
        var settings = new MetricSettings(Tau: 1, Relaxation: Relaxation.Smoothstep);

        var result = GradientOfLoss(metric, batch, settings);

        Assert.True(result.MaxAbsAnalytic > 1e-3, $"{name}: trivial gradient");
        GradientCheck.AssertClose(result, context: name);
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.AnyLossNames), MemberType = typeof(CatalogMetrics))]
    public void AnyLoss_gradient_matches_central_differences_at_default_tau(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var random = new Random(60 + name.Length);
        for (var trial = 0; trial < 3; trial++)
        {
            // |p − 0.5| in [0.005, 0.08]: 73·|p − 0.5| ≤ 5.8, so σ is not saturated and every item contributes.
            var batch = RandomBatch.AwayFrom(random, 6 + random.Next(12), 0.5, 0.005, 0.08);

            var result = GradientOfLoss(metric, batch, settings: null);

            Assert.True(result.MaxAbsAnalytic > 1e-2, $"{name}: trivial gradient");
            GradientCheck.AssertClose(result, context: $"{name}, trial {trial}");
        }
    }

    // ---- (c) AnyLoss as the paper writes it ----

    [Theory]
    [MemberData(nameof(CatalogMetrics.AnyLossNames), MemberType = typeof(CatalogMetrics))]
    public void AnyLoss_Smooth_reproduces_the_papers_soft_confusion_matrix(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var random = new Random(80 + name.Length);
        for (var trial = 0; trial < 10; trial++)
        {
            var batch = BothClasses(random, 2 + random.Next(40), center: 0.5, spread: 0.15, clamp: 0.499);
            var expected = AnyLossPaper(name, batch);
            using var scope = torch.NewDisposeScope();
            var score = Tensors.Scores(batch.Score, ScalarType.Float64);
            var label = Tensors.Labels(batch.Label);

            var smooth = Tensors.Value(metric.Smooth(score, label));
            var loss = Tensors.Value(metric.Loss(score, label));

            Assert.True(Math.Abs(smooth - expected) <= 1e-6, $"{name}, trial {trial}: Smooth {smooth:R}, AnyLoss {expected:R}");
            Assert.True(Math.Abs(loss - (1 - expected)) <= 1e-6, $"{name}, trial {trial}: Loss {loss:R}, 1 − AnyLoss {1 - expected:R}");
        }
    }

    /// <summary>docs/surrogates.md §2.2: ŷ = 1/(1 + exp(−73(p − 0.5))), N the batch size, closed forms in Σy, Σŷ, Σyŷ.</summary>
    private static double AnyLossPaper(string name, RandomBatch batch)
    {
        const double L = 73;
        double n = batch.Count, sy = 0, syhat = 0, syyhat = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var yhat = 1 / (1 + Math.Exp(-L * (batch.Score[i] - 0.5)));
            var y = batch.Label[i] ? 1.0 : 0.0;
            sy += y;
            syhat += yhat;
            syyhat += y * yhat;
        }
        // The soft confusion matrix itself, as the paper defines it, must be consistent with the closed forms.
        double tp = syyhat, fn = sy - syyhat, fp = syhat - syyhat, tn = n - sy - syhat + syyhat;
        Assert.Equal(n, tp + fn + fp + tn, 1e-9);
        return name switch
        {
            "AccuracyAnyLoss" => (n - sy - syhat + 2 * syyhat) / n,
            "F1AnyLoss" => 2 * syyhat / (sy + syhat),
            "GMeanAnyLoss" => Math.Sqrt(syyhat * (n - syhat - sy + syyhat) / (sy * (n - sy))),
            "BalancedAccuracyAnyLoss" => (n * (syyhat + sy) - sy * (syhat + sy)) / (2 * sy * (n - sy)),
            _ => throw new ArgumentException(name),
        };
    }

    // ---- (d) the linear relaxation ----

    [Theory]
    [MemberData(nameof(CatalogMetrics.LogitNames), MemberType = typeof(CatalogMetrics))]
    public void Linear_relaxation_differs_from_sigmoid_and_is_exact_beyond_two_tau(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var random = new Random(100 + name.Length);
        var inside = BothClasses(random, 20, center: 0, spread: 0.6, clamp: 1.9);
        var outside = RandomBatch.AwayFrom(random, 20, 0, 2.05, 4);
        using var scope = torch.NewDisposeScope();
        var linear = new MetricSettings(Tau: 1, Relaxation: Relaxation.Linear);
        var sigmoid = new MetricSettings(Tau: 1, Relaxation: Relaxation.Sigmoid);

        var insideLabel = Tensors.Labels(inside.Label);
        var insideScore = Tensors.Scores(inside.Score, ScalarType.Float64);
        var linearValue = Tensors.Value(metric.Smooth(insideScore, insideLabel, linear));
        var sigmoidValue = Tensors.Value(metric.Smooth(insideScore, insideLabel, sigmoid));
        Assert.True(Math.Abs(linearValue - sigmoidValue) > 1e-4, $"{name}: linear {linearValue:R}, sigmoid {sigmoidValue:R}");

        // Beyond |x| = 2 the linear relaxation is exactly 0 or 1, so the surrogate is the exact metric.
        var outsideScore = Tensors.Scores(outside.Score, ScalarType.Float64);
        var outsideLabel = Tensors.Labels(outside.Label);
        var exact = metric.Exact(outsideScore, outsideLabel);
        Assert.Equal(exact, Tensors.Value(metric.Smooth(outsideScore, outsideLabel, linear with { Epsilon = 1e-20 })), 1e-9);
        Assert.NotEqual(exact, Tensors.Value(metric.Smooth(outsideScore, outsideLabel, sigmoid)), 6);
    }

    [Theory]
    [InlineData(Relaxation.Sigmoid)]
    [InlineData(Relaxation.Linear)]
    [InlineData(Relaxation.Smoothstep)]
    public void Soft_prediction_is_the_relaxation_written_in_the_language_guide(Relaxation relaxation)
    {
        // Accuracy of one positive item is its soft prediction relax((s − threshold)/τ) itself.
        var metric = CatalogMetrics.Get("Accuracy");
        foreach (var (s, threshold, tau) in new[] { (0.3, 0.0, 1.0), (-0.7, 0.2, 0.5), (1.1, 0.1, 2.0), (-0.2, -0.1, 0.25) })
        {
            using var scope = torch.NewDisposeScope();
            var x = (s - threshold) / tau;
            var t = Math.Clamp(x, -3, 3); // the smoothstep's band
            var expected = relaxation switch
            {
                Relaxation.Sigmoid => 1 / (1 + Math.Exp(-x)),
                Relaxation.Linear => Math.Clamp(0.5 + x / 4, 0, 1),
                _ => 3 * Math.Pow((t + 3) / 6, 2) - 2 * Math.Pow((t + 3) / 6, 3), // the Hermite cubic 3s² − 2s³
            };

            var actual = Tensors.Value(metric.Smooth(Tensors.Scores(new[] { s }, ScalarType.Float64), Tensors.Labels(new[] { true }),
                new MetricSettings(Threshold: threshold, Tau: tau, Relaxation: relaxation)));

            Assert.Equal(expected, actual, 1e-12);
        }
    }

    [Fact]
    public void Linear_relaxation_on_F1_is_the_soft_F1_of_clamped_predictions()
    {
        var batch = BothClasses(new Random(5), 16, 0, 1.2, clamp: 3.5);
        const double tau = 0.8;
        double tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var p = Math.Clamp(0.5 + batch.Score[i] / tau / 4, 0, 1);
            if (batch.Label[i]) { tp += p; fn += 1 - p; } else { fp += p; }
        }
        using var scope = torch.NewDisposeScope();

        var actual = Tensors.Value(CatalogMetrics.Get("F1").Smooth(Tensors.Scores(batch.Score, ScalarType.Float64), Tensors.Labels(batch.Label),
            new MetricSettings(Tau: tau, Relaxation: Relaxation.Linear)));

        Assert.Equal(2 * tp / (2 * tp + fp + fn), actual, 1e-12);
    }

    private static GradientCheck.Result GradientOfLoss(CatalogMetric metric, RandomBatch batch, MetricSettings? settings)
    {
        using var scope = torch.NewDisposeScope();
        var label = Tensors.Labels(batch.Label);
        return GradientCheck.Compute(score => metric.Loss(score, label, settings), batch.Score);
    }

    private static RandomBatch BothClasses(Random random, int count, double center, double spread, double clamp = double.PositiveInfinity)
    {
        while (true)
        {
            var batch = RandomBatch.Draw(random, count, center, spread);
            batch = batch with { Score = batch.Score.Select(s => Math.Clamp(s, center - clamp, center + clamp)).ToArray() };
            if (batch.HasBothClasses) return batch;
        }
    }
}
