using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Generator.Ir;

/// <summary>Visiting and rewriting the nodes of a lowered value, for the passes.</summary>
internal static class OpWalk
{
    /// <summary>Every node of <paramref name="op"/>, parents before their operands.</summary>
    public static void Visit(Op op, Action<Op> visit)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        visit(op);
        foreach (var child in Children(op)) Visit(child, visit);
    }

    /// <summary>
    /// <paramref name="op"/> with every node that <paramref name="replace"/> maps to a new node replaced (bottom-up:
    /// operands first, then the node with its new operands), the rest kept as they are.
    /// </summary>
    public static Op Rewrite(Op op, Func<Op, Op?> replace)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack();
        var rebuilt = op switch
        {
            CallOp call => RewriteAll(call.Operands, replace) is { } operands ? call with { Operands = operands } : call,
            ListOp list => RewriteAll(list.Items, replace) is { } items ? list with { Items = items } : list,
            _ => op,
        };
        return replace(rebuilt) ?? rebuilt;
    }

    private static IEnumerable<Op> Children(Op op) => op switch
    {
        CallOp call => call.Operands,
        ListOp list => list.Items,
        _ => Enumerable.Empty<Op>(),
    };

    /// <summary>The rewritten operands, or null when none changed.</summary>
    private static EquatableArray<Op>? RewriteAll(EquatableArray<Op> operands, Func<Op, Op?> replace)
    {
        var rewritten = operands.Select(o => Rewrite(o, replace)).ToList();
        for (var k = 0; k < rewritten.Count; k++)
        {
            if (!ReferenceEquals(rewritten[k], operands[k])) return rewritten.ToEquatableArray();
        }
        return null;
    }
}
