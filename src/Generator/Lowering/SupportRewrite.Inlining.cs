using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// The statements a support rewrite reads at i. Each instance (a statement with one renaming of its axes) is
/// evaluated on the support once and then read wherever it is used, so the rewritten expression is a DAG: a
/// statement read twice by the next one (<c>r_k = r_(k-1) + r_(k-1)</c>) costs one node per statement, not 2^k.
/// Instances are built dependencies first from an explicit stack, never by recursing along a chain of statements
/// (a chain of thousands would overflow the compiler's stack); beyond LoweringLimits the rewrite is refused.
/// </summary>
internal sealed partial class SupportRewrite
{
    private readonly Dictionary<string, BoundExpression> _instances = new(System.StringComparer.Ordinal);

    /// <summary>How often each instance is read (by reference): one read more than once is one value, read as a local.</summary>
    private readonly Dictionary<BoundExpression, int> _reads = new(ReferenceComparer<BoundExpression>.Instance);

    /// <summary>The nesting depth of each instance, every instance it reads counted in full.</summary>
    private readonly Dictionary<BoundExpression, int> _depths = new(ReferenceComparer<BoundExpression>.Instance);

    /// <summary>The terms of every instance built so far.</summary>
    private int _size;

    /// <summary>Whether <paramref name="node"/> is an inlined statement (it stands where the statement was read).</summary>
    public bool IsInlined(BoundExpression node) => _reads.ContainsKey(node);

    /// <summary>Whether <paramref name="node"/> is an inlined statement read more than once.</summary>
    public bool IsShared(BoundExpression node) => _reads.TryGetValue(node, out var reads) && reads > 1;

    private static string KeyOf(BoundLocalRef read) => read.Statement + "[" + string.Join(",", read.Renaming) + "]";

    /// <summary>
    /// Builds the instance of every statement that <paramref name="body"/> reads at i, directly or through other
    /// instances, each after those it reads. Returns why the rewrite is refused, or null.
    /// </summary>
    private string? InlineStatementsReadAt(BoundExpression body)
    {
        var pending = new Stack<(BoundLocalRef Read, BoundExpression? Renamed)>();
        foreach (var read in ReadsAt(body)) pending.Push((read, null));
        var expanded = 0;
        while (pending.Count > 0)
        {
            var (read, renamed) = pending.Pop();
            var key = KeyOf(read);
            if (_instances.ContainsKey(key)) continue;
            if (renamed is null)
            {
                // First visit: come back once the instances it reads are built (statements read only earlier ones, so this ends).
                // Every instance is at least one term: stop before building more than the budget allows.
                if (++expanded > LoweringLimits.MaxInlinedSize) return TooLarge(read.Statement);
                renamed = Renamed(read);
                pending.Push((read, renamed));
                foreach (var dependency in ReadsAt(renamed))
                {
                    if (!_instances.ContainsKey(KeyOf(dependency))) pending.Push((dependency, null));
                }
                continue;
            }
            var value = Substitute(renamed);
            _instances[key] = value;
            _depths[value] = DepthOf(value);
            _size += SizeOf(value);
            if (_size > LoweringLimits.MaxInlinedSize) return TooLarge(read.Statement);
        }
        return null;
    }

    private string TooLarge(string statement) =>
        $"evaluated on its mask's support, the sum over `{_name}` inlines more than {LoweringLimits.MaxInlinedSize} terms of the statements it reads (`{statement}` among them)";

    /// <summary>The statement's value with its declared axes renamed to the variables it is read at.</summary>
    private BoundExpression Renamed(BoundLocalRef read)
    {
        var statement = _statements[read.Statement];
        var map = new Dictionary<string, string>();
        for (var d = 0; d < statement.Axes.Count; d++) map[statement.Axes[d]] = read.Renaming[d];
        return VariableRenaming.Rename(statement.Value, map);
    }

    /// <summary>The statement instance read here (built already), counted as one more read.</summary>
    private BoundExpression ReadInstance(BoundLocalRef read)
    {
        var value = _instances[KeyOf(read)];
        _reads[value] = _reads.TryGetValue(value, out var reads) ? reads + 1 : 1;
        return value;
    }

    /// <summary>The reads of statements at i in one statement's tree, where <see cref="Substitute"/> would meet them.</summary>
    private IEnumerable<BoundLocalRef> ReadsAt(BoundExpression expression)
    {
        var pending = new Stack<BoundExpression>();
        pending.Push(expression);
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!next.Axes.Contains(_i) && next is not BoundReduction) continue;
            if (next is BoundLocalRef local && local.Renaming.Contains(_i))
            {
                yield return local;
                continue;
            }
            foreach (var child in Children(next)) pending.Push(child);
        }
    }

    /// <summary>The terms of an instance's own tree (the instances it reads are counted once, on their own).</summary>
    private int SizeOf(BoundExpression expression)
    {
        var size = 1;
        foreach (var child in Children(expression))
        {
            if (!_depths.ContainsKey(child)) size += SizeOf(child);
        }
        return size;
    }

    /// <summary>The nesting depth of a rewritten expression, an instance counting as deep as its own value.</summary>
    private int DepthOf(BoundExpression expression)
    {
        if (_depths.TryGetValue(expression, out var known)) return known;
        var deepest = 0;
        foreach (var child in Children(expression)) deepest = System.Math.Max(deepest, DepthOf(child));
        return deepest + 1;
    }
}
