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
        name = "b_" + _locals.Count;
        _locals.Add((name, code));
        _localByCode[code] = name;
        return name;
    }

    /// <summary>The lambda's statements and its result, with the locals read once put back in place.</summary>
    public (IReadOnlyList<(string Name, string Code)> Locals, string Result) Inline(string result)
    {
        var locals = _locals.ToList();
        for (var k = locals.Count - 1; k >= 0; k--)
        {
            var token = new Regex($@"\b{locals[k].Name}\b");
            var uses = token.Matches(result).Count + locals.Skip(k + 1).Sum(l => token.Matches(l.Code).Count);
            if (uses > 1) continue;
            var code = locals[k].Code;
            result = token.Replace(result, _ => code);
            for (var later = k + 1; later < locals.Count; later++)
            {
                locals[later] = (locals[later].Name, token.Replace(locals[later].Code, _ => code));
            }
            locals.RemoveAt(k);
        }
        return Renumber(locals, result);
    }

    /// <summary>The kept locals as b_0, b_1, … in order (inlining leaves gaps).</summary>
    private static (IReadOnlyList<(string Name, string Code)> Locals, string Result) Renumber(List<(string Name, string Code)> locals, string result)
    {
        var names = locals.Select((local, k) => (Old: local.Name, New: "b_" + k)).ToDictionary(p => p.Old, p => p.New);
        var token = new Regex(@"\bb_\d+\b");
        string Rename(string code) => token.Replace(code, match => names.TryGetValue(match.Value, out var name) ? name : match.Value);
        return (locals.Select(local => (names[local.Name], Rename(local.Code))).ToList(), Rename(result));
    }
}
