using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Bound;

/// <summary>
/// A typed expression node. <see cref="Axes"/> are the ids of its free axis variables in a canonical
/// order (first appearance); <see cref="DependsOnScore"/> says whether it depends on a differentiable
/// input (only such comparisons are relaxed in the smooth program).
/// </summary>
public abstract record BoundExpression(EquatableArray<string> Axes, ValueKind Kind, bool DependsOnScore);

public sealed record BoundNumber(double Value)
    : BoundExpression(EquatableArray<string>.Empty, ValueKind.Real, false);

/// <summary>An option; a vector option carries the variable that indexes it.</summary>
public sealed record BoundOptionRef(string Option, string? IndexVariable, EquatableArray<string> Axes, ValueKind Kind)
    : BoundExpression(Axes, Kind, false);

/// <summary>An input indexed by variables or gathers: <c>score[n]</c>, <c>logit[n, target[n]]</c>.</summary>
public sealed record BoundInputRef(string Input, EquatableArray<BoundIndex> Indices, EquatableArray<string> Axes, ValueKind Kind, bool DependsOnScore)
    : BoundExpression(Axes, Kind, DependsOnScore);

/// <summary>An index of an input: a plain variable, or a gather through an <c>index&lt;c&gt;</c> input.</summary>
public sealed record BoundIndex(string? Variable, string? GatherInput, EquatableArray<BoundIndex> GatherIndices)
{
    public bool IsGather => GatherInput is not null;

    public static BoundIndex Of(string variable) => new(variable, null, EquatableArray<BoundIndex>.Empty);
}

/// <summary>A statement's value; <see cref="Renaming"/> maps the statement's axes (in declared order) to the variables used here.</summary>
public sealed record BoundLocalRef(string Statement, EquatableArray<string> Renaming, EquatableArray<string> Axes, ValueKind Kind, bool DependsOnScore)
    : BoundExpression(Axes, Kind, DependsOnScore);

public enum UnaryOperator
{
    Negate,
    Not,
}

public sealed record BoundUnary(UnaryOperator Operator, BoundExpression Operand, ValueKind Kind)
    : BoundExpression(Operand.Axes, Kind, Operand.DependsOnScore);

public enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
    And,
    Or,
}

public sealed record BoundBinary(BinaryOperator Operator, BoundExpression Left, BoundExpression Right, EquatableArray<string> Axes, ValueKind Kind)
    : BoundExpression(Axes, Kind, Left.DependsOnScore || Right.DependsOnScore);

public enum ComparisonOperator
{
    Greater,
    GreaterOrEqual,
    Less,
    LessOrEqual,
}

/// <summary>
/// <c>left op right</c>. <see cref="Temperature"/> is set exactly when the comparison depends on a score
/// (it is then relaxed in the smooth program); it is a constant scalar expression.
/// </summary>
public sealed record BoundComparison(ComparisonOperator Operator, BoundExpression Left, BoundExpression Right, BoundExpression? Temperature, EquatableArray<string> Axes)
    : BoundExpression(Axes, ValueKind.Bool, Left.DependsOnScore || Right.DependsOnScore);

/// <summary><c>step(x)</c>: 1 if x &gt; 0, ½ if x = 0, 0 if x &lt; 0; relaxed like a comparison.</summary>
public sealed record BoundStep(BoundExpression Argument, BoundExpression? Temperature)
    : BoundExpression(Argument.Axes, ValueKind.Bool, Argument.DependsOnScore);

public enum Reducer
{
    Sum,
    Mean,
    Max,
    Min,
    Any,
    All,
}

/// <summary>A reduction binder: variable <see cref="Variable"/>, optionally excluding one position (<c>j != i</c>).</summary>
public sealed record BoundBinder(string Variable, BoundIndex? Excluded);

public sealed record BoundReduction(Reducer Reducer, EquatableArray<BoundBinder> Binders, BoundExpression Body, EquatableArray<string> Axes, ValueKind Kind)
    : BoundExpression(Axes, Kind, Body.DependsOnScore);

public enum Function
{
    Sqrt,
    Log,
    Log2,
    Exp,
    Abs,
    Min,
    Max,
    Clamp,
    Where,
}

public sealed record BoundCall(Function Function, EquatableArray<BoundExpression> Arguments, EquatableArray<string> Axes, ValueKind Kind, bool DependsOnScore)
    : BoundExpression(Axes, Kind, DependsOnScore);

/// <summary><c>ideal_dcg[i](gain, k)</c>: the DCG of the gains sorted in decreasing order, cut at k (constants only).</summary>
public sealed record BoundIdealDcg(string Variable, BoundExpression Gain, BoundExpression K, EquatableArray<string> Axes)
    : BoundExpression(Axes, ValueKind.Real, false);
