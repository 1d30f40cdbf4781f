using System.Collections.Generic;
using System.Linq;
using MetricLoss.Generator.Emit;

namespace MetricLoss.Generator.Ir;

/// <summary>
/// The values of a chunk body as locals of its lambda, the same local for an equal value: the body's common
/// subexpressions (Smooth-AP's σ((s_j − s_i)/τ) over [q, j, p], read by both of its ranks, with its exclusion mask)
/// are computed once per chunk, and once more in backward, instead of twice each time. A body reads only leaves,
/// positions and elementwise operations, so equal trees are equal values.
/// </summary>
internal sealed class ChunkLocals
{
    /// <summary>The locals in order of first use.</summary>
    private readonly List<(string Name, Op Code)> _locals = new();
    private readonly Dictionary<Op, Op> _localByCode = new();

    /// <summary>A value of the body as a local (a leaf or a name is returned as it is).</summary>
    public Op Intern(Op code)
    {
        if (code is NameOp or LeafOp) return code;
        if (_localByCode.TryGetValue(code, out var local)) return local;
        var name = Local.Temporary("b", _locals.Count);
        local = Op.Name(name);
        _locals.Add((name, code));
        _localByCode[code] = local;
        return local;
    }

    /// <summary>The lambda's statements and its result, with the locals read once put back in place (a pass once the body is lowered).</summary>
    public (IReadOnlyList<(string Name, Op Code)> Locals, Op Result) Inline(Op result)
    {
        var names = new HashSet<string>(_locals.Select(l => l.Name));
        // Reads of each local, counted once over every local's code and the result: putting a local back moves its
        // code into its one reader, so the counts of the names that code reads do not change.
        var reads = new Dictionary<string, int>();
        foreach (var code in _locals.Select(l => l.Code).Append(result))
        {
            OpWalk.Visit(code, node =>
            {
                if (node is NameOp name && names.Contains(name.Text)) reads[name.Text] = reads.TryGetValue(name.Text, out var n) ? n + 1 : 1;
            });
        }
        // A local reads only earlier ones: in order, each code gets the locals read once already put back into it.
        var expanded = new Dictionary<string, Op>();
        Op PutBack(Op code) => OpWalk.Rewrite(code, node => node is NameOp name && expanded.TryGetValue(name.Text, out var inner) ? inner : null);
        var kept = new List<(string Name, Op Code)>();
        foreach (var (name, code) in _locals)
        {
            var full = PutBack(code);
            if (reads.TryGetValue(name, out var n) && n > 1) kept.Add((name, full));
            else expanded[name] = full;
        }
        return Renumber(kept, PutBack(result));
    }

    /// <summary>The kept locals as b__0, b__1, … in order (inlining leaves gaps).</summary>
    private static (IReadOnlyList<(string Name, Op Code)> Locals, Op Result) Renumber(List<(string Name, Op Code)> locals, Op result)
    {
        var names = locals.Select((local, k) => (Old: local.Name, New: Local.Temporary("b", k))).ToDictionary(p => p.Old, p => p.New);
        Op Rename(Op code) => OpWalk.Rewrite(code, node => node is NameOp name && names.TryGetValue(name.Text, out var renamed) ? Op.Name(renamed) : null);
        return (locals.Select(local => (names[local.Name], Rename(local.Code))).ToList(), Rename(result));
    }
}
