using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Tests.Plan;

namespace MetricLoss.Generator.Tests;

/// <summary>Info marks as temperatures exactly the options that a relaxed comparison or step reads in its temperature.</summary>
public class TemperatureOptionsTests
{
    [Fact]
    public void Options_read_in_a_temperature_are_temperatures_and_no_others()
    {
        var metric = ReductionRulesTests.Bind("""
            metric Mixed(score: real[n], label: bool[n], t: real = 0.1, scale: real = 2, threshold: real = 0, k: int = 3, unused: real = 1) {
                above = sum[n](label[n] & ((score[n] > threshold) @ (t * scale)));
                steps = sum[n](step(score[n] - threshold) @ t);
                maximize (above + steps) / (k + sum[n](label[n]));
            }
            """);

        Assert.Equal(new[] { "scale", "t" }, TemperatureOptions.Of(metric).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Fact]
    public void The_generated_Info_says_which_options_are_temperatures()
    {
        var run = Infrastructure.GeneratorHarness.Run(Infrastructure.TestFiles.CatalogMetric("Ranking.metric", "RecallAtK"));
        var source = Assert.Single(run.Sources).Value;
        Assert.Contains("new(\"tau_rank\", \"TauRank\", \"real\", new double[] { 0.01d }) { IsTemperature = true },", source);
        Assert.Contains("new(\"k\", \"K\", \"int[m]\", new double[] { 1d, 2d, 4d, 8d, 16d }),", source);
    }
}
