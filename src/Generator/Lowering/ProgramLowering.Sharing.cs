using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Plan;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Printing two decisions that keep generated programs as lean as hand-written ones:
/// <list type="bullet">
/// <item>common subexpressions that Plan/SharingPass finds read more than once are computed once into a local;</item>
/// <item>a sum of a product with a negation, distributed where Plan/DistributionRule says so, is printed as a signed
/// sum of sums, each shared like any other value.</item>
/// </list>
/// </summary>
internal sealed partial class ProgramLowering
{
    /// <summary>The program's use counts (Plan/SharingPass), read by <see cref="Share"/>.</summary>
    private Dictionary<string, int> _uses = new();
    private readonly Dictionary<string, ProgramValue> _shared = new();
    private int _sharedCount;

    private void CountUses() => _uses = SharingPass.Uses(_metric, Scope());

    /// <summary>A tensor that SharingPass finds read more than once becomes a local.</summary>
    private ProgramValue Share(BoundExpression expression, ProgramValue value)
    {
        if (value.IsNumber || !SharingPass.IsShared(_uses, expression)) return value;
        var key = CanonicalKey.Of(expression);
        var local = Local.Temporary("t", _sharedCount++);
        _statements.Add(new Let(local, value.Code));
        var shared = ProgramValue.Tensor(Op.Name(local), value.Axes);
        _shared[key] = shared;
        return shared;
    }

    private ProgramValue LowerSumOfTerms(BoundReduction reduction, IReadOnlyList<SignedTerm> terms)
    {
        var values = new List<ProgramValue>(terms.Count);
        foreach (var term in terms)
        {
            values.Add(term.Product is null
                ? ProgramValue.Number(Count(reduction.Binders.Select(b => b.Variable)))
                : LowerExpression(Sum(reduction, term.Product)));
        }
        return SumOfTerms(terms, values);
    }

    /// <summary>±value ± value ...: the terms' values combined, off the recursive path (LowerExpressionCore).</summary>
    private static ProgramValue SumOfTerms(IReadOnlyList<SignedTerm> terms, IReadOnlyList<ProgramValue> values)
    {
        ProgramValue? result = null;
        for (var k = 0; k < terms.Count; k++)
        {
            var (term, value) = (terms[k], values[k]);
            if (result is null)
            {
                result = term.Sign > 0 ? value : value.IsNumber ? ProgramValue.Number(Op.Call(OpCode.NumberNegate, value.Code)) : ProgramValue.Tensor(Op.Call(OpCode.Negate, value.Code), value.Axes);
                continue;
            }
            var axes = Union(new[] { result.Value.Axes, value.Axes });
            result = term.Sign > 0 ? Plus(result.Value, value, axes) : Minus(result.Value, value, axes);
        }
        return result!.Value;
    }
}
