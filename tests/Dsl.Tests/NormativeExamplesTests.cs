using MetricLoss.Dsl;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Tests;

/// <summary>docs/language.md says every normative example must parse and bind as written.</summary>
public class NormativeExamplesTests
{
    private static readonly string Text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", "normative.metric"));

    [Fact]
    public void All_normative_examples_bind_without_diagnostics()
    {
        var compilation = MetricCompiler.Compile(Text, "Fallback");
        Assert.Empty(compilation.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(
            new[] { "F1", "F1AnyLoss", "RocAuc", "AveragePrecision", "RecallAtK", "TopKAccuracy", "NdcgAtK", "AccuracyInterpolated" },
            compilation.Metrics.Select(m => m.Name));
        Assert.All(compilation.Metrics, m => Assert.Equal("MetricLoss.Catalog", m.Namespace));
    }

    [Fact]
    public void The_examples_file_is_the_normative_section_of_docs_language_md()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Generator.sln"))) directory = directory.Parent;
        Assert.NotNull(directory);
        var document = File.ReadAllText(Path.Combine(directory!.FullName, "docs", "language.md")).Replace("\r\n", "\n");
        var section = document.IndexOf("\n## Normative examples\n", StringComparison.Ordinal);
        Assert.True(section >= 0, "docs/language.md has no section \"Normative examples\"");
        var start = document.IndexOf("```\n", section, StringComparison.Ordinal) + 4;
        var end = document.IndexOf("\n```", start, StringComparison.Ordinal);
        Assert.Equal(Text.Replace("\r\n", "\n").TrimEnd(), document[start..end].TrimEnd());
    }

    [Fact]
    public void RecallAtK_axes_take_their_sizes_from_inputs_and_the_option_vector()
    {
        var metric = MetricCompiler.Compile(Text, null).Metrics.Single(m => m.Name == "RecallAtK");
        Assert.Contains(metric.AxisSizes, a => a is { Axis: "m", Source: "k", FromOption: true });
        Assert.Contains(metric.AxisSizes, a => a is { Axis: "q", Source: "sim", Dimension: 0 });
        var j = metric.Variables.Single(v => v.Name == "j");
        Assert.Equal("i", j.SizeAxis);
        var k = metric.Options.Single(o => o.Name == "k");
        Assert.Equal(new double[] { 1, 2, 4, 8, 16 }, k.Default);
    }

    [Fact]
    public void F1AnyLoss_default_temperature_is_one_over_73()
    {
        var metric = MetricCompiler.Compile(Text, null).Metrics.Single(m => m.Name == "F1AnyLoss");
        Assert.Equal(1.0 / 73, metric.Options.Single(o => o.Name == "tau").Default[0]);
    }

    [Fact]
    public void Only_score_dependent_comparisons_carry_a_temperature()
    {
        var metric = MetricCompiler.Compile(Text, null).Metrics.Single(m => m.Name == "F1");
        var pred = metric.Statements.Single(s => s.Name == "pred");
        var comparison = Assert.IsType<BoundComparison>(pred.Value);
        Assert.True(comparison.DependsOnScore);
        Assert.Equal(new BoundOptionRef("tau", null, default, ValueKind.Real), comparison.Temperature);
    }
}
