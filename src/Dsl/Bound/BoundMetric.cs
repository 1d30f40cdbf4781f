using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Bound;

/// <summary>The element type of a value.</summary>
public enum ValueKind
{
    /// <summary>0/1 values (comparisons, logical operators, bool inputs); relaxed ones lie in [0, 1].</summary>
    Bool,
    Int,
    Real,
    /// <summary>Positions along an axis (<c>index&lt;c&gt;</c> inputs); only usable as indices.</summary>
    Index,
}

public enum InputKind
{
    /// <summary>A differentiable score.</summary>
    Real,
    /// <summary>A real-valued constant (gains, weights): no gradient.</summary>
    ConstReal,
    Bool,
    Int,
    Index,
}

public enum OptionKind
{
    Real,
    Int,
    Bool,
}

public enum GoalDirection
{
    Maximize,
    Minimize,
}

/// <summary>An input tensor parameter: <c>score: real[n]</c>. <see cref="Axes"/> are global axis names.</summary>
public sealed record BoundInput(string Name, InputKind Kind, EquatableArray<string> Axes, string? IndexAxis)
{
    public bool IsDifferentiable => Kind == InputKind.Real;
}

/// <summary>A run-time option: <c>threshold: real = 0</c> or the vector <c>k: int[m] = [1, 2, 4]</c>.</summary>
public sealed record BoundOption(string Name, OptionKind Kind, string? VectorAxis, EquatableArray<double> Default)
{
    public bool IsVector => VectorAxis is not null;
}

/// <summary>
/// An axis variable. Names can be reused in different reductions, so each variable has a unique id;
/// <see cref="SizeAxis"/> is the global axis (an input or vector-option axis) whose size it ranges over.
/// </summary>
public sealed record AxisVariable(string Id, string Name, string SizeAxis);

/// <summary>Where a global axis gets its size at run time: a dimension of an input, or a vector option's length.</summary>
public sealed record AxisSize(string Axis, string Source, int Dimension, bool FromOption);

/// <summary><c>name[axes] = value;</c> with axes as variable ids (in declared order).</summary>
public sealed record BoundStatement(string Name, EquatableArray<string> Axes, BoundExpression Value);

/// <summary>The anchor counts of an <c>interpolate</c> metric (UniLoss).</summary>
public sealed record InterpolationSettings(int Good, int Nearby, int Random);

/// <summary>
/// A bound metric: names resolved, axes typed, stages known. Equatable and free of spans and Roslyn
/// types, so the generator can cache on it. <see cref="Source"/> is the normalised definition text
/// (comments and blank space collapsed) shown by <c>Info</c>. <see cref="Requirements"/> are the conditions on
/// values computed from options (temperatures written as arithmetic, cut-offs, constant divisors) that the
/// Options must check at run time.
/// </summary>
public sealed record BoundMetric(
    string? Namespace,
    string Name,
    EquatableArray<BoundInput> Inputs,
    EquatableArray<BoundOption> Options,
    EquatableArray<AxisSize> AxisSizes,
    EquatableArray<AxisVariable> Variables,
    EquatableArray<BoundStatement> Statements,
    GoalDirection Direction,
    BoundExpression Goal,
    InterpolationSettings? Interpolation,
    string Source,
    EquatableArray<OptionRequirement> Requirements)
{
    public bool IsInterpolated => Interpolation is not null;
}
