using System.Collections.Generic;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Lowering;

/// <summary>Walking a bound expression, for the rewrites and the emitter alike.</summary>
internal static class BoundTree
{
    /// <summary>The direct operands of an expression (none for inputs, locals, options and numbers).</summary>
    public static IEnumerable<BoundExpression> Children(BoundExpression expression) => expression switch
    {
        BoundUnary u => new[] { u.Operand },
        BoundBinary b => new[] { b.Left, b.Right },
        BoundComparison c => new[] { c.Left, c.Right },
        BoundStep s => new[] { s.Argument },
        BoundReduction r => new[] { r.Body },
        BoundCall c => c.Arguments,
        BoundIdealDcg d => new[] { d.Gain, d.K },
        _ => System.Array.Empty<BoundExpression>(),
    };

    /// <summary>The factors of a product (<c>a &amp; b</c> and <c>a * b</c> alike), left to right, into <paramref name="factors"/>.</summary>
    public static void Flatten(BoundExpression expression, List<BoundExpression> factors)
    {
        if (expression is BoundBinary { Operator: BinaryOperator.And or BinaryOperator.Multiply } product)
        {
            Flatten(product.Left, factors);
            Flatten(product.Right, factors);
            return;
        }
        factors.Add(expression);
    }
}
