using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Plan;
using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// Every program of a metric (exact; smooth; the sort-based smooth variant where there is one, under the relaxations
/// it applies to), at every stage of the passes (<see cref="IrPassStages"/>), evaluated without C#
/// (<see cref="IrEvaluator"/>) and compared with the reference interpreter to 1e-9 relative. An interpolated metric's
/// smooth program has no interpreter (its anchors are random): its stages are compared with its lowered program
/// under the same seed, and its exact program with the interpreter.
/// </summary>
internal sealed class IrDifferential
{
    private readonly BoundMetric _metric;
    private readonly List<(string Label, ProgramKind Kind, Relaxation Relaxation, IReadOnlyList<(string Stage, LoweredProgram Program)> Stages)> _programs = new();

    public IrDifferential(BoundMetric metric)
    {
        _metric = metric;
        Add("exact", ProgramKind.Exact, Relaxation.Sigmoid, sortedRanks: false);
        Add("smooth", ProgramKind.Smooth, Relaxation.Sigmoid, sortedRanks: false);
        if (!metric.IsInterpolated && SortedRanksVariant.Exists(metric))
        {
            // The variant runs where SmoothRankSums applies: under a relaxation with a finite band.
            Add("sorted smooth (linear)", ProgramKind.Smooth, Relaxation.Linear, sortedRanks: true);
            Add("sorted smooth (smoothstep)", ProgramKind.Smooth, Relaxation.Smoothstep, sortedRanks: true);
        }
    }

    private void Add(string label, ProgramKind kind, Relaxation relaxation, bool sortedRanks)
    {
        var stages = IrPassStages.Of(_metric, kind, sortedRanks);
        // The stages under test end where the generator's pipeline ends.
        Assert.True(IrPassStages.SameProgram(stages[^1].Program, LoweringPipeline.Lower(_metric, kind, sortedRanks)), $"{_metric.Name} {label}: the last stage is not the pipeline's program");
        _programs.Add((label, kind, relaxation, stages));
    }

    /// <summary>Chunked reductions run, and those split into several chunks, over every check.</summary>
    public IrTrace Trace { get; } = new();

    /// <summary>Evaluations of a program stage compared with their oracle.</summary>
    public int Compared { get; private set; }

    /// <summary>Programs refused by a pairwise budget check under a small budget (every stage alike).</summary>
    public int Refused { get; private set; }

    /// <summary>Checks every program at every stage on <paramref name="inputs"/> with the budget <paramref name="maxPairwiseElements"/>.</summary>
    public void Check(IReadOnlyDictionary<string, DenseArray> inputs, long maxPairwiseElements, string context)
    {
        foreach (var (label, kind, relaxation, stages) in _programs)
        {
            var settings = new IrSettings(relaxation, maxPairwiseElements);
            var interpolated = kind == ProgramKind.Smooth && _metric.IsInterpolated;
            double? expected = interpolated ? null
                : kind == ProgramKind.Exact ? ReferenceInterpreter.Exact(_metric, inputs)
                : ReferenceInterpreter.Smooth(_metric, inputs, null, settings.Interpreter);
            string? refusedAt = null;
            foreach (var (stage, program) in stages)
            {
                var where = $"{_metric.Name} {label} after {stage}, budget {maxPairwiseElements}{context}";
                double value;
                try
                {
                    value = IrEvaluator.Evaluate(_metric, program, inputs, settings, Trace);
                }
                catch (ArgumentException exception) when (exception.Message.Contains("MaxPairwiseElements", StringComparison.Ordinal))
                {
                    // A dense pairwise term above a small budget is refused (DenseOps.RequirePairwiseBudget): then at every stage.
                    Assert.True(refusedAt is not null || stage == stages[0].Stage, $"{where}: refused by the budget where the lowered program was not ({exception.Message})");
                    refusedAt = stage;
                    continue;
                }
                Assert.True(refusedAt is null, $"{where}: evaluated where the lowered program was refused by the budget");
                expected ??= value;
                AssertClose(expected.Value, value, where);
                Compared++;
            }
            if (refusedAt is not null) Refused++;
        }
    }

    private static void AssertClose(double expected, double actual, string context) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-9 * Math.Max(1, Math.Abs(expected)) || expected.Equals(actual),
            $"{context}: the IR gives {actual:R}, the oracle {expected:R}");

    /// <summary>Inputs of 2 to 5 positions an axis (a vector option's axis: its default's length), values with ties.</summary>
    public static Dictionary<string, DenseArray> RandomInputs(BoundMetric metric, Random random)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var size in metric.AxisSizes)
        {
            sizes[size.Axis] = size.FromOption ? metric.Options.Single(o => o.Name == size.Source).Default.Count : random.Next(2, 6);
        }
        return RandomArrays.For(metric, random, sizes);
    }
}
