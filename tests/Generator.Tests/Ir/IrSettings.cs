using MetricLoss.Dsl.Interpretation;
using MetricLoss.Interpolation;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// The run-time settings an evaluation of a lowered program reads (<see cref="IrEvaluator"/>): what the entry point
/// takes from its Options. Relaxation and ε are the interpreter's, so a test gives both sides the same ones.
/// </summary>
internal sealed record IrSettings(
    Relaxation Relaxation = Relaxation.Sigmoid,
    long MaxPairwiseElements = 1L << 24,
    long Seed = 7,
    double Epsilon = 1e-8)
{
    /// <summary>The interpreter's settings of the same smooth program (its relaxation is an enum of its own, of the same names).</summary>
    public InterpreterSettings Interpreter => new(Enum.Parse<Dsl.Interpretation.Relaxation>(Relaxation.ToString()), Epsilon);

    /// <summary>The object a program reads as <c>__options</c>: the base settings and an interpolated metric's anchor counts.</summary>
    public IrOptions Options => new()
    {
        Relaxation = Relaxation,
        Epsilon = Epsilon,
        MaxPairwiseElements = MaxPairwiseElements,
        Seed = Seed,
    };
}

/// <summary>
/// A metric's Options as far as a lowered program reads them through <c>__options</c> (its own options it reads as
/// <c>o__name</c> locals, which the evaluator binds from the definition's defaults): the generated records derive
/// from MetricOptions and add the anchor counts of an interpolated metric, with UniLoss's defaults.
/// </summary>
internal sealed record IrOptions : MetricOptions
{
    public int AnchorsGood { get; init; } = UniLossDefaults.Good;

    public int AnchorsNearby { get; init; } = UniLossDefaults.Nearby;

    public int AnchorsRandom { get; init; } = UniLossDefaults.Random;
}
