using MetricLoss.Generator.Tests.Infrastructure;
using MetricLoss.Generator.Tests.Plan;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// Each pass of the lowering keeps the meaning of every catalogue metric, checked without compiling C#: each
/// program, as lowered and after each pass, evaluated by <see cref="IrEvaluator"/>, equals the reference interpreter
/// on random inputs with ties, with the default budget (one chunk) and with small ones (several chunks). An
/// interpolated metric's smooth program is compared stage with stage under one seed, and its exact tail at the hard
/// state with the interpreter's exact value (IrDifferential.CheckHardState).
/// </summary>
public class IrCatalogueDifferentialTests
{
    private static readonly string[] Files = { "ConfusionMatrix.metric", "AnyLoss.metric", "MultiClass.metric", "Ranking.metric", "SoftLabels.metric", "Interpolated.metric" };

    /// <summary>
    /// The budgets of the trials: the default (one chunk), and smaller ones that split chunks over inputs of 2 to 5
    /// positions an axis (1: a chunk a position), where the pairwise budget checks of dense terms allow.
    /// </summary>
    internal static readonly long[] Budgets = { 1L << 24, 24, 5, 1 };

    public static TheoryData<string, string> Metrics => TestFiles.CatalogMetrics(Files);

    [Theory]
    [MemberData(nameof(Metrics))]
    public void Every_program_after_every_pass_equals_the_interpreter(string file, string name)
    {
        var metric = ReductionRulesTests.Bind(TestFiles.CatalogMetric(file, name));
        var differential = new IrDifferential(metric);
        var random = new Random(name.Length * 131 + 3);
        for (var trial = 0; trial < 8; trial++)
        {
            differential.Check(IrDifferential.RandomInputs(metric, random), Budgets[trial % Budgets.Length], $", trial {trial}");
            differential.CheckHardState(IrDifferential.TieFreeInputs(metric, random), Budgets[trial % Budgets.Length], $", trial {trial}");
        }
        Assert.True(differential.Compared > 0, $"{name}: nothing compared");
        Assert.True(!metric.IsInterpolated || differential.ComparedAtHardState > 0, $"{name}: its exact tail never compared");
        // A metric whose programs chunk is checked in several chunks too, where a budget check does not refuse it first.
        var chunks = differential.Trace.Chunked;
        Assert.True(chunks == 0 || differential.Trace.Split > 0, $"{name}: {chunks} chunked reductions run, none split");
    }
}
