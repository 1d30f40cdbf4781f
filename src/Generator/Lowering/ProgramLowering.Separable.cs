using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Plan;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>Prints a separable sum (Plan/SeparableSumRule): the product of one sum per binder and the constant factors.</summary>
internal sealed partial class ProgramLowering
{
    private ProgramValue LowerSeparableSum(SeparableLowering lowering)
    {
        ProgramValue? result = null;
        foreach (var (variable, sum) in lowering.Sums)
        {
            var term = sum is null ? ProgramValue.Number(Count(new[] { variable })) : LowerExpression(sum);
            result = result is null ? term : Product(result.Value, term);
        }
        foreach (var constant in lowering.Constants)
        {
            result = Product(result!.Value, LowerExpression(constant));
        }
        return result!.Value;
    }

    private static ProgramValue Product(ProgramValue left, ProgramValue right) => Times(left, right, Union(new[] { left.Axes, right.Axes }));
}
