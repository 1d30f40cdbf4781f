using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Lowering;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// A program of a metric as the lowering returns it and after each pass of Ir/LoweringPipeline in turn (every
/// chunked reduction, an interpolation's tail included), so each pass's output can be evaluated against the same
/// oracle as its input.
/// </summary>
internal static class IrPassStages
{
    public static IReadOnlyList<(string Stage, LoweredProgram Program)> Of(BoundMetric metric, ProgramKind kind, bool sortedRanks = false)
    {
        var lowered = kind == ProgramKind.Smooth && metric.IsInterpolated
            ? ProgramLowering.LowerInterpolated(metric)
            : ProgramLowering.Lower(metric, kind, sortedRanks);
        var inlined = Map(lowered, ChunkLocalInlining.Run);
        var sliced = Map(inlined, ChunkLeafSlicing.Run);
        var checkedFirst = PlaceChecks(sliced);
        return new[] { ("lowered", lowered), (nameof(ChunkLocalInlining), inlined), (nameof(ChunkLeafSlicing), sliced), (nameof(CheckPlacement), checkedFirst) };
    }

    /// <summary>The program with <paramref name="pass"/> run on each of its chunked reductions.</summary>
    public static LoweredProgram Map(LoweredProgram program, Func<ChunkedReduction, ChunkedReduction> pass) =>
        program with { Statements = Map(program.Statements, pass) };

    private static IReadOnlyList<Statement> Map(IEnumerable<Statement> statements, Func<ChunkedReduction, ChunkedReduction> pass) =>
        statements.Select(statement => statement switch
        {
            ChunkedReduction chunked => pass(chunked),
            Interpolate interpolate => interpolate with { Tail = Map(interpolate.Tail, pass).ToEquatableArray() },
            _ => statement,
        }).ToList();

    /// <summary>The program with its checks placed (CheckPlacement) in every block, an interpolation's tail included.</summary>
    private static LoweredProgram PlaceChecks(LoweredProgram program) => program with { Statements = PlaceChecks(program.Statements) };

    private static IReadOnlyList<Statement> PlaceChecks(IReadOnlyList<Statement> block) => CheckPlacement.Run(block.Select(statement =>
        statement is Interpolate interpolate ? interpolate with { Tail = PlaceChecks(interpolate.Tail).ToEquatableArray() } : statement).ToList());

    /// <summary>Whether two programs are the same statements and goal (the last stage must be what the pipeline returns).</summary>
    public static bool SameProgram(LoweredProgram a, LoweredProgram b) =>
        a.Statements.SequenceEqual(b.Statements) && a.Goal.Code == b.Goal.Code && a.Goal.IsNumber == b.Goal.IsNumber && a.Goal.Axes.SequenceEqual(b.Goal.Axes);

    /// <summary>The chunked reductions of a program, those of an interpolation's tail included.</summary>
    public static IEnumerable<ChunkedReduction> Chunks(LoweredProgram program) => Chunks(program.Statements);

    private static IEnumerable<ChunkedReduction> Chunks(IEnumerable<Statement> statements) => statements.SelectMany(statement => statement switch
    {
        ChunkedReduction chunked => new[] { chunked },
        Interpolate interpolate => Chunks(interpolate.Tail),
        _ => Enumerable.Empty<ChunkedReduction>(),
    });
}
