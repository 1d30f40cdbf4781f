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
/// under the same seed, and, on inputs without ties, its exact tail at the hard state with the interpreter's exact
/// value (<see cref="CheckHardState"/>).
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

    /// <summary>Evaluations of an interpolated metric's exact tail at the hard state compared with the interpreter.</summary>
    public int ComparedAtHardState { get; private set; }

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
            CompareStages(stages, program => IrEvaluator.Evaluate(_metric, program, inputs, settings, Trace), expected, $"{_metric.Name} {label}", maxPairwiseElements, context);
        }
    }

    /// <summary>
    /// An interpolated metric's smooth program at every stage with its exact tail taken at the hard state h = [Δ &gt; 0]
    /// equals the interpreter's exact value on <paramref name="inputs"/> (which must have no ties among the scores:
    /// at a tie the exact comparison and h may differ). Nothing to check for other metrics.
    /// </summary>
    public void CheckHardState(IReadOnlyDictionary<string, DenseArray> inputs, long maxPairwiseElements, string context)
    {
        if (!_metric.IsInterpolated) return;
        var settings = new IrSettings(MaxPairwiseElements: maxPairwiseElements);
        var before = Compared;
        CompareStages(_programs.Single(p => p.Kind == ProgramKind.Smooth).Stages,
            program => IrEvaluator.EvaluateAtHardState(_metric, program, inputs, settings, Trace),
            ReferenceInterpreter.Exact(_metric, inputs), $"{_metric.Name} exact tail at the hard state", maxPairwiseElements, context);
        ComparedAtHardState += Compared - before;
    }

    /// <summary>Each stage's value equals <paramref name="expected"/>, or, when null, the first stage's value.</summary>
    private void CompareStages(IReadOnlyList<(string Stage, LoweredProgram Program)> stages, Func<LoweredProgram, double> evaluate, double? expected, string label, long maxPairwiseElements, string context)
    {
        string? refusedAt = null;
        foreach (var (stage, program) in stages)
        {
            var where = $"{label} after {stage}, budget {maxPairwiseElements}{context}";
            double value;
            try
            {
                value = evaluate(program);
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

    /// <summary>As <see cref="RandomInputs"/>, the scores (real inputs) drawn unrounded: no ties among them.</summary>
    public static Dictionary<string, DenseArray> TieFreeInputs(BoundMetric metric, Random random)
    {
        var inputs = RandomInputs(metric, random);
        foreach (var input in metric.Inputs.Where(i => i.Kind == InputKind.Real))
        {
            var array = inputs[input.Name];
            inputs[input.Name] = new DenseArray(array.Data.Select(_ => random.NextDouble() * 4 - 2).ToArray(), array.Shape);
        }
        return inputs;
    }
}
