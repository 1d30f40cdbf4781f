using System.Collections.Generic;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;

namespace MetricLoss.Generator.Lowering;

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

    /// <summary>The locals in order of first use, each read once or more.</summary>
    public IReadOnlyList<(string Name, Op Code)> All => _locals;
}
