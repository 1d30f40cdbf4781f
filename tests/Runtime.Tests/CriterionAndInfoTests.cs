using MetricLoss.Catalog;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>The loss module (forward = Loss, with its options) and the metadata of the generated API.</summary>
public sealed class CriterionAndInfoTests
{
    [Fact]
    public void F1_Criterion_forward_equals_F1_Loss()
    {
        var batch = RandomBatch.Draw(new Random(11), 30, 0, 1.3);
        using var scope = torch.NewDisposeScope();
        var score = Tensors.Scores(batch.Score, ScalarType.Float64, requiresGrad: true);
        var label = Tensors.Labels(batch.Label);
        using var criterion = new F1.Criterion();

        var forward = criterion.forward(score, label);
        var loss = F1.Loss(score, label);

        Assert.Equal(Tensors.Value(loss), Tensors.Value(forward), 15);
        Assert.Equal(1 - Tensors.Value(F1.Smooth(score, label)), Tensors.Value(forward), 15);
        Assert.True(forward.requires_grad);
        Assert.Same(F1.Options.Default, criterion.Settings);
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Criterion_uses_its_options(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var batch = metric.IsAnyLoss ? RandomBatch.AwayFrom(new Random(12), 20, 0.5, 0.001, 0.1) : RandomBatch.Draw(new Random(12), 20, 0, 1.3);
        var settings = metric.IsAnyLoss
            ? new MetricSettings(Tau: 0.05, Relaxation: Relaxation.Linear)
            : new MetricSettings(Threshold: 0.4, Tau: 0.3, Beta: metric.HasOption("beta") ? 2 : null);
        using var scope = torch.NewDisposeScope();
        var score = Tensors.Scores(batch.Score, ScalarType.Float64);
        var label = Tensors.Labels(batch.Label);
        using var configured = metric.Criterion(settings);
        using var plain = metric.Criterion();

        var withOptions = Tensors.Value(configured.call(score, label));

        Assert.Equal(Tensors.Value(metric.Loss(score, label, settings)), withOptions, 15);
        Assert.Equal(Tensors.Value(metric.Loss(score, label)), Tensors.Value(plain.call(score, label)), 15);
        Assert.NotEqual(Tensors.Value(plain.call(score, label)), withOptions, 6);
        var held = configured.GetType().GetProperty("Settings")!.GetValue(configured);
        Assert.Equal(metric.Options(settings), held);
    }

    [Fact]
    public void Training_a_linear_model_with_F1_Criterion_increases_exact_F1()
    {
        // An imbalanced, linearly separable toy problem: about 18 % positives where x0 + x1 > 2.2.
        var generator = new torch.Generator(4711);
        using var scope = torch.NewDisposeScope();
        var x = torch.rand(new long[] { 200, 2 }, generator: generator) * 2 - 0.3;
        var y = (x[.., 0] + x[.., 1]).gt(2.2);
        var positives = y.sum().item<long>();
        Assert.InRange(positives, 10, 150);

        using var model = torch.nn.Linear(2, 1, dtype: ScalarType.Float32);
        using (torch.no_grad())
        {
            // A start that predicts almost everything positive: F1 is poor but the surrogate has gradient.
            model.weight!.copy_(torch.tensor(new[,] { { 0.2f, 0.1f } }));
            model.bias!.copy_(torch.tensor(new[] { 1.0f }));
        }
        using var criterion = new F1.Criterion(new F1.Options { Tau = 0.5 });
        using var optimizer = torch.optim.SGD(model.parameters(), learningRate: 2.0);

        double ExactF1()
        {
            using var _ = torch.NewDisposeScope();
            using var noGrad = torch.no_grad();
            return F1.Exact(model.call(x).squeeze(1), y);
        }

        var before = ExactF1();
        var losses = new List<double>();
        for (var step = 0; step < 300; step++)
        {
            using var stepScope = torch.NewDisposeScope();
            optimizer.zero_grad();
            var loss = criterion.call(model.call(x).squeeze(1), y);
            losses.Add(loss.item<float>());
            loss.backward();
            optimizer.step();
        }
        var after = ExactF1();

        Assert.True(before < 0.5, $"the start should be poor: F1 {before}");
        Assert.True(after > before + 0.3, $"F1 went from {before} to {after}");
        Assert.True(after > 0.85, $"F1 after training: {after}");
        Assert.True(losses[^1] < losses[0], $"loss went from {losses[0]} to {losses[^1]}");
    }

    [Fact]
    public void F1_Info_describes_the_definition()
    {
        var info = F1.Info;

        Assert.Equal("F1", info.Name);
        Assert.Equal("MetricLoss.Catalog", info.Namespace);
        Assert.Equal("MetricLoss.Catalog.F1", info.ToString());
        Assert.StartsWith("metric F1(score: real[n], label: bool[n], threshold: real = 0, tau: real = 1)", info.Source);
        Assert.Contains("maximize 2 * tp / (2 * tp + fp + fn);", info.Source);
        Assert.Equal(
            new[] { new MetricInputInfo("score", "real", new[] { "n" }, true), new MetricInputInfo("label", "bool", new[] { "n" }, false) },
            info.Inputs.Select(i => i with { Axes = i.Axes.ToArray() }),
            new InputInfoComparer());
        Assert.Equal(new[] { ("threshold", "Threshold", "real", 0.0), ("tau", "Tau", "real", 1.0) },
            info.Options.Select(o => (o.Name, o.Property, o.Type, Assert.Single(o.Default))));
        Assert.Equal(MetricDirection.Maximize, info.Direction);
        Assert.False(info.IsInterpolated);
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Info_options_are_the_Options_properties_with_their_defaults(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var defaults = Activator.CreateInstance(metric.OptionsType)!;

        Assert.Equal(name, metric.OptionsType.DeclaringType!.Name);
        Assert.Equal(MetricDirection.Maximize, metric.Info.Direction);
        Assert.Equal(new[] { metric.IsAnyLoss ? "prob" : "score", "label" }, metric.Info.Inputs.Select(i => i.Name));
        Assert.Equal(new[] { true, false }, metric.Info.Inputs.Select(i => i.IsDifferentiable));
        foreach (var option in metric.Info.Options)
        {
            var property = metric.OptionsType.GetProperty(option.Property);
            Assert.NotNull(property);
            Assert.Equal(option.Default.Single(), (double)property!.GetValue(defaults)!);
        }
        var expectedOptions = metric.IsAnyLoss ? new[] { "tau" } : name == "FBeta" ? new[] { "beta", "threshold", "tau" } : new[] { "threshold", "tau" };
        Assert.Equal(expectedOptions, metric.Info.Options.Select(o => o.Name));
    }

    [Fact]
    public void AnyLoss_variants_default_to_tau_one_over_73()
    {
        foreach (var metric in CatalogMetrics.All.Where(m => m.IsAnyLoss))
        {
            Assert.Equal(1.0 / 73, metric.Temperature(null), 15);
        }
        Assert.Equal(1.0 / 73, new F1AnyLoss.Options().Tau, 15);
    }

    /// <summary>Info.Plan tells how the code computes the metric: the known lowerings of the catalogue are in it.</summary>
    [Fact]
    public void Info_Plan_shows_the_lowering_of_each_program()
    {
        Assert.StartsWith("Plan of RocAuc:", MetricLoss.Catalog.RocAuc.Info.Plan);
        Assert.Contains("Mann–Whitney sum of sort-based rank counts, cost O(n log n)", MetricLoss.Catalog.RocAuc.Info.Plan);
        Assert.Contains("chunked, cost O(n²)", MetricLoss.Catalog.RocAuc.Info.Plan);
        Assert.Contains("support-restricted", MetricLoss.Catalog.RecallAtK.Info.Plan);
        Assert.DoesNotContain("chunked", MetricLoss.Catalog.F1.Info.Plan);
        Assert.Contains("UniLoss interpolation", MetricLoss.Catalog.AccuracyInterpolated.Info.Plan);
    }

    private sealed class InputInfoComparer : IEqualityComparer<MetricInputInfo>
    {
        public bool Equals(MetricInputInfo? a, MetricInputInfo? b) =>
            a is not null && b is not null && a.Name == b.Name && a.Type == b.Type && a.Axes.SequenceEqual(b.Axes) && a.IsDifferentiable == b.IsDifferentiable;

        public int GetHashCode(MetricInputInfo info) => info.Name.GetHashCode();
    }
}
