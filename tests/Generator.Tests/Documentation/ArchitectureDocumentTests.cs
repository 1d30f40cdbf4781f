using System.Text.RegularExpressions;
using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests.Documentation;

/// <summary>
/// docs/architecture.md's table "The lowering, in order" is the lowering's table of contents: every file it names
/// exists, and the passes over the lowered program appear in Ir/LoweringPipeline in the order the table gives them.
/// </summary>
public sealed class ArchitectureDocumentTests
{
    private static readonly string Architecture = File.ReadAllText(Path.Combine(TestFiles.RepositoryRoot, "docs", "architecture.md"));

    private static IReadOnlyList<string[]> Rows()
    {
        var section = Architecture.Split("### The lowering, in order")[1].Split("\n### ")[0];
        return section.Split('\n')
            .Where(line => Regex.IsMatch(line, @"^\| \d+\. "))
            .Select(line => line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray())
            .ToList();
    }

    [Fact]
    public void The_table_lists_the_steps_in_order()
    {
        var steps = Rows().Select(row => int.Parse(row[0].Split('.')[0])).ToList();
        Assert.True(steps.Count >= 8, $"the table has {steps.Count} steps");
        Assert.Equal(Enumerable.Range(1, steps.Count), steps);
    }

    [Fact]
    public void Every_file_the_table_names_exists()
    {
        foreach (var row in Rows())
        {
            foreach (Match file in Regex.Matches(row[2], @"`([\w/]+)(\*)?\.cs`"))
            {
                var path = Path.Combine(TestFiles.RepositoryRoot, "src", "Generator", file.Groups[1].Value);
                var found = file.Groups[2].Success
                    ? Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path) + "*.cs").Length > 0
                    : File.Exists(path + ".cs");
                Assert.True(found, $"architecture.md step '{row[0]}' names src/Generator/{file.Value.Trim('`')}, which does not exist");
            }
            foreach (Match test in Regex.Matches(row[3], @"`([\w/]+)(\.cs|/)`"))
            {
                var path = Path.Combine(TestFiles.RepositoryRoot, "tests", "Generator.Tests", test.Groups[1].Value);
                var found = test.Groups[2].Value == "/" ? Directory.Exists(path) : File.Exists(path + ".cs");
                Assert.True(found, $"architecture.md step '{row[0]}' names tests/Generator.Tests/{test.Value.Trim('`')}, which does not exist");
            }
        }
    }

    [Fact]
    public void The_passes_over_the_lowered_program_run_in_the_order_of_the_table()
    {
        var pipeline = File.ReadAllText(Path.Combine(TestFiles.RepositoryRoot, "src", "Generator", "Ir", "LoweringPipeline.cs"));
        var run = pipeline.Substring(pipeline.IndexOf("RunPasses(IEnumerable<Statement>", StringComparison.Ordinal));
        var passes = Rows()
            .SelectMany(row => Regex.Matches(row[2], @"`Ir/(\w+)\.cs`").Select(m => m.Groups[1].Value))
            .Where(name => run.Contains(name + ".Run(", StringComparison.Ordinal))
            .ToList();
        Assert.True(passes.Count >= 2, "the table names the IR passes that LoweringPipeline runs");
        // Nested calls read inside out: ChunkLeafSlicing.Run(ChunkLocalInlining.Run(c)) runs the inner one first.
        var order = passes.OrderByDescending(name => run.IndexOf(name + ".Run(", StringComparison.Ordinal)).ToList();
        Assert.Equal(order, passes);
    }
}
