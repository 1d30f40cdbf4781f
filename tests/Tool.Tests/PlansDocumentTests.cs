using System.Text.RegularExpressions;
using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

/// <summary>docs/plans.md shows what the tool prints today: each <c>metricloss explain</c> command it lists, run again, prints its text.</summary>
public sealed class PlansDocumentTests
{
    [Fact]
    public void Each_plan_in_the_document_is_what_explain_prints()
    {
        var document = File.ReadAllText(Path.Combine(RepositoryRoot.Path, "docs", "plans.md")).ReplaceLineEndings("\n");
        var examples = Regex.Matches(document, "```sh\nmetricloss (explain [^\n]*)\n```\n\n```text\n(.*?)```", RegexOptions.Singleline);
        Assert.Equal(3, examples.Count);

        foreach (Match example in examples)
        {
            var args = Arguments(example.Groups[1].Value)
                .Select(a => a.EndsWith(".metric", StringComparison.Ordinal) ? Path.Combine(RepositoryRoot.Path, a) : a)
                .ToArray();

            var result = ToolRun.Invoke(args);

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(example.Groups[2].Value, result.Stdout);
        }
    }

    /// <summary>The words of a shell command line, with '…' quoting.</summary>
    private static IEnumerable<string> Arguments(string line) =>
        Regex.Matches(line, "'([^']*)'|(\\S+)").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
}
