using System.Text.RegularExpressions;
using MetricLoss.Generator.Plan;
using MetricLoss.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace MetricLoss.Generator.Tests.Plan;

/// <summary>
/// The plan says what the generated code does: for every catalogue metric and 20 composed ranking metrics, each program's chunked reductions,
/// supports and sort-based counts in the plan are those of the generated method (ChunkedReduction.Reduce,
/// DenseOps.Support, TieGroups), and the generated <c>Info.Plan</c> is the printed plan.
/// </summary>
public class PlanMatchesCodeTests
{
    public static TheoryData<string> CatalogFiles => new()
    {
        "ConfusionMatrix.metric", "AnyLoss.metric", "Interpolated.metric", "MultiClass.metric", "Ranking.metric", "SoftLabels.metric",
    };

    [Theory]
    [MemberData(nameof(CatalogFiles))]
    public void Every_catalogue_metric_is_generated_as_its_plan_says(string file) =>
        AssertPlansMatchCode(TestFiles.Catalog(file), "Catalog/" + file);

    /// <summary>The 20 per-query ranking compositions (conditions, comparisons, reducers, masks) of PairwiseCompositionTests.</summary>
    [Theory]
    [MemberData(nameof(PairwiseCompositionTests.Metrics), MemberType = typeof(PairwiseCompositionTests))]
    public void Every_composed_ranking_metric_is_generated_as_its_plan_says(string text) =>
        AssertPlansMatchCode(text, "composed.metric");

    private static void AssertPlansMatchCode(string text, string path)
    {
        var run = GeneratorHarness.Run(text, path);
        Assert.Null(run.Exception);
        var units = Hosts.MetricFileHost.Compile(path, SourceText.From(text), null, default).Units;
        Assert.NotEmpty(units);

        foreach (var metric in units.Select(u => u.Metric))
        {
            var plan = PlanBuilder.Build(metric);
            var source = run.Sources.Single(s => s.Key.EndsWith("." + metric.Name + ".g.cs", StringComparison.Ordinal)).Value;
            var root = CSharpSyntaxTree.ParseText(source).GetRoot();
            foreach (var (program, method) in new[] { (plan.Exact, "Exact"), (plan.Smooth, "Smooth") })
            {
                var body = root.DescendantNodes().OfType<MethodDeclarationSyntax>()
                    .First(m => m.Identifier.Text == method && m.ParameterList.Parameters.All(p => p.Type!.ToString().Contains("Tensor") || p.Identifier.Text == "options"))
                    .Body!;
                // A smooth program with a sort-based variant is two sibling blocks: if (SmoothRankSums.Applies) {…} else {…}.
                var variant = body.DescendantNodes().OfType<IfStatementSyntax>().SingleOrDefault(s => s.Condition.ToString().Contains("SmoothRankSums.Applies("));
                Assert.Equal(method == "Smooth" && plan.SortedSmooth is not null, variant is not null);
                if (variant is not null)
                {
                    AssertProgramMatches(plan.SortedSmooth!, variant.Statement.ToString(), $"{metric.Name}.Smooth (sort-based ranks)");
                    AssertProgramMatches(program, variant.Else!.Statement.ToString(), $"{metric.Name}.Smooth");
                    continue;
                }
                AssertProgramMatches(program, body.ToString(), $"{metric.Name}.{method}");
            }
            var info = Regex.Match(source, @"Plan = (""(?:[^""\\]|\\.)*""),").Groups[1].Value;
            Assert.Equal(SymbolDisplay.FormatLiteral(PlanPrinter.Print(plan), quote: true), info);
        }
    }

    /// <summary>Chunked reductions, supports and sort-based steps of one program's plan against its code.</summary>
    private static void AssertProgramMatches(ProgramPlan program, string body, string context)
    {
        var steps = program.Statements.SelectMany(s => s.Steps).ToList();
        Assert.True(steps.Count(s => s.Lowering == "chunked") == Count(body, "ChunkedReduction.Reduce("),
            $"{context}: {steps.Count(s => s.Lowering == "chunked")} chunked steps in the plan, {Count(body, "ChunkedReduction.Reduce(")} in the code");
        Assert.True(steps.Count(s => s.Lowering == "support-restricted") == Count(body, "DenseOps.Support("),
            $"{context}: supports in the plan and the code differ");
        Assert.True(steps.Count(s => s.SortBased && s.Lowering.Contains("smooth rank sum")) == Count(body, "SmoothRankSums.Sum("),
            $"{context}: smooth rank sums in the plan and the code differ");
        Assert.True(steps.Any(s => s.SortBased && !s.Lowering.Contains("smooth rank sum")) == body.Contains("TieGroups("),
            $"{context}: sort-based counts in the plan and the code differ");
    }

    [Fact]
    public void The_plans_show_the_known_lowerings_of_the_catalogue()
    {
        string Text(string file, string name) => PlanPrinter.Print(PlanBuilder.Build(ReductionRulesTests.Bind(TestFiles.CatalogMetric(file, name))));

        var auc = Text("Ranking.metric", "RocAuc");
        Assert.Contains("Mann–Whitney sum of sort-based rank counts, cost O(n log n)", auc);
        Assert.Contains("chunked, cost O(n²), peak n² elements, in chunks of at most MaxPairwiseElements", auc);
        var recall = Text("Ranking.metric", "RecallAtK");
        Assert.Contains("support-restricted", recall);
        Assert.Contains("not computed whole (read only on a support): rank", recall);
        // The sort-based variant computes RS@k's rank only at each query's positives, where alone hits reads it.
        Assert.Contains("Smooth (sort-based ranks) program\n  rank[q, i]\n    sum: sort-based smooth rank sum, only at the items of pos (read only there), cost O(q·i log i)", recall);
        var meanAp = Text("Ranking.metric", "MeanAveragePrecision");
        Assert.Contains("  above[q, i]\n    sum: sort-based smooth rank sum, only at the items of label (read only there), cost O(q·i log i)", meanAp);
        Assert.Contains("  pos_above[q, i]\n    sum: sort-based smooth rank sum, only at the items of label (read only there), cost O(q·i log i)", meanAp);
        // MRR reads its rank under max[i], which is not 0 where label is: every item's rank is computed.
        Assert.Contains("  rank[q, i]\n    sum: sort-based smooth rank sum, cost O(q·i log i)", Text("Ranking.metric", "MeanReciprocalRank"));
        Assert.Contains("Mann–Whitney sum of sort-based smooth rank sums, cost O(n log n)", auc);
        var f1 = Text("ConfusionMatrix.metric", "F1");
        Assert.DoesNotContain("chunked", f1);
        Assert.DoesNotContain("sort-based", f1);
        Assert.DoesNotContain("Smooth (sort-based ranks)", f1);
    }

    private static int Count(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;
}
