using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Walking a bound expression, for the rewrites and the lowering alike. The walks recurse: a bound expression is as
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

    /// <summary>The axes of <paramref name="parts"/> in order of first appearance, each once.</summary>
    public static IReadOnlyList<string> Union(IEnumerable<IReadOnlyList<string>> parts)
    {
        var result = new List<string>();
        foreach (var axis in parts.SelectMany(p => p))
        {
            if (!result.Contains(axis)) result.Add(axis);
        }
        return result;
    }

    /// <summary>The variables an index reads: its own, or those of a gather's indices.</summary>
    public static IReadOnlyList<string> VariablesOf(BoundIndex index) =>
        index.IsGather ? Union(index.GatherIndices.Select(VariablesOf)) : new[] { index.Variable! };

    /// <summary>left · right (a null left is right alone): an and of two bools, else a product.</summary>
    public static BoundExpression Multiply(BoundExpression? left, BoundExpression right)
    {
        if (left is null) return right;
        var axes = left.Axes.Concat(right.Axes.Where(a => !left.Axes.Contains(a))).ToEquatableArray();
        var kind = left.Kind == ValueKind.Bool && right.Kind == ValueKind.Bool ? ValueKind.Bool : ValueKind.Real;
        return new BoundBinary(kind == ValueKind.Bool ? BinaryOperator.And : BinaryOperator.Multiply, left, right, axes, kind);
    }

    /// <summary>The sum of <paramref name="product"/> over the binders of <paramref name="reduction"/>.</summary>
    public static BoundReduction Sum(BoundReduction reduction, BoundExpression product)
    {
        var bound = reduction.Binders.Select(b => b.Variable).ToList();
        var axes = product.Axes.Where(a => !bound.Contains(a)).ToEquatableArray();
        return new BoundReduction(Reducer.Sum, reduction.Binders, product, axes, ValueKind.Real);
    }
}
