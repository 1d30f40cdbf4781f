using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Ir;
using static MetricLoss.Generator.Tests.Ir.IrHandWritten;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// Ir/CheckPlacement on hand-written blocks: a budget check moves before the first statement that computes a value
/// over its axes (a chunked reduction's output, a shared local), whatever the axes' order, and stays where it is
/// otherwise; checks keep their order; on the catalogue, every check precedes the statements that make its value.
/// </summary>
public class CheckPlacementTests
{
    private static Check CheckOf(params string[] axes) =>
        new(Op.Call(OpCode.RequirePairwiseBudget, Op.Name("\"M\""), Op.Longs(axes.Select(a => Op.Name("size__" + a))),
            Op.Name("__options.MaxPairwiseElements"), Op.Name("\"" + string.Join(", ", axes) + "\"")), axes.ToEquatableArray());

    private static Op Over(Op op, params string[] axes) => ((CallOp)op) with { Axes = axes.ToEquatableArray() };

    private static Let Pairwise(string name, params string[] axes) =>
        new(name, Over(Op.Call(OpCode.Multiply, Op.Call(OpCode.Unsqueeze, Op.Name("x__a"), Op.Int(1)), Op.Call(OpCode.Unsqueeze, Op.Name("x__b"), Op.Int(0))), axes));

    [Fact]
    public void A_check_moves_before_the_shared_local_that_makes_its_value()
    {
        var shared = Pairwise("t__0", "i", "j");
        var statement = new Let("s__r", Op.Call(OpCode.Sum, Op.Name("t__0"), Op.Longs(new[] { Op.Int(1) })));
        var check = CheckOf("j", "i");

        var placed = CheckPlacement.Run(new Statement[] { new Let("s__a", Op.Name("x__a")), shared, check, statement });

        Assert.Equal(new Statement[] { new Let("s__a", Op.Name("x__a")), check, shared, statement }, placed);
    }

    [Fact]
    public void A_check_moves_before_the_chunked_reduction_whose_output_it_bounds()
    {
        var chunk = Chunk(1, Over(Op.Call(OpCode.Sum, new LeafOp(0, 0), Op.Longs(new[] { Op.Int(2) })), "q", "m"));
        var check = CheckOf("q", "m");
        var read = new Let("s__hits", Op.Name("c__0"));

        Assert.Equal(new Statement[] { check, chunk, read }, CheckPlacement.Run(new Statement[] { chunk, check, read }));
    }

    [Fact]
    public void A_check_no_earlier_statement_needs_stays_and_checks_keep_their_order()
    {
        var first = CheckOf("i", "j");
        var second = CheckOf("i", "k");
        var unrelated = Pairwise("t__0", "i", "m");
        var later = Pairwise("t__1", "i", "j");
        var block = new Statement[] { unrelated, first, second, later };

        Assert.Equal(block, CheckPlacement.Run(block));

        // Two checks that move before the same statement keep their order.
        var both = Pairwise("t__2", "i", "k");
        var chunk = Chunk(1, Over(Op.Call(OpCode.Add, Read(0), Read(1)), "i"),
            Local(0, Over(Op.Call(OpCode.Negate, Op.Name("x__a")), "i", "j")),
            Local(1, Over(Op.Call(OpCode.Negate, Op.Name("x__b")), "k", "i")));
        Assert.Equal(new Statement[] { first, second, chunk }, CheckPlacement.Run(new Statement[] { chunk, first, second }));
        Assert.Equal(new Statement[] { second, both, first }, CheckPlacement.Run(new Statement[] { both, second, first }));
    }

    [Theory]
    [MemberData(nameof(IrCatalogueDifferentialTests.Metrics), MemberType = typeof(IrCatalogueDifferentialTests))]
    public void In_the_catalogue_no_statement_before_a_check_makes_its_value(string file, string name)
    {
        var metric = Plan.ReductionRulesTests.Bind(Infrastructure.TestFiles.CatalogMetric(file, name));
        foreach (var kind in new[] { Emit.ProgramKind.Exact, Emit.ProgramKind.Smooth })
        {
            AssertChecksFirst(LoweringPipeline.Lower(metric, kind).Statements, $"{name} {kind}");
        }
    }

    /// <summary>The test's own reading of "makes a value over these axes": some operation of the statement records them.</summary>
    private static bool MakesValueOver(Statement statement, IReadOnlyList<string> axes)
    {
        var values = statement switch
        {
            Let let => new[] { let.Value },
            LetTuple tuple => new[] { tuple.Value },
            ChunkedReduction chunked => chunked.Locals.Select(l => l.Value).Append(chunked.Result).ToArray(),
            _ => Array.Empty<Op>(),
        };
        var found = false;
        foreach (var value in values)
        {
            OpWalk.Visit(value, node => found |= node is CallOp { Axes: { } made } && made.OrderBy(a => a).SequenceEqual(axes.OrderBy(a => a)));
        }
        return found;
    }

    private static void AssertChecksFirst(IReadOnlyList<Statement> block, string where)
    {
        for (var k = 0; k < block.Count; k++)
        {
            if (block[k] is Interpolate interpolate) AssertChecksFirst(interpolate.Tail, where + " (tail)");
            if (block[k] is not Check check) continue;
            for (var before = 0; before < k; before++)
            {
                Assert.False(MakesValueOver(block[before], check.Axes),
                    $"{where}: statement {before} makes the value that the check at {k} ([{string.Join(", ", check.Axes)}]) bounds");
            }
        }
    }
}
