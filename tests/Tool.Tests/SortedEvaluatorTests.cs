using MetricLoss.Dsl.Interpretation;
using MetricLoss.Tool.Evaluation;
using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

/// <summary>
/// The sort-based RocAuc and AveragePrecision stand in for the interpreter on the catalogue's definitions, so
/// they must agree with it: on random data with many ties (scores drawn from a few values), single classes and n = 1.
/// </summary>
public sealed class SortedEvaluatorTests
{
    public static TheoryData<int, int, int> Cases()
    {
        var cases = new TheoryData<int, int, int>();
        foreach (var n in new[] { 1, 2, 3, 7, 40, 150 })
        {
            foreach (var distinct in new[] { 1, 3, 1000 })
            {
                for (var seed = 0; seed < 4; seed++) cases.Add(n, distinct, seed);
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Agree_with_the_interpreter(int n, int distinct, int seed)
    {
        var random = new Random(seed * 7919 + n * 31 + distinct);
        var score = Enumerable.Range(0, n).Select(_ => (double)random.Next(distinct) - distinct / 2).ToArray();
        // Seed 0 has one class only, the others a random positive rate.
        var rate = seed == 0 ? 1.0 : random.NextDouble();
        var label = Enumerable.Range(0, n).Select(_ => random.NextDouble() < rate ? 1.0 : 0.0).ToArray();
        var inputs = new Dictionary<string, DenseArray> { ["score"] = DenseArray.Vector(score), ["label"] = DenseArray.Vector(label) };

        foreach (var name in new[] { "RocAuc", "AveragePrecision" })
        {
            var metric = Catalog.Find(name)!;
            Assert.True(SortedEvaluators.TryEvaluate(metric, inputs, out var sorted), name);
            Assert.Equal(ReferenceInterpreter.Exact(metric, inputs), sorted, 1e-13);
        }
    }

    [Fact]
    public void RocAuc_is_the_interpreter_value_to_the_bit()
    {
        // wins and pairs are whole or half numbers, so the one division is the same in both.
        var score = new[] { 0.3, 0.1, 0.3, 0.7, 0.1, 0.5, 0.3 };
        var label = new[] { 1.0, 0, 0, 1, 1, 0, 1 };
        var inputs = new Dictionary<string, DenseArray> { ["score"] = DenseArray.Vector(score), ["label"] = DenseArray.Vector(label) };

        Assert.Equal(ReferenceInterpreter.Exact(Catalog.Find("RocAuc")!, inputs), SortedEvaluators.RocAuc(score, label));
    }

    [Fact]
    public void Only_the_catalogue_definitions_and_finite_scores_take_the_sorted_path()
    {
        var finite = new Dictionary<string, DenseArray> { ["score"] = DenseArray.Vector(0.5, 1), ["label"] = DenseArray.Vector(1, 0) };
        var infinite = new Dictionary<string, DenseArray> { ["score"] = DenseArray.Vector(double.PositiveInfinity, 1), ["label"] = DenseArray.Vector(1, 0) };
        var renamed = Catalog.Find("RocAuc")! with { Name = "Auc" };

        Assert.False(SortedEvaluators.TryEvaluate(renamed, finite, out _));
        Assert.False(SortedEvaluators.TryEvaluate(Catalog.Find("RocAuc")!, infinite, out _));
        Assert.False(SortedEvaluators.TryEvaluate(Catalog.Find("F1")!, finite, out _));
        Assert.True(SortedEvaluators.TryEvaluate(Catalog.Find("RocAuc")! with { Namespace = "Elsewhere" }, finite, out _));
    }

    [Fact]
    public void The_catalogue_metrics_are_not_bound_by_the_interpreter_work_limit()
    {
        // 2 000 rows: 8e6 pairwise assignments for the interpreter, far over a limit of 10; the sorted path needs none.
        using var temp = new TempFolder();
        var random = new Random(5);
        var csv = temp.Write("p.csv", Csv.Columns(
            ("score", Enumerable.Range(0, 2000).Select(_ => Math.Round(random.NextDouble(), 2)).ToArray()),
            ("label", Enumerable.Range(0, 2000).Select(_ => (double)random.Next(2)).ToArray())));

        Assert.Equal(0, ToolRun.Invoke("eval", "RocAuc", csv, "--max-work", "10").ExitCode);
        Assert.Equal(0, ToolRun.Invoke("eval", "AveragePrecision", csv, "--max-work", "10").ExitCode);
        Assert.Equal(2, ToolRun.Invoke("eval", "F1", csv, "--max-work", "10").ExitCode);
    }
}
