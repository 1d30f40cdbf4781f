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
/// <item>a sum of a product with a negation is distributed, Σ c·(1 − b) = Σ c − Σ c·b, where that is numerically
/// sound (<see cref="MayDistribute"/>): FN = Σ y·(1 − ŷ) = Σ y − TP and N − Σ y cost sums instead of a materialised
/// (1 − x), but FP = Σ ŷ·(1 − y) stays a sum of one product (docs/architecture.md, "Numerically sound rewrites").</item>
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
        if (expression is BoundReduction reduction && ExpandNegations(reduction) is { } terms)
        {
            // The distributed terms are what gets emitted, not the body: count them (and not the body's parts, which
            // would make a local of a factor such as a kept negation that the terms emit once) so equal terms are shared.
            foreach (var term in terms.Where(t => t.Product is not null)) Count(Sum(reduction, term.Product!));
            return;
        }
        foreach (var child in Children(expression)) Count(child);
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
    /// Σ over a plain product of factors, some of them negations, as signed sums of products, the negations that
    /// <see cref="MayDistribute"/> allows distributed (the others stay factors); null when the reduction is not such a
    /// sum or no negation may be distributed (then it is emitted as written).
    /// </summary>
    private IReadOnlyList<SignedTerm>? ExpandNegations(BoundReduction reduction)
    {
        if (_chunk is not null || reduction.Reducer != Reducer.Sum || reduction.Binders.Any(b => b.Excluded is not null)) return null;
        var factors = Factors(reduction.Body);
        var distributed = factors.Select((f, k) => f is BoundUnary { Operator: UnaryOperator.Not } && MayDistribute(factors, k)).ToList();
        var count = distributed.Count(d => d);
        if (count == 0 || count > 2) return null; // 2^k terms: keep it small
        var terms = new List<SignedTerm> { new(1, null) };
        for (var k = 0; k < factors.Count; k++)
        {
            if (distributed[k])
            {
                // t · (1 − b) = t − t · b
                var operand = ((BoundUnary)factors[k]).Operand;
                terms = terms.SelectMany(t => new[] { t, new SignedTerm(-t.Sign, Multiply(t.Product, operand)) }).ToList();
            }
            else
            {
                var factor = factors[k];
                terms = terms.Select(t => t with { Product = Multiply(t.Product, factor) }).ToList();
            }
        }
        return terms;
    }

    /// <summary>
    /// Whether Σ c·(1 − b), c the product of the other factors, may become Σ c − Σ c·b. In the smooth program only
    /// when c is constant (no score in it): Σ c then has no gradient, the gradient of the difference is −Σ c·∂b computed
    /// as such, and where c vanishes both sums are exactly 0, value and gradient. With a score in c, Σ c and Σ c·b are
    /// two score-dependent sums whose gradients cancel only in exact arithmetic: FP = Σ ŷ·(1 − y) written Σ ŷ − Σ ŷ·y is
    /// identically 0 on a batch without negatives, yet each half sends ±∂L/∂FP to every ŷ; behind a guarded division
    /// by a vanishing count (±1/ε) float32 keeps nothing of the rest of the gradient. The exact program has no
    /// gradient, and a term that is identically 0 is there a difference of sums of bitwise-equal products (c·b = c
    /// wherever c·(1 − b) = 0), so exactly 0: it keeps the rewrite. The rule is the program's, not the current kind's:
    /// the exact tail of an interpolated metric is part of the smooth program, whose shared terms are counted once.
    /// </summary>
    private bool MayDistribute(IReadOnlyList<BoundExpression> factors, int negation)
    {
        if (_program == ProgramKind.Exact) return true;
        for (var k = 0; k < factors.Count; k++)
        {
            if (k != negation && factors[k].DependsOnScore) return false;
        }
        return true;
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
