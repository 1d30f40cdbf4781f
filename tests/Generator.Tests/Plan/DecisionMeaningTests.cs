using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Lowering;
using MetricLoss.Generator.Plan;
using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests.Plan;

/// <summary>
/// The rules' rewrites keep the metric's meaning, checked without generating C#: every reduction of every catalogue
/// metric is replaced by what the rules decide it is (<see cref="DecisionMeaning"/>: a separable sum by its product of
/// sums, a distributed negation by its signed sums), program by program as the emitter decides, and the reference
/// interpreter gives the rewritten metric the value of the original, exact and smooth, on random inputs with ties.
/// </summary>
public class DecisionMeaningTests
{
    public static TheoryData<string, string> Metrics =>
        TestFiles.CatalogMetrics("ConfusionMatrix.metric", "AnyLoss.metric", "MultiClass.metric", "Ranking.metric", "SoftLabels.metric");

    [Theory]
    [MemberData(nameof(Metrics))]
    public void The_decided_rewrites_have_the_value_of_the_definition(string file, string name)
    {
        var metric = ReductionRulesTests.Bind(TestFiles.CatalogMetric(file, name));
        var exact = Rewritten(metric, ProgramKind.Exact, out var exactRewrites);
        var smooth = Rewritten(metric, ProgramKind.Smooth, out var smoothRewrites);
        var random = new Random(name.Length * 31 + 7);
        for (var trial = 0; trial < 12; trial++)
        {
            var inputs = RandomInputs(metric, random);
            AssertClose(ReferenceInterpreter.Exact(metric, inputs), ReferenceInterpreter.Exact(exact, inputs), $"{name} exact ({exactRewrites} rewrites)");
            AssertClose(ReferenceInterpreter.Smooth(metric, inputs), ReferenceInterpreter.Smooth(smooth, inputs), $"{name} smooth ({smoothRewrites} rewrites)");
        }
    }

    /// <summary>
    /// The same on definitions from the generator's fuzzer (its seeds mutated with the same fixed seed: the metrics that
    /// still bind, which the generator would emit) and on the 20 composed ranking metrics: the rules on shapes nobody wrote by hand.
    /// </summary>
    [Fact]
    public void Fuzzed_and_composed_definitions_keep_their_values_under_the_rewrites()
    {
        var texts = new List<string>();
        var random = new Random(20261125);
        for (var i = 0; i < 300; i++)
        {
            var text = GeneratorFuzzTests.Seeds[random.Next(GeneratorFuzzTests.Seeds.Length)];
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                text = GeneratorFuzzTests.Mutate(text, random.Next(4), random.Next(100_000), random.Next(1, 12),
                    GeneratorFuzzTests.Tokens[random.Next(GeneratorFuzzTests.Tokens.Length)]);
            }
            texts.Add(text);
        }
        foreach (var row in PairwiseCompositionTests.Metrics()) texts.Add(row);

        var checkedMetrics = 0;
        var rewrites = 0;
        foreach (var text in texts)
        {
            var result = Hosts.MetricFileHost.Compile("fuzz.metric", Microsoft.CodeAnalysis.Text.SourceText.From(text), "Fuzz", default);
            foreach (var metric in result.Units.Select((MetricLoss.Generator.Model.MetricUnit u) => u.Metric).Where(m => !m.IsInterpolated))
            {
                var exact = Rewritten(metric, ProgramKind.Exact, out var exactRewrites);
                var smooth = Rewritten(metric, ProgramKind.Smooth, out var smoothRewrites);
                var inputs = RandomInputs(metric, new Random(checkedMetrics));
                AssertClose(ReferenceInterpreter.Exact(metric, inputs), ReferenceInterpreter.Exact(exact, inputs), $"exact of\n{text}\n");
                AssertClose(ReferenceInterpreter.Smooth(metric, inputs), ReferenceInterpreter.Smooth(smooth, inputs), $"smooth of\n{text}\n");
                checkedMetrics++;
                rewrites += exactRewrites + smoothRewrites;
            }
        }
        Assert.True(checkedMetrics >= 50 && rewrites >= 50, $"only {checkedMetrics} definitions and {rewrites} rewrites checked");
    }

    [Fact]
    public void The_catalogue_has_rewrites_to_check()
    {
        // Not a vacuous test: F1's fn and RocAuc's pairs are rewritten in both programs.
        Rewritten(ReductionRulesTests.Bind(TestFiles.CatalogMetric("ConfusionMatrix.metric", "F1")), ProgramKind.Smooth, out var f1);
        Rewritten(ReductionRulesTests.Bind(TestFiles.CatalogMetric("Ranking.metric", "RocAuc")), ProgramKind.Exact, out var auc);
        Assert.True(f1 >= 1, $"F1: {f1} rewrites");
        Assert.True(auc >= 2, $"RocAuc: {auc} rewrites");
    }

    private static void AssertClose(double expected, double actual, string context) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)), $"{context}: {actual:R}, the definition gives {expected:R}");

    /// <summary>The metric with every reduction replaced by the meaning of its decision, as the emitter decides outside chunks and supports.</summary>
    private static BoundMetric Rewritten(BoundMetric metric, ProgramKind kind, out int rewrites)
    {
        var supports = kind == ProgramKind.Smooth ? SupportPlan.Build(metric) : SupportPlan.Empty;
        var scope = ReductionRulesTests.Scope(metric, kind, supports);
        var count = 0;
        BoundExpression Rewrite(BoundExpression expression)
        {
            if (expression is not BoundReduction reduction) return WithChildren(expression, Rewrite);
            var lowering = ReductionRules.Decide(reduction, scope);
            // A chunk's body and a support's rewritten sum are emitted in scopes where these rules do not rewrite.
            if (lowering is ChunkedLowering or SupportLowering) return reduction;
            var meaning = DecisionMeaning.Of(reduction, lowering);
            if (ReferenceEquals(meaning, reduction)) return WithChildren(reduction, Rewrite);
            count++;
            return WithChildren(meaning, Rewrite);
        }
        var statements = metric.Statements.Select(s => s with { Value = Rewrite(s.Value) }).ToEquatableArray();
        var rewritten = metric with { Statements = statements, Goal = Rewrite(metric.Goal) };
        rewrites = count;
        return rewritten;
    }

    private static BoundExpression WithChildren(BoundExpression expression, Func<BoundExpression, BoundExpression> f) => expression switch
    {
        BoundUnary u => u with { Operand = f(u.Operand) },
        BoundBinary b => b with { Left = f(b.Left), Right = f(b.Right) },
        BoundComparison c => c with { Left = f(c.Left), Right = f(c.Right) },
        BoundStep s => s with { Argument = f(s.Argument) },
        BoundReduction r => r with { Body = f(r.Body) },
        BoundCall c => c with { Arguments = c.Arguments.Select(f).ToEquatableArray() },
        BoundIdealDcg d => d with { Gain = f(d.Gain), K = f(d.K) },
        _ => expression,
    };

    /// <summary>Inputs of 2 to 5 positions an axis (a vector option's axis: its default's length), values with ties.</summary>
    private static Dictionary<string, DenseArray> RandomInputs(BoundMetric metric, Random random)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var size in metric.AxisSizes)
        {
            sizes[size.Axis] = size.FromOption ? metric.Options.Single(o => o.Name == size.Source).Default.Count : random.Next(2, 6);
        }
        return RandomArrays.For(metric, random, sizes);
    }
}
