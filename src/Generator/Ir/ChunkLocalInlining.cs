using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;

namespace MetricLoss.Generator.Ir;

/// <summary>
/// A chunk body's locals read once put back into their one reader (a pass): the lowering makes every value of a
/// body a local (Lowering/ChunkLocals, so equal values are one), and only those read more than once stay locals, numbered
/// b__0, b__1, … in order.
/// </summary>
internal static class ChunkLocalInlining
{
    public static ChunkedReduction Run(ChunkedReduction chunked)
    {
        var names = new HashSet<string>(chunked.Locals.Select(l => l.Name));
        // Reads of each local, counted once over every local's code and the result: putting a local back moves its
        // code into its one reader, so the counts of the names that code reads do not change.
        var reads = new Dictionary<string, int>();
        foreach (var code in chunked.Locals.Select(l => l.Value).Append(chunked.Result))
        {
            OpWalk.Visit(code, node =>
            {
                if (node is NameOp name && names.Contains(name.Text)) reads[name.Text] = reads.TryGetValue(name.Text, out var n) ? n + 1 : 1;
            });
        }
        // A local reads only earlier ones: in order, each code gets the locals read once already put back into it.
        var expanded = new Dictionary<string, Op>();
        Op PutBack(Op code) => OpWalk.Rewrite(code, node => node is NameOp name && expanded.TryGetValue(name.Text, out var inner) ? inner : null);
        var kept = new List<Let>();
        foreach (var local in chunked.Locals)
        {
            var full = PutBack(local.Value);
            if (reads.TryGetValue(local.Name, out var n) && n > 1) kept.Add(local with { Value = full });
            else expanded[local.Name] = full;
        }
        var result = PutBack(chunked.Result);

        // The kept locals renumbered in order (putting back leaves gaps).
        var renamed = kept.Select((local, k) => (Old: local.Name, New: Local.Temporary("b", k))).ToDictionary(p => p.Old, p => p.New);
        Op Rename(Op code) => OpWalk.Rewrite(code, node => node is NameOp name && renamed.TryGetValue(name.Text, out var to) ? Op.Name(to) : null);
        return chunked with
        {
            Locals = kept.Select(local => new Let(renamed[local.Name], Rename(local.Value))).ToEquatableArray(),
            Result = Rename(result),
        };
    }
}
