using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Lowering;

namespace MetricLoss.Generator.Ir;

/// <summary>
/// From a bound metric to a lowered program, in this order (docs/architecture.md, "The lowering, in order"):
/// <list type="number">
/// <item>analyses of the bound metric: the supports of masked sums (Lowering/SupportPlan), the subexpressions read
/// more than once (Plan/SharingPass), an interpolated metric's coordinates and exact tail (Lowering/InterpolationPlan);
/// whether the smooth program has a sort-based variant is Plan/SortedRanksVariant's, asked by EntryPointEmitter;</item>
/// <item>the lowering (Lowering/ProgramLowering): statements to typed operations, every reduction as Plan/ReductionRules
/// decide (rank counts, supports, separable sums, chunks, distributed sums, dense), the budget checks Plan/PairwiseBudgetRule asks for, one sort per
/// ranked expression, a chunk body's values as its locals;</item>
/// <item><see cref="ChunkLocalInlining"/>: a chunk body's locals read once put back into their reader;</item>
/// <item><see cref="ChunkLeafSlicing"/>: which of a chunk's leaves arrive sliced, the others narrowed in the body;</item>
/// <item><see cref="CheckPlacement"/>: each pairwise budget check before the first statement that makes its value;</item>
/// <item><see cref="ProgramPrinter"/> writes the result as C# (EntryPointEmitter), deciding nothing.</item>
/// </list>
/// </summary>
internal static class LoweringPipeline
{
    /// <summary>A program of the metric: the exact one, the smooth one, or (<paramref name="sortedRanks"/>) the smooth one's sort-based variant.</summary>
    public static LoweredProgram Lower(BoundMetric metric, ProgramKind kind, bool sortedRanks = false) =>
        RunPasses(kind == ProgramKind.Smooth && metric.IsInterpolated
            ? ProgramLowering.LowerInterpolated(metric)
            : ProgramLowering.Lower(metric, kind, sortedRanks));

    /// <summary>The passes over a lowered program, in order.</summary>
    public static LoweredProgram RunPasses(LoweredProgram program) => program with { Statements = RunPasses(program.Statements) };

    private static IReadOnlyList<Statement> RunPasses(IEnumerable<Statement> statements) => CheckPlacement.Run(statements.Select(statement => statement switch
    {
        ChunkedReduction chunked => ChunkLeafSlicing.Run(ChunkLocalInlining.Run(chunked)),
        Interpolate interpolate => interpolate with { Tail = RunPasses(interpolate.Tail).ToEquatableArray() },
        _ => statement,
    }).ToList());
}
