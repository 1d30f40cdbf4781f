using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// What a decision computes, as a bound expression the reference interpreter can evaluate: the rewriting lowerings
/// (separable sums, distributed negations) as the sums they turn the reduction into, every other lowering as the
/// reduction itself (it changes how the reduction is computed, not what). The rules' rewrites are differential-tested
/// through it (tests/Generator.Tests/Plan/DecisionMeaningTests) without generating C#.
/// </summary>
internal static class DecisionMeaning
{
    public static BoundExpression Of(BoundReduction reduction, ReductionLowering lowering) => lowering switch
    {
        SeparableLowering separable => Separable(reduction, separable),
        DistributedLowering distributed => Distributed(reduction, distributed),
        _ => reduction,
    };

    /// <summary>Π over binders of Σ (a binder without factors counts its positions: Σ 1), times the constant factors.</summary>
    private static BoundExpression Separable(BoundReduction reduction, SeparableLowering lowering)
    {
        BoundExpression? product = null;
        foreach (var (variable, sum) in lowering.Sums)
        {
            var binder = reduction.Binders.First(b => b.Variable == variable);
            var term = sum ?? Count(reduction with { Binders = EquatableArray.Of(binder) });
            product = Times(product, term);
        }
        return lowering.Constants.Aggregate(product!, Times);
    }

    /// <summary>± Σ product ± …, a null product being the count of the bound positions.</summary>
    private static BoundExpression Distributed(BoundReduction reduction, DistributedLowering lowering)
    {
        BoundExpression? result = null;
        foreach (var term in lowering.Terms)
        {
            var value = term.Product is null ? Count(reduction) : Sum(reduction, term.Product);
            if (result is null)
            {
                result = term.Sign > 0 ? value : new BoundUnary(UnaryOperator.Negate, value, ValueKind.Real);
                continue;
            }
            var axes = result.Axes.Concat(value.Axes.Where(a => !result.Axes.Contains(a))).ToEquatableArray();
            result = new BoundBinary(term.Sign > 0 ? BinaryOperator.Add : BinaryOperator.Subtract, result, value, axes, ValueKind.Real);
        }
        return result!;
    }

    /// <summary>The number of positions the reduction's binders run over: Σ 1.</summary>
    private static BoundExpression Count(BoundReduction reduction) =>
        Sum(reduction, new BoundNumber(1));

    /// <summary>A real product (a bool factor read as 0/1), so that a product of counts stays a number.</summary>
    private static BoundExpression Times(BoundExpression? left, BoundExpression right)
    {
        if (left is null) return right;
        var axes = left.Axes.Concat(right.Axes.Where(a => !left.Axes.Contains(a))).ToEquatableArray();
        return new BoundBinary(BinaryOperator.Multiply, left, right, axes, ValueKind.Real);
    }
}
