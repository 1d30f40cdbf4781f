using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Lowering;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// The smooth program of an <c>interpolate</c> metric (UniLoss; docs/language.md, "Interpolation mode"): Δ of every
/// coordinate block over all its axes (divided by its temperature) and its validity, flattened into one
/// vector; then the runtime's UniLossSurrogate relaxes Δ, draws the anchors and interpolates the exact tail,
/// which is this metric's program again with each coordinate block read from the anchors — evaluated for all
/// anchors at once, along an extra leading anchor axis.
/// </summary>
internal sealed partial class ProgramLowering
{
    private const string AnchorVariable = "anchor__0";

    private readonly Dictionary<BoundExpression, string> _anchorLeaves = new(ReferenceComparer<BoundExpression>.Instance);
    private readonly HashSet<string> _anchoredStatements = new();

    private IReadOnlyList<string> StatementAxes(string name, IReadOnlyList<string> declared, ProgramValue value)
    {
        if (value.IsNumber || !value.Axes.Contains(AnchorVariable)) return declared;
        _anchoredStatements.Add(name);
        return new[] { AnchorVariable }.Concat(declared).ToList();
    }

    /// <summary>
    /// The axes of a value made from <paramref name="operands"/>: the node's own axes, led by the anchor axis when an
    /// operand runs along it (in an interpolation tail; the bound model knows nothing of anchors).
    /// </summary>
    private static IReadOnlyList<string> Combined(IReadOnlyList<string> nodeAxes, params ProgramValue[] operands) =>
        operands.Any(o => !o.IsNumber && o.Axes.Contains(AnchorVariable)) ? new[] { AnchorVariable }.Concat(nodeAxes).ToList() : nodeAxes;

    /// <summary>A coordinate block read from the anchors: [anchor, node axes...] (narrowed inside a chunk like any leaf).</summary>
    private ProgramValue AnchorLeaf(string leaf, BoundExpression node)
    {
        var axes = new[] { AnchorVariable }.Concat(node.Axes).ToList();
        return ProgramValue.Tensor(Leaf(leaf, axes), axes);
    }

    private IReadOnlyList<string> LocalAxes(BoundLocalRef local) =>
        _anchoredStatements.Contains(local.Statement) ? new[] { AnchorVariable }.Concat(local.Renaming).ToList() : local.Renaming.ToList();

    public static LoweredProgram LowerInterpolated(BoundMetric metric)
    {
        var plan = InterpolationPlan.Build(metric);
        var lowering = new ProgramLowering(metric, ProgramKind.Smooth);
        lowering.CountUses();
        foreach (var statement in metric.Statements.Where(s => !plan.TailStatements.Contains(s.Name))) lowering.LowerStatement(statement);
        var goal = lowering.LowerUniLoss(plan);
        return new LoweredProgram(lowering._statements, goal);
    }

    /// <summary>
    /// Δ of one coordinate: high − low of a comparison, or the argument of a step, whose subtraction (step(a − b)) is
    /// formed as a comparison's difference, so that ∞ − ∞ is a tie (<see cref="Difference"/>).
    /// </summary>
    private ProgramValue CoordinateDifference(InterpolationPlan.Coordinate coordinate, IReadOnlyList<string> axes)
    {
        var (high, low) = coordinate.Low is null && coordinate.High is BoundBinary { Operator: BinaryOperator.Subtract } subtraction
            ? (subtraction.Left, subtraction.Right)
            : (coordinate.High, coordinate.Low);
        var highValue = LowerExpression(high);
        return low is null ? highValue : Difference(highValue, LowerExpression(low), axes);
    }

