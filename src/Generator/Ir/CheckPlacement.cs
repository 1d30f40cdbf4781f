using System.Collections.Generic;
using System.Linq;

namespace MetricLoss.Generator.Ir;

/// <summary>
/// Each pairwise budget check moved before the first statement of its block that makes a value over the check's axes
/// (a pass): the lowering adds a check after the expression that needs it, but that expression's shared locals and
/// chunked reductions are statements of their own before it, so without this pass a too-large pairwise value (a
/// chunked reduction's [q, m] output, a shared pairwise local) would be computed first and refused afterwards. A
/// check whose value no earlier statement makes stays where it is; checks keep their order.
/// </summary>
internal static class CheckPlacement
{
    public static IReadOnlyList<Statement> Run(IReadOnlyList<Statement> block)
    {
        var placed = block.Where(s => s is not Check).ToList();
        // Each check goes before the first statement that makes its value, or where it stood among the others.
        var before = new List<(int Position, int Order, Check Check)>();
        var others = 0;
        for (var k = 0; k < block.Count; k++)
        {
            if (block[k] is not Check check)
            {
                others++;
                continue;
            }
            var maker = placed.Take(others).ToList().FindIndex(statement => Makes(statement, check.Axes));
            before.Add((maker < 0 ? others : maker, k, check));
        }
        foreach (var (position, _, check) in before.OrderByDescending(c => c.Position).ThenByDescending(c => c.Order))
        {
            placed.Insert(position, check);
        }
        return placed;
    }

    /// <summary>Whether a statement computes an operation over exactly these axes (in any order).</summary>
    private static bool Makes(Statement statement, IReadOnlyList<string> axes)
    {
        var found = false;
        foreach (var op in Values(statement))
        {
            OpWalk.Visit(op, node => found |= node is CallOp { Axes: { } made } && made.Count == axes.Count && made.All(axes.Contains));
        }
        return found;
    }

    private static IEnumerable<Op> Values(Statement statement) => statement switch
    {
        Let let => new[] { let.Value },
        LetTuple tuple => new[] { tuple.Value },
        ChunkedReduction chunked => chunked.Locals.Select(l => l.Value).Append(chunked.Result),
        _ => Enumerable.Empty<Op>(),
    };
}
