using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Lowering;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// The smooth program of an <c>interpolate</c> metric (UniLoss; docs/language.md, "Interpolation mode"): Δ of every
/// coordinate block over all its axes (divided by its temperature) and its validity, flattened into one
/// vector; then the runtime's UniLossSurrogate relaxes Δ, draws the anchors and interpolates the exact tail,
/// which is this metric's program again with each coordinate block read from the anchors — evaluated for all
/// anchors at once, along an extra leading anchor axis.
/// </summary>
internal sealed partial class ProgramEmitter
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

    public static ProgramValue EmitInterpolated(BoundMetric metric, SourceWriter writer)
    {
        var plan = InterpolationPlan.Build(metric);
        var emitter = new ProgramEmitter(metric, ProgramKind.Smooth, writer);
        emitter.CountUses();
        foreach (var statement in metric.Statements.Where(s => !plan.TailStatements.Contains(s.Name))) emitter.EmitStatement(statement);
        return emitter.EmitUniLoss(plan);
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
        var highValue = EmitExpression(high);
        return low is null ? highValue : Difference(highValue, EmitExpression(low), axes);
    }

    private ProgramValue EmitUniLoss(InterpolationPlan plan)
    {
        var blocks = new List<string>();
        for (var k = 0; k < plan.Coordinates.Count; k++)
        {
            var coordinate = plan.Coordinates[k];
            var axes = coordinate.Node.Axes.ToList();
            var difference = CoordinateDifference(coordinate, axes);
            var temperature = EmitExpression(coordinate.Temperature).Code;
            var shape = Op.Longs(Sizes(axes));
            FlushGuards();
            var scaled = Op.Call(OpCode.MultiplyNumber, Align(difference, axes), Op.Call(OpCode.NumberReciprocal, temperature));
            _writer.Line($"var {Local.Temporary("d", k)} = {OpPrinter.Print(Op.Call(OpCode.Contiguous, Op.Call(OpCode.Expand, scaled, shape)))};");
            _writer.Line($"var {Local.Temporary("w", k)} = {OpPrinter.Print(Op.Call(OpCode.Contiguous, Op.Call(OpCode.Expand, Validity(coordinate, axes), shape)))};");
            blocks.Add(Local.Temporary("d", k));
        }
        var deltas = string.Join(", ", blocks.Select(b => b + ".reshape(-1)"));
        var valids = string.Join(", ", Enumerable.Range(0, blocks.Count).Select(k => $"{Local.Temporary("w", k)}.reshape(-1)"));
        var empty = $"{CSharp.Ops}.Full(new long[] {{ 0 }}, 0d, {Local.Dtype}, {Local.Device})";
        _writer.Line($"var {Local.Delta} = {(blocks.Count == 0 ? empty : $"{CSharp.Torch}.cat(new {CSharp.Tensor}[] {{ {deltas} }}, 0)")};");
        _writer.Line($"var {Local.Valid} = {(blocks.Count == 0 ? empty : $"{CSharp.Torch}.cat(new {CSharp.Tensor}[] {{ {valids} }}, 0)")};");
        _writer.Line($"using var {Local.OwnGenerator} = {Local.Options}.Generator is null ? global::MetricLoss.Runtime.DenseOps.AnchorGenerator({Local.Options}.Seed, {Local.Device}) : null;");
        _writer.Line($"var {Local.Generator} = {Local.Options}.Generator ?? {Local.OwnGenerator}!;");
        _writer.Line($"var {Local.Interpolated} = global::MetricLoss.Interpolation.UniLossSurrogate.Evaluate(");
        _writer.Indent();
        _writer.Line($"{Local.Delta}, {Local.Valid}, 1d, {Local.Options}.AnchorsGood, {Local.Options}.AnchorsNearby, {Local.Options}.AnchorsRandom, {Local.Generator},");
        _writer.Line($"{Local.Anchors} =>");
        _writer.Line("{");
        _writer.Indent();
        EmitTail(plan, blocks);
        _writer.Outdent();
        _writer.Line("},");
        _writer.Line($"{Local.Eps}, {Local.Relaxation});");
        _writer.Outdent();
        return ProgramValue.Tensor(Op.Name(Local.Interpolated), System.Array.Empty<string>());
    }

    /// <summary>1 where the coordinate counts: constant factors beside it non-zero and no excluded position.</summary>
    private Op Validity(InterpolationPlan.Coordinate coordinate, IReadOnlyList<string> axes)
    {
        var parts = new List<Op>();
        var none = System.Array.Empty<string>();
        foreach (var factor in coordinate.Factors)
        {
            var value = EmitExpression(factor);
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
    private void EmitTail(InterpolationPlan plan, IReadOnlyList<string> blocks)
    {
        _writer.Line($"long {SizeLocal(AnchorVariable)} = {Local.Anchors}.shape[0];");
        var offset = "0L";
        for (var k = 0; k < blocks.Count; k++)
        {
            _writer.Line($"var {Local.Temporary("a", k)} = global::MetricLoss.Runtime.DenseOps.AnchorBlock({Local.Anchors}, {offset}, {blocks[k]});");
            offset = $"{offset} + {blocks[k]}.numel()";
            _anchorLeaves[plan.Coordinates[k].Node] = Local.Temporary("a", k);
        }
        _variables[AnchorVariable] = new AxisVariable(AnchorVariable, "anchor", AnchorVariable);

        // The tail is the exact program: hard comparisons elsewhere, divisions by zero give 0.
        var outerShared = new Dictionary<string, ProgramValue>(_shared);
        _kind = ProgramKind.Exact;
        try
        {
            foreach (var statement in _metric.Statements.Where(s => plan.TailStatements.Contains(s.Name))) EmitStatement(statement);
            var goal = EmitExpression(_metric.Goal);
            FlushGuards();
            var anchors = new[] { AnchorVariable };
            var perAnchor = goal.IsNumber
                ? Full(anchors, goal.Code)
                : goal.Axes.Contains(AnchorVariable)
                    ? Align(goal, anchors)
                    : Op.Call(OpCode.Expand, Op.Call(OpCode.Reshape, goal.Code, Op.Int(1)), Op.Longs(Sizes(anchors)));
            _writer.Line($"return {OpPrinter.Print(perAnchor)};");
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
