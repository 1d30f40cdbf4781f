using System.Collections.Generic;
using System.Linq;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// Which values are checked against Options.MaxPairwiseElements before the program goes on (DenseOps.RequirePairwiseBudget):
/// a tensor over two or more axes that no input spans (a pairwise term lowered densely, not in chunks), once per set of
/// axis sizes in a program. A value inside a chunk's body is bounded by the chunk and is not checked.
/// </summary>
internal static class PairwiseBudgetRule
{
    /// <summary>
    /// The key of the check a value over <paramref name="axes"/> needs (its sizes, in order), or null when it needs none
    /// or one with that key is made already (<paramref name="checkedKeys"/>, which this adds to).
    /// </summary>
    public static string? CheckKey(IReadOnlyList<string> axes, LoweringScope scope, ISet<string> checkedKeys)
    {
        if (axes.Count < 2 || scope.InChunk || ChunkRule.IsSpanned(axes, scope)) return null;
        var key = string.Join(",", axes.Select(scope.SizeAxisOf).OrderBy(a => a, System.StringComparer.Ordinal));
        return checkedKeys.Add(key) ? key : null;
    }
}
