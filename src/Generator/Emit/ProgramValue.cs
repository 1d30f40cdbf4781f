using System.Collections.Generic;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// An emitted expression: a C# <c>double</c> expression (<see cref="IsNumber"/>: constants and options),
/// or a tensor expression whose dimensions are <see cref="Axes"/> (axis variable ids) in that order.
/// </summary>
internal readonly record struct ProgramValue(string Code, IReadOnlyList<string> Axes, bool IsNumber)
{
    public static ProgramValue Number(string code) => new(code, System.Array.Empty<string>(), true);

    public static ProgramValue Tensor(string code, IReadOnlyList<string> axes) => new(code, axes, false);
}
