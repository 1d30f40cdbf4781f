using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// Chunk planning: a reduction whose body spans axes that no single input spans (a pairwise term) is computed chunk by
/// chunk along one axis, each chunk within Options.MaxPairwiseElements, through the runtime's ChunkedReduction. The
/// axis is the reduction's first output axis, or, for a sum to a scalar, its first bound axis the body spans (the
/// chunks' sums are added). Reductions whose chunks cannot simply be combined (a max to a scalar) stay dense, within
/// the budget check.
/// </summary>
internal static class ChunkRule
{
    public static ChunkedLowering? TryLower(BoundReduction reduction, LoweringScope scope)
    {
        if (scope.InChunk) return null;
        var bodyAxes = BodyAxes(reduction);
        if (IsSpanned(bodyAxes, scope)) return null;
        var axis = reduction.Axes.Count > 0
            ? reduction.Axes[0]
            : reduction.Reducer == Reducer.Sum ? reduction.Binders.Select(b => b.Variable).FirstOrDefault(bodyAxes.Contains) : null;
        return axis is null ? null : new ChunkedLowering(axis, reduction.Binders.Any(b => b.Excluded is not null));
    }

    /// <summary>Every axis the body of a reduction runs over: its own, the binders', the excluded indices'.</summary>
    public static IReadOnlyList<string> BodyAxes(BoundReduction reduction) =>
        Union(new[] { (IReadOnlyList<string>)reduction.Body.Axes.ToList() }
            .Concat(reduction.Binders.Select(b => b.Excluded is null ? new[] { b.Variable } : new[] { b.Variable }.Concat(VariablesOf(b.Excluded)).ToArray())));

    /// <summary>Whether some input spans these axes (a value over them is no larger than that input): then no chunking or budget check.</summary>
    public static bool IsSpanned(IReadOnlyList<string> axes, LoweringScope scope)
    {
        var sizeAxes = axes.Select(scope.SizeAxisOf).ToList();
        return axes.Count < 2 || scope.Metric.Inputs.Any(input =>
        {
            var available = input.Axes.ToList();
            return sizeAxes.All(available.Remove);
        });
    }
}