    private ProgramValue LowerUniLoss(InterpolationPlan plan)
    {
        var blocks = new List<string>();
        for (var k = 0; k < plan.Coordinates.Count; k++)
        {
            var coordinate = plan.Coordinates[k];
            var axes = coordinate.Node.Axes.ToList();
            var difference = CoordinateDifference(coordinate, axes);
            var temperature = LowerExpression(coordinate.Temperature).Code;
            var shape = Op.Longs(Sizes(axes));
            FlushGuards();
            var scaled = Op.Call(OpCode.MultiplyNumber, Align(difference, axes), Op.Call(OpCode.NumberReciprocal, temperature));
            _statements.Add(new Let(Local.Temporary("d", k), Op.Call(OpCode.Contiguous, Op.Call(OpCode.Expand, scaled, shape))));
            _statements.Add(new Let(Local.Temporary("w", k), Op.Call(OpCode.Contiguous, Op.Call(OpCode.Expand, Validity(coordinate, axes), shape))));
            blocks.Add(Local.Temporary("d", k));
        }
        var empty = Op.Call(OpCode.Full, Op.Longs(new[] { Op.Int(0) }), Op.Name("0d"), Dtype, Device);
        Op Flattened(IEnumerable<string> names) => blocks.Count == 0 ? empty
            : Op.Call(OpCode.Concatenate, Op.Tensors(names.Select(name => Op.Call(OpCode.Reshape, Op.Name(name), Op.Int(-1)))));
        _statements.Add(new Let(Local.Delta, Flattened(blocks)));
        _statements.Add(new Let(Local.Valid, Flattened(Enumerable.Range(0, blocks.Count).Select(k => Local.Temporary("w", k)))));
        var options = Op.Name(Local.Options);
        _statements.Add(new Let(Local.OwnGenerator, Op.Call(OpCode.OwnAnchorGenerator, options, Device), LetKind.Owned));
        _statements.Add(new Let(Local.Generator, Op.Call(OpCode.AnchorGenerator, options, Op.Name(Local.OwnGenerator))));
        var outer = _statements;
        _statements = new List<Statement>();
        try
        {
            LowerTail(plan, blocks);
            outer.Add(new Interpolate(Local.Interpolated, Local.Delta, Local.Valid, Local.Generator, _statements.ToEquatableArray()));
        }
        finally
        {
            _statements = outer;
        }
        return ProgramValue.Tensor(Op.Name(Local.Interpolated), System.Array.Empty<string>());
    }

    /// <summary>1 where the coordinate counts: constant factors beside it non-zero and no excluded position.</summary>
    private Op Validity(InterpolationPlan.Coordinate coordinate, IReadOnlyList<string> axes)
    {
        var parts = new List<Op>();
        var none = System.Array.Empty<string>();
        foreach (var factor in coordinate.Factors)
        {
            var value = LowerExpression(factor);
            parts.Add(value.IsNumber ? Full(none, Op.Call(OpCode.NumberNonZero, value.Code)) : Op.Call(OpCode.ToType, Op.Call(OpCode.NonZero, Align(value, axes)), Dtype));
        }
        foreach (var exclusion in coordinate.Exclusions)
        {
            var positions = IndexValue(BoundIndex.Of(exclusion.Variable));
            var excluded = IndexValue(exclusion.Excluded!);
            parts.Add(Op.Call(OpCode.Exclude, Align(positions, axes), Align(excluded, axes), Dtype));
        }
        return parts.Count == 0 ? Full(none, Op.Name("1d")) : RightNested(parts, OpCode.Multiply);
    }

    /// <summary>The exact tail for a batch of anchors [K, D]: statements that read coordinates, then the goal, per anchor.</summary>
    private void LowerTail(InterpolationPlan plan, IReadOnlyList<string> blocks)
    {
        var anchors = Op.Name(Local.Anchors);
        _statements.Add(new Let(SizeLocal(AnchorVariable), Op.Call(OpCode.AnchorCount, anchors), LetKind.Size));
        // Block k starts after the elements of blocks 0 … k − 1.
        var offset = new List<Op> { Op.Name("0L") };
        for (var k = 0; k < blocks.Count; k++)
        {
            _statements.Add(new Let(Local.Temporary("a", k), Op.Call(OpCode.AnchorBlock, anchors, Op.Terms(offset), Op.Name(blocks[k]))));
            offset.Add(Op.Call(OpCode.Numel, Op.Name(blocks[k])));
            _anchorLeaves[plan.Coordinates[k].Node] = Local.Temporary("a", k);
        }
        _variables[AnchorVariable] = new AxisVariable(AnchorVariable, "anchor", AnchorVariable);

        // The tail is the exact program: hard comparisons elsewhere, divisions by zero give 0.
        var outerShared = new Dictionary<string, ProgramValue>(_shared);
        _kind = ProgramKind.Exact;
        try
        {
            foreach (var statement in _metric.Statements.Where(s => plan.TailStatements.Contains(s.Name))) LowerStatement(statement);
            var goal = LowerExpression(_metric.Goal);
            FlushGuards();
            var anchorAxis = new[] { AnchorVariable };
            var perAnchor = goal.IsNumber
                ? Full(anchorAxis, goal.Code)
                : goal.Axes.Contains(AnchorVariable)
                    ? Align(goal, anchorAxis)
                    : Op.Call(OpCode.Expand, Op.Call(OpCode.Reshape, goal.Code, Op.Int(1)), Op.Longs(Sizes(anchorAxis)));
            _statements.Add(new Return(perAnchor));
        }
        finally
        {
            _kind = ProgramKind.Smooth;
            _anchorLeaves.Clear();
            _shared.Clear();
            foreach (var pair in outerShared) _shared[pair.Key] = pair.Value;
        }
    }
}
