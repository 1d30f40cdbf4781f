using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Plan;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>Prints a separable sum (Plan/SeparableSumRule): the product of one sum per binder and the constant factors.</summary>
internal sealed partial class ProgramEmitter
{
    private ProgramValue EmitSeparableSum(SeparableLowering lowering)
    {
        ProgramValue? result = null;
        foreach (var (variable, sum) in lowering.Sums)
        {
            var term = sum is null ? ProgramValue.Number($"(double)({SizeOf(variable)})") : EmitExpression(sum);
            result = result is null ? term : Product(result.Value, term);
        }
        foreach (var constant in lowering.Constants)
        {
            result = Product(result!.Value, EmitExpression(constant));
        }
        return result!.Value;
    }

    private static ProgramValue Product(ProgramValue left, ProgramValue right)
    {
        var axes = Union(new[] { left.Axes, right.Axes });
        return Arithmetic(left, right, axes, "*", (a, b) => $"{a}.mul({b})", (t, n) => $"{CSharp.Ops}.Multiply({t}, {n})", (n, t) => $"{CSharp.Ops}.Multiply({t}, {n})");
    }
}
