using System.Linq;

namespace MetricLoss.Generator.Ir;

/// <summary>Whether a lowered program reads a local of the entry point (an input in the program's dtype, an index): only those are made.</summary>
internal static class ProgramReads
{
    public static bool Reads(LoweredProgram program, string local) =>
        Reads(program.Goal.Code, local) || program.Statements.Any(statement => Reads(statement, local));

    private static bool Reads(Statement statement, string local) => statement switch
    {
        Let let => Reads(let.Value, local),
        LetTuple tuple => Reads(tuple.Value, local),
        Check check => Reads(check.Call, local),
        Return ret => Reads(ret.Value, local),
        ChunkedReduction chunked => chunked.Leaves.Contains(local) || Reads(chunked.Result, local) || chunked.Locals.Any(l => Reads(l, local)),
        Interpolate interpolate => interpolate.Tail.Any(s => Reads(s, local)),
        _ => false,
    };

    private static bool Reads(Op op, string local)
    {
        var found = false;
        OpWalk.Visit(op, node => found |= node is NameOp name && name.Text == local);
        return found;
    }
}
