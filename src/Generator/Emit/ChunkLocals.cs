using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// The values of a chunk body as locals of its lambda, the same local for the same code: the body's common
/// subexpressions (Smooth-AP's σ((s_j − s_i)/τ) over [q, j, p], read by both of its ranks, with its exclusion mask)
/// are computed once per chunk, and once more in backward, instead of twice each time. Code is pure (leaves,
/// positions and elementwise ops), so equal code is an equal value.
/// </summary>
internal sealed class ChunkLocals
{
    /// <summary>The locals in order of first use.</summary>
    private readonly List<(string Name, string Code)> _locals = new();
    private readonly Dictionary<string, string> _localByCode = new();

    /// <summary>A value of the body as a local (code without a call is returned as it is: a leaf or a number).</summary>
    public string Intern(string code)
    {
        if (code.IndexOf('(') < 0) return code;
        if (_localByCode.TryGetValue(code, out var name)) return name;
        name = Local.Temporary("b", _locals.Count);
        _locals.Add((name, code));
        _localByCode[code] = name;
        return name;
    }

    /// <summary>The lambda's statements and its result, with the locals read once put back in place.</summary>
    public (IReadOnlyList<(string Name, string Code)> Locals, string Result) Inline(string result)
    {
        // Reads of each local, counted once over every local's code and the result: putting a local back moves its
        // code into its one reader, so the counts of the names that code reads do not change.
        var reads = new Dictionary<string, int>();
        foreach (var code in _locals.Select(l => l.Code).Append(result))
        {
            foreach (Match match in Token.Matches(code)) reads[match.Value] = reads.TryGetValue(match.Value, out var n) ? n + 1 : 1;
        }
        // A local reads only earlier ones: in order, each code gets the locals read once already put back into it.
        var expanded = new Dictionary<string, string>();
        string PutBack(string code) => Token.Replace(code, match => expanded.TryGetValue(match.Value, out var inner) ? inner : match.Value);
        var kept = new List<(string Name, string Code)>();
        foreach (var (name, code) in _locals)
        {
            var full = PutBack(code);
            if (reads.TryGetValue(name, out var n) && n > 1) kept.Add((name, full));
            else expanded[name] = full;
        }
        return Renumber(kept, PutBack(result));
    }

    private static readonly Regex Token = new(@"\bb__\d+\b");

    /// <summary>The kept locals as b__0, b__1, … in order (inlining leaves gaps).</summary>
    private static (IReadOnlyList<(string Name, string Code)> Locals, string Result) Renumber(List<(string Name, string Code)> locals, string result)
    {
        var names = locals.Select((local, k) => (Old: local.Name, New: Local.Temporary("b", k))).ToDictionary(p => p.Old, p => p.New);
        string Rename(string code) => Token.Replace(code, match => names.TryGetValue(match.Value, out var name) ? name : match.Value);
        return (locals.Select(local => (names[local.Name], Rename(local.Code))).ToList(), Rename(result));
    }
}
