using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// The passes keep the meaning of definitions nobody wrote by hand: the generator fuzzer's seeds mutated with a
/// fixed seed (as Plan/DecisionMeaningTests draws them; those that still bind, which the generator would emit), the
/// 20 composed ranking metrics of PairwiseCompositionTests, and those mutated by the fuzzer too (the fuzzer's own
/// seeds seldom survive mutation with a chunked reduction), each program as lowered and after each pass equal to
/// the reference interpreter (<see cref="IrDifferential"/>), whole and in chunks.
/// </summary>
public class IrFuzzDifferentialTests
{
    [Fact]
    public void Fuzzed_definitions_keep_their_values_through_the_passes()
    {
        var composed = new List<string>();
        foreach (var row in PairwiseCompositionTests.Metrics()) composed.Add(row);
        var random = new Random(20261204);
        var metrics = 0;
        var chunked = 0;
        var split = 0;
        for (var i = 0; i < 600; i++)
        {
            // 300 mutants of the fuzzer's seeds, then 300 of the composed metrics (few of which still bind, but those chunk).
            var text = i < 300 ? GeneratorFuzzTests.Seeds[random.Next(GeneratorFuzzTests.Seeds.Length)] : composed[random.Next(composed.Count)];
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                text = GeneratorFuzzTests.Mutate(text, random.Next(4), random.Next(100_000), random.Next(1, 12),
                    GeneratorFuzzTests.Tokens[random.Next(GeneratorFuzzTests.Tokens.Length)]);
            }
            var result = Hosts.MetricFileHost.Compile("fuzz.metric", Microsoft.CodeAnalysis.Text.SourceText.From(text), "Fuzz", default);
            foreach (var metric in result.Units.Select((MetricLoss.Generator.Model.MetricUnit u) => u.Metric))
            {
                var differential = new IrDifferential(metric);
                var inputs = new Random(metrics);
                for (var trial = 0; trial < 2; trial++)
                {
                    var budget = IrCatalogueDifferentialTests.Budgets[(metrics + trial) % IrCatalogueDifferentialTests.Budgets.Length];
                    differential.Check(IrDifferential.RandomInputs(metric, inputs), budget, $", of\n{text}\n");
                    differential.CheckHardState(IrDifferential.TieFreeInputs(metric, inputs), budget, $", of\n{text}\n");
                }
                metrics++;
                chunked += differential.Trace.Chunked;
                split += differential.Trace.Split;
            }
        }
        // Not vacuous: enough definitions bind, and some of them chunk, in several chunks.
        Assert.True(metrics >= 50 && chunked >= 20 && split >= 10, $"only {metrics} definitions checked, {chunked} chunked reductions run, {split} of them split");
    }

    [Theory]
    [MemberData(nameof(PairwiseCompositionTests.Metrics), MemberType = typeof(PairwiseCompositionTests))]
    public void Composed_ranking_metrics_keep_their_values_through_the_passes(string text)
    {
        var metric = Plan.ReductionRulesTests.Bind(text);
        var differential = new IrDifferential(metric);
        var random = new Random(text.Length);
        for (var trial = 0; trial < 4; trial++)
        {
            differential.Check(IrDifferential.RandomInputs(metric, random), IrCatalogueDifferentialTests.Budgets[trial], $", trial {trial}");
        }
        // Each composition is a chunked masked sum (PairwiseCompositionTests): it must have run in several chunks.
        Assert.True(differential.Trace.Split > 0, $"{differential.Trace.Chunked} chunked reductions run, none split");
    }
}
