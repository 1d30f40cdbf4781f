using System.Text.RegularExpressions;
using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

public sealed class ExplainCommandTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Ranking => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "src", "Runtime", "Catalog", "Ranking.metric"));

    [Fact]
    public void Without_sizes_the_plan_is_the_generated_Info_Plan()
    {
        var path = _temp.Write("ranking.metric", Ranking);
        var generated = GeneratorOutput.Sources(path, Ranking, "MetricLoss.Catalog")["MetricLoss.Catalog.RecallAtK.g.cs"];
        var literal = Regex.Match(generated, @"Plan = ""((?:[^""\\]|\\.)*)"",").Groups[1].Value;
        var info = Regex.Unescape(literal);

        var result = ToolRun.Invoke("explain", "--namespace", "MetricLoss.Catalog", path, "RecallAtK");

        Assert.Equal("", result.Stderr);
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("Plan of RecallAtK:", info);
        Assert.Equal(info, result.Stdout);
    }

    [Fact]
    public void Sizes_give_each_peak_in_elements_and_the_chunking_it_needs()
    {
        var path = _temp.Write("ranking.metric", Ranking);

        var result = ToolRun.Invoke("explain", path, "RecallAtK", "--size", "q=4000", "--size", "i=4_000", "--size", "|P|=3", "--size", "m=5");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Sizes: q = 4,000, i = 4,000, |P| = 3, m = 5\n", result.Stdout);
        // The exact rank of every item: one sort per query, no pairs.
        Assert.Contains("    sum: sort-based rank count, cost O(q·i log i), peak 16,000,000 elements (q·i elements)\n", result.Stdout);
        // The smooth hits on the positives' support: the pairwise rank of each positive inside the chunks, 48 million
        // elements in all, cut to the default budget.
        Assert.Contains("      sum: chunked, cost O(q·|P|·m), peak 48,000,000 elements (max(q·|P|·m, q·i·|P|) elements), in chunks of at most MaxPairwiseElements (16,777,216 by default)\n", result.Stdout);
        Assert.Contains("host sync one: |P|", result.Stdout);
    }

    [Fact]
    public void A_pairwise_max_that_cannot_be_chunked_is_shown_with_its_budget_check()
    {
        var path = _temp.Write("widest.metric", "metric Widest(score: real[n]) {\n    gap = max[i, j](score[i] - score[j]);\n    minimize gap;\n}\n");

        var small = ToolRun.Invoke("explain", path, "--size", "n=1000");
        var large = ToolRun.Invoke("explain", path, "--size", "n=10000");

        Assert.Contains("    max: dense, cost O(n²), peak 1,000,000 elements (n² elements), whole: an ArgumentException beyond MaxPairwiseElements\n", small.Stdout);
        Assert.Contains("    max: dense, cost O(n²), peak 100,000,000 elements (n² elements), beyond the default MaxPairwiseElements (16,777,216): an ArgumentException unless the option is raised\n", large.Stdout);
    }

    [Fact]
    public void Every_metric_of_the_file_is_explained_without_a_name()
    {
        var path = _temp.Write("two.metric", MetricTexts.TwoMetrics);

        var result = ToolRun.Invoke("explain", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, Regex.Matches(result.Stdout, "^Plan of ", RegexOptions.Multiline).Count);
    }

    [Fact]
    public void A_file_with_errors_prints_its_diagnostics_and_no_plan()
    {
        var path = _temp.Write("bad.metric", MetricTexts.AxisMismatch);

        var result = ToolRun.Invoke("explain", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal($"{path}(2,43): error MTR0105: {MetricTexts.AxisMismatchMessage}\n", result.Stderr);
    }

    [Theory]
    [InlineData("n=0")]
    [InlineData("n=-3")]
    [InlineData("n")]
    [InlineData("=5")]
    [InlineData("n=many")]
    public void A_bad_size_is_a_usage_error(string size)
    {
        var path = _temp.Write("two.metric", MetricTexts.TwoMetrics);

        var result = ToolRun.Invoke("explain", path, "--size", size);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"metricloss: explain: `--size {size}` must be AXIS=N with N a positive integer, e.g. --size n=100000\n", result.Stderr);
    }

    [Fact]
    public void An_unknown_metric_name_lists_those_of_the_file()
    {
        var path = _temp.Write("two.metric", MetricTexts.TwoMetrics);

        var result = ToolRun.Invoke("explain", path, "Hit");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"metricloss: explain: `{path}` has no metric `Hit`; it defines `Hits`, `Misses`\n", result.Stderr);
    }
}
