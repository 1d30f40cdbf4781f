using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// Two rewrites that keep generated programs as lean as hand-written ones:
/// <list type="bullet">
/// <item>common subexpressions (equal bound subtrees, e.g. <c>!label[n]</c> in fp and tn) are computed once
/// into a local;</item>
/// <item>a sum of a product with a negation is distributed, Σ a·(1 − b) = Σ a − Σ a·b, so the soft confusion
/// matrix costs the sums AnyLoss writes (TP = Σ y·ŷ, FP = Σ ŷ − TP, TN = N − Σ y − Σ ŷ + TP) instead of
/// materialising every (1 − x). The identity is exact, so both programs keep their values and gradients.</item>
/// </list>
/// </summary>
internal sealed partial class ProgramEmitter
{
    private readonly Dictionary<string, int> _uses = new();
    private readonly Dictionary<string, ProgramValue> _shared = new();
    private int _sharedCount;

    private void CountUses()
    {
        foreach (var statement in _metric.Statements) Count(statement.Value);
        Count(_metric.Goal);
    }

    private void Count(BoundExpression expression)
    {
        var key = CanonicalKey.Of(expression);
        _uses[key] = _uses.TryGetValue(key, out var n) ? n + 1 : 1;
        foreach (var child in Children(expression)) Count(child);
        if (expression is BoundReduction reduction && ExpandNegations(reduction) is { } terms)
        {
            // The distributed terms are what gets emitted: count them so equal terms are shared.
            foreach (var term in terms.Where(t => t.Product is not null)) Count(Sum(reduction, term.Product!));
            return;
        }
    }

    /// <summary>A tensor used more than once becomes a local; leaves and cheap values are not worth one.</summary>
    private ProgramValue Share(BoundExpression expression, ProgramValue value)
    {
        if (value.IsNumber || expression is BoundInputRef or BoundLocalRef or BoundOptionRef) return value;
        var key = CanonicalKey.Of(expression);
        if (!_uses.TryGetValue(key, out var uses) || uses < 2) return value;
        var local = Local.Temporary("t", _sharedCount++);
        _writer.Line($"var {local} = {value.Code};");
        var shared = ProgramValue.Tensor(local, value.Axes);
        _shared[key] = shared;
        return shared;
    }

    /// <summary>One term of a distributed sum: ±Σ product (a null product is the count of the bound positions).</summary>
    private sealed record SignedTerm(int Sign, BoundExpression? Product);

    /// <summary>
    /// Σ over a plain product of factors, some of them negations, as signed sums of products without
    /// negations; null when the reduction is not such a sum (then it is emitted as written).
    /// </summary>
    private IReadOnlyList<SignedTerm>? ExpandNegations(BoundReduction reduction)
    {
        if (_chunk is not null || reduction.Reducer != Reducer.Sum || reduction.Binders.Any(b => b.Excluded is not null)) return null;
        var factors = Factors(reduction.Body);
        if (!factors.Any(f => f is BoundUnary { Operator: UnaryOperator.Not })) return null;
        if (factors.Count(f => f is BoundUnary { Operator: UnaryOperator.Not }) > 2) return null; // 2^k terms: keep it small
        var terms = new List<SignedTerm> { new(1, null) };
        foreach (var factor in factors)
        {
            if (factor is BoundUnary { Operator: UnaryOperator.Not } negation)
            {
                // t · (1 − b) = t − t · b
                terms = terms.SelectMany(t => new[] { t, new SignedTerm(-t.Sign, Multiply(t.Product, negation.Operand)) }).ToList();
            }
            else
            {
                terms = terms.Select(t => t with { Product = Multiply(t.Product, factor) }).ToList();
            }
        }
        return terms;
    }

    private static BoundExpression Multiply(BoundExpression? left, BoundExpression right)
    {
        if (left is null) return right;
        var axes = left.Axes.Concat(right.Axes.Where(a => !left.Axes.Contains(a))).ToEquatableArray();
        var kind = left.Kind == ValueKind.Bool && right.Kind == ValueKind.Bool ? ValueKind.Bool : ValueKind.Real;
        return new BoundBinary(kind == ValueKind.Bool ? BinaryOperator.And : BinaryOperator.Multiply, left, right, axes, kind);
    }

    private static BoundReduction Sum(BoundReduction reduction, BoundExpression product)
    {
        var bound = reduction.Binders.Select(b => b.Variable).ToList();
        var axes = product.Axes.Where(a => !bound.Contains(a)).ToEquatableArray();
        return new BoundReduction(Reducer.Sum, reduction.Binders, product, axes, ValueKind.Real);
    }

    private ProgramValue EmitSumOfTerms(BoundReduction reduction, IReadOnlyList<SignedTerm> terms)
    {
        var values = new List<ProgramValue>(terms.Count);
        foreach (var term in terms)
        {
            values.Add(term.Product is null
                ? ProgramValue.Number("(double)(" + string.Join(" * ", reduction.Binders.Select(b => SizeOf(b.Variable))) + ")")
                : EmitExpression(Sum(reduction, term.Product)));
        }
        return SumOfTerms(terms, values);
    }

    /// <summary>±value ± value ...: the terms' values combined, off the recursive path (EmitExpressionCore).</summary>
    private static ProgramValue SumOfTerms(IReadOnlyList<SignedTerm> terms, IReadOnlyList<ProgramValue> values)
    {
        ProgramValue? result = null;
        for (var k = 0; k < terms.Count; k++)
        {
            var (term, value) = (terms[k], values[k]);
            if (result is null)
            {
                result = term.Sign > 0 ? value : value.IsNumber ? ProgramValue.Number($"(-{value.Code})") : ProgramValue.Tensor($"{value.Code}.neg()", value.Axes);
                continue;
            }
            var axes = Union(new[] { result.Value.Axes, value.Axes });
            result = term.Sign > 0
                ? Arithmetic(result.Value, value, axes, "+", (a, b) => $"{a}.add({b}, {CSharp.Kept}.One)", (t, n) => $"{CSharp.Ops}.Add({t}, {n})", (n, t) => $"{CSharp.Ops}.Add({t}, {n})")
                : Arithmetic(result.Value, value, axes, "-", (a, b) => $"{a}.sub({b})", (t, n) => $"{CSharp.Ops}.Subtract({t}, {n})", (n, t) => $"{CSharp.Ops}.Subtract({n}, {t})");
        }
        return result!.Value;
    }
}
