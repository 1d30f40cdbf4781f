using MetricLoss.Catalog;
using MetricLoss.Runtime.Tests.Infrastructure;
using MetricLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Training;

public class TemperatureScheduleTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(50, 0.1)]
    [InlineData(100, 0.01)]
    [InlineData(1000, 0.01)]
    public void Exponential_decays_geometrically_then_holds(long step, double expected) =>
        Assert.Equal(expected, TemperatureSchedule.Exponential(finalScale: 0.01, steps: 100).Scale(step), 12);

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(5, 0.55)]
    [InlineData(10, 0.1)]
    [InlineData(11, 0.1)]
    public void Cosine_anneals_from_1_to_the_final_scale(long step, double expected) =>
        Assert.Equal(expected, TemperatureSchedule.Cosine(finalScale: 0.1, steps: 10).Scale(step), 12);

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(9, 1.0)]
    [InlineData(10, 0.5)]
    [InlineData(25, 0.25)]
    [InlineData(40, 0.1)]
    public void Step_multiplies_every_few_steps_down_to_its_minimum(long step, double expected) =>
        Assert.Equal(expected, TemperatureSchedule.Step(factor: 0.5, every: 10, minimumScale: 0.1).Scale(step), 12);

    [Fact]
    public void Apply_scales_every_temperature_option_and_keeps_the_rest()
    {
        var schedule = TemperatureSchedule.Exponential(finalScale: 0.01, steps: 100);
        var baseOptions = new RecallAtK.Options { MaxPairwiseElements = 1234 };

        var scheduled = schedule.Apply(baseOptions, 50);

        Assert.Equal(0.01 * 0.1, scheduled.TauRank, 15);
        Assert.Equal(1 * 0.1, scheduled.TauK, 15);
        Assert.Equal(1234, scheduled.MaxPairwiseElements);
        Assert.Equal(baseOptions.K, scheduled.K);
        Assert.Equal(0.01, baseOptions.TauRank); // the base is not changed
        Assert.Equal(RocAuc.Options.Default.Tau * 0.01, schedule.Apply(RocAuc.Options.Default, 100).Tau, 15);
    }

    [Fact]
    public void Only_the_options_used_as_temperatures_are_marked()
    {
        Assert.Equal(new[] { "tau_rank", "tau_k" }, RecallAtK.Info.Options.Where(o => o.IsTemperature).Select(o => o.Name));
        Assert.DoesNotContain(RecallAtK.Info.Options, o => o.Name == "k" && o.IsTemperature);
        Assert.DoesNotContain(SoftDice.Info.Options, o => o.IsTemperature);
    }

    [Fact]
    public void Bad_schedules_and_metrics_without_a_temperature_are_refused_by_name()
    {
        Assert.Throws<ArgumentOutOfRangeException>("step", () => TemperatureSchedule.Constant().Scale(-1));
        Assert.Throws<ArgumentException>("finalScale", () => TemperatureSchedule.Exponential(0, 10));
        Assert.Throws<ArgumentException>("finalScale", () => TemperatureSchedule.Cosine(double.NaN, 10));
        Assert.Throws<ArgumentException>("steps", () => TemperatureSchedule.Cosine(0.1, 0));
        Assert.Throws<ArgumentException>("factor", () => TemperatureSchedule.Step(1.5, 10, 0.1));
        Assert.Throws<ArgumentException>("minimumScale", () => TemperatureSchedule.Step(0.5, 10, double.PositiveInfinity));
        Assert.Throws<ArgumentNullException>("options", () => TemperatureSchedule.Constant().Apply<RocAuc.Options>(null!, 0));
        var noTemperature = Assert.Throws<ArgumentException>("options", () => TemperatureSchedule.Constant(0.5).Apply(SoftDice.Options.Default, 0));
        Assert.StartsWith("SoftDice: no option is a temperature", noTemperature.Message);
    }

    /// <summary>
    /// The point of annealing: on a fixed model (fixed scores, no pair closer than 0.05), the gap between the smooth
    /// ROC AUC and the exact one shrinks at every checkpoint as the schedule lowers τ from 0.5 to 0.005, to almost
    /// nothing once τ is well below the closest pair.
    /// </summary>
    [Fact]
    public void The_surrogate_gap_shrinks_as_the_temperature_anneals()
    {
        using var scope = NewDisposeScope();
        var random = new Random(3);
        // Scores on a grid of 0.05: every pair differs by at least 0.05 (no ties).
        var values = Enumerable.Range(0, 40).Select(k => k * 0.05).OrderBy(_ => random.Next()).ToArray();
        var labels = values.Select((v, k) => (v > 0.8) ^ (k % 5 == 0)).ToArray();
        var score = Tensors.Scores(values, ScalarType.Float64);
        var label = Tensors.Labels(labels);
        var exact = RocAuc.Exact(score, label);
        var schedule = TemperatureSchedule.Exponential(finalScale: 0.01, steps: 20);

        double Gap(long step)
        {
            using var smooth = RocAuc.Smooth(score, label, schedule.Apply(new RocAuc.Options { Tau = 0.5 }, step));
            return Math.Abs(smooth.item<double>() - exact);
        }

        var gaps = new[] { 0L, 5, 10, 15, 20 }.Select(Gap).ToArray();
        Assert.True(gaps[0] > 0.01, $"gap at τ = 0.5: {gaps[0]}");
        for (var k = 1; k < gaps.Length; k++) Assert.True(gaps[k] < gaps[k - 1], $"gaps: {string.Join(", ", gaps)}");
        Assert.True(gaps[^1] < 1e-4, $"gap at τ/100: {gaps[^1]}");
    }
}
