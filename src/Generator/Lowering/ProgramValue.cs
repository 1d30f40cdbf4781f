using System.Collections.Generic;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Ir;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// A lowered expression: a number (<see cref="IsNumber"/>: a C# <c>double</c> of constants and options), or a tensor
/// whose dimensions are <see cref="Axes"/> (axis variable ids) in that order; <see cref="Code"/> is its tree of
/// operations (Ir/Op), printed by Ir/OpPrinter.
/// </summary>
internal readonly record struct ProgramValue(Op Code, IReadOnlyList<string> Axes, bool IsNumber)
{
    public static ProgramValue Number(Op code) => new(code, System.Array.Empty<string>(), true);

    /// <summary>A tensor value over <paramref name="axes"/>; an operation made here records them (Ir/CallOp.Axes).</summary>
    public static ProgramValue Tensor(Op code, IReadOnlyList<string> axes) =>
        new(code is CallOp { Axes: null } call ? call with { Axes = axes.ToEquatableArray() } : code, axes, false);

    /// <summary>The value as C#.</summary>
    public string Text => OpPrinter.Print(Code);
}
