using System;
using System.Collections.Generic;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Walking a bound expression, for the rewrites and the emitter alike. The walks recurse: a bound expression is as
/// deep as its text allows (TextLimits) and a rewritten one as LoweringLimits allow, both far below what a stack holds.
/// </summary>
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
        _ => Array.Empty<BoundExpression>(),
    };

    /// <summary>
    /// The factors of a product (<c>a &amp; b</c> and <c>a * b</c> alike), left to right, into <paramref name="factors"/>.
    /// A node <paramref name="opaque"/> accepts is one factor, product or not: an inlined statement stays the one
    /// factor its local was (a product of products read twice at each level would otherwise flatten into 2^k factors).
    /// </summary>
    public static void Flatten(BoundExpression expression, List<BoundExpression> factors, Func<BoundExpression, bool>? opaque = null)
    {
        if (expression is BoundBinary { Operator: BinaryOperator.And or BinaryOperator.Multiply } product && opaque?.Invoke(expression) != true)
        {
            Flatten(product.Left, factors, opaque);
            Flatten(product.Right, factors, opaque);
            return;
        }
        factors.Add(expression);
    }
}
