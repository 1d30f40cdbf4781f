using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Plan;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// Two rewrites that keep generated programs as lean as hand-written ones:
/// <list type="bullet">
/// <item>common subexpressions (equal bound subtrees, e.g. <c>!label[n]</c> in fp and tn) are computed once
/// into a local;</item>
/// <item>a sum of a product with a negation, distributed where Plan/DistributionRule says so, is printed as a signed
/// sum of sums, each shared like any other value.</item>
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
        if (expression is BoundReduction reduction && DistributionRule.Terms(reduction, Scope()) is { } terms)
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
