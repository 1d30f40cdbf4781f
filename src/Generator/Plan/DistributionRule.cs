using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// A sum of a product with a negation is distributed, Σ c·(1 − b) = Σ c − Σ c·b, where that is numerically sound
/// (<see cref="MayDistribute"/>): FN = Σ y·(1 − ŷ) = Σ y − TP and N − Σ y cost sums instead of a materialised (1 − x),
/// but FP = Σ ŷ·(1 − y) stays a sum of one product (docs/architecture.md, "Numerically sound rewrites").
/// </summary>
internal static class DistributionRule
{
    public static DistributedLowering? TryLower(BoundReduction reduction, LoweringScope scope) =>
        Terms(reduction, scope) is { } terms ? new DistributedLowering(terms) : null;

    /// <summary>
    /// Σ over a plain product of factors, some of them negations, as signed sums of products, the negations that
    /// <see cref="MayDistribute"/> allows distributed (the others stay factors); null when the reduction is not such a
    /// sum or no negation may be distributed (then it is emitted as written).
    /// </summary>
    public static IReadOnlyList<SignedTerm>? Terms(BoundReduction reduction, LoweringScope scope)
    {
        if (scope.InChunk || reduction.Reducer != Reducer.Sum || reduction.Binders.Any(b => b.Excluded is not null)) return null;
        var factors = scope.Factors(reduction.Body);
        var distributed = factors.Select((f, k) => f is BoundUnary { Operator: UnaryOperator.Not } && MayDistribute(scope.Program, factors, k)).ToList();
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
    private static bool MayDistribute(ProgramKind program, IReadOnlyList<BoundExpression> factors, int negation)
    {
        if (program == ProgramKind.Exact) return true;
        for (var k = 0; k < factors.Count; k++)
        {
            if (k != negation && factors[k].DependsOnScore) return false;
        }
        return true;
    }
}
