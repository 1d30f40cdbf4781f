using System.Collections.Generic;

namespace MetricLoss;

/// <summary>Whether a metric's goal is to be made large or small: its <c>maximize</c> or <c>minimize</c> statement.</summary>
public enum MetricDirection
{
    /// <summary><c>maximize</c>: larger is better; the generated <c>Loss</c> is 1 − <c>Smooth</c>.</summary>
    Maximize,

    /// <summary><c>minimize</c>: smaller is better; the generated <c>Loss</c> is <c>Smooth</c> itself.</summary>
    Minimize,
}

/// <summary>An input of a metric: <c>score: real[n]</c> is ("score", "real", ["n"], differentiable).</summary>
/// <param name="Name">The input's name in the definition, which is also the parameter name of the entry points.</param>
/// <param name="Type">Its type as written: <c>real</c>, <c>const real</c>, <c>bool</c>, <c>int</c> or <c>index&lt;c&gt;</c>.</param>
/// <param name="Axes">Its axes in order: the tensor has one dimension per axis.</param>
/// <param name="IsDifferentiable">True for a <c>real</c> input: the surrogate is differentiable with respect to it.</param>
public sealed record MetricInputInfo(string Name, string Type, IReadOnlyList<string> Axes, bool IsDifferentiable);

/// <summary>An option: its name in the definition, its Options property, its type and default values.</summary>
/// <param name="Name">The option's name in the definition (<c>tau_rank</c>).</param>
/// <param name="Property">The property of the generated <c>Options</c> record that holds it (<c>TauRank</c>).</param>
/// <param name="Type">Its type as written: <c>real</c>, <c>int</c>, <c>bool</c>, or a vector such as <c>int[m]</c>.</param>
/// <param name="Default">The default value; one element per entry for a vector option, booleans as 0 and 1.</param>
public sealed record MetricOptionInfo(string Name, string Property, string Type, IReadOnlyList<double> Default)
{
    /// <summary>
    /// True when the definition uses the option as a temperature (<c>@ tau</c>, or inside a temperature expression):
    /// the options a <see cref="Training.TemperatureSchedule"/> scales.
    /// </summary>
    public bool IsTemperature { get; init; }
}

/// <summary>What a generated metric is: name, definition text, inputs, options and goal direction.</summary>
/// <remarks>Each generated metric class exposes one as its static <c>Info</c> property, for tools and logs.</remarks>
/// <param name="Name">The metric's name, which is also the generated class's name.</param>
/// <param name="Namespace">The namespace of the generated class; empty for the global namespace.</param>
/// <param name="Source">The definition in canonical form (whitespace normalised, comments removed).</param>
/// <param name="Inputs">The inputs in declaration order: the parameter order of the entry points.</param>
/// <param name="Options">The options in declaration order.</param>
/// <param name="Direction">Whether the goal is maximised or minimised.</param>
/// <param name="IsInterpolated">True for an <c>interpolate</c> metric, whose surrogate is UniLoss interpolation
/// (Liu, Wang, Deng, ECCV 2020) rather than the relaxed program.</param>
public sealed record MetricInfo(
    string Name,
    string Namespace,
    string Source,
    IReadOnlyList<MetricInputInfo> Inputs,
    IReadOnlyList<MetricOptionInfo> Options,
    MetricDirection Direction,
    bool IsInterpolated)
{
    /// <summary>
    /// How the generated code computes the metric: per statement of the exact and the smooth program, the lowering of
    /// each reduction (dense, sort-based, chunked within MaxPairwiseElements, restricted to a support), its cost class
    /// as the axes grow, its peak intermediate in elements and its host syncs. The same text as
    /// <c>metricloss explain</c> prints without sizes (docs/architecture.md, "The plan").
    /// </summary>
    public string Plan { get; init; } = "";

    /// <summary>
    /// What the metric's <c>Evaluator</c> keeps between batches, derived by the generator from the definition: sums of
    /// item-wise or per-row values (O(1) in the items), every batch (O(N)), whether binned counts are offered, and
    /// whether batches can be merged at all (docs/training.md, "State kinds").
    /// </summary>
    public Evaluation.EvaluatorStateInfo EvaluatorState { get; init; } = new(Evaluation.EvaluatorStateKind.Batches, true, "", System.Array.Empty<string>());

    /// <summary>The metric's full name, <c>Namespace.Name</c>.</summary>
    public override string ToString() => $"{Namespace}.{Name}";
}
