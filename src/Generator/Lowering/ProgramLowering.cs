using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Plan;

using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Lowers a bound metric to a program of typed operations (Ir/LoweredProgram), one local per statement, for either
/// program; Ir/ProgramPrinter writes it as straight-line TorchSharp code. Every tensor value carries its axes;
/// operands are permuted and unsqueezed into the axes of the result so broadcasting lines them up (the dense lowering
/// of elementwise terms and reductions), and each reduction is lowered as Plan/ReductionRules decide.
/// </summary>
internal sealed partial class ProgramLowering
{
    private readonly BoundMetric _metric;
    private ProgramKind _kind;
    /// <summary>The program being lowered; <see cref="_kind"/> is Exact inside it for the exact tail of an interpolated metric.</summary>
    private readonly ProgramKind _program;
    /// <summary>The block being lowered: the program's statements, or an interpolation's exact tail.</summary>
    private List<Statement> _statements = new();
    private readonly Dictionary<string, AxisVariable> _variables;
    private readonly Dictionary<string, bool> _statementIsNumber = new();
    private readonly List<Check> _pendingGuards = new();
    private readonly HashSet<string> _guardedAxes = new();

    /// <summary>The smooth program's sort-based variant (Plan/SortedRanksVariant): smooth ranks by sorting, no supports.</summary>
    private readonly bool _sortedRanks;

    private ProgramLowering(BoundMetric metric, ProgramKind kind, bool sortedRanks = false)
    {
        _metric = metric;
        _kind = kind;
        _program = kind;
        _sortedRanks = sortedRanks;
        _variables = metric.Variables.ToDictionary(v => v.Id);
    }

    private bool IsSmooth => _kind == ProgramKind.Smooth;

    /// <summary>
    /// The statements and the goal as a value (a 0-dim tensor or a number); with <paramref name="sortedRanks"/>, the
    /// smooth program's sort-based variant.
    /// </summary>
    public static LoweredProgram Lower(BoundMetric metric, ProgramKind kind, bool sortedRanks = false)
    {
        var lowering = new ProgramLowering(metric, kind, sortedRanks);
        lowering.CountUses();
        lowering.PlanSupports();
        foreach (var statement in metric.Statements.Where(s => !lowering._plan.IsUnused(s.Name))) lowering.LowerStatement(statement);
        var goal = lowering.LowerExpression(metric.Goal);
        lowering.FlushGuards();
        return new LoweredProgram(lowering._statements, goal);
    }

    /// <summary>The long index tensor of an <c>index&lt;c&gt;</c> input (the program's own copy, never converted to floats).</summary>
    public static string IndexLocal(string name) => Local.Index(name);

    public static string StatementLocal(string name) => Local.Statement(name);

    public static string InputLocal(string name) => Local.Input(name);

    public static string OptionLocal(string name) => Local.Option(name);

    public static string SizeLocal(string axis) => Local.Size(axis);

    private void LowerStatement(BoundStatement statement)
    {
        var value = LowerExpression(statement.Value);
        FlushGuards();
        var local = StatementLocal(statement.Name);
        _statementIsNumber[statement.Name] = value.IsNumber && statement.Axes.Count == 0;
        if (value.IsNumber && statement.Axes.Count == 0)
        {
            _statements.Add(new Let(local, value.Code, LetKind.Number));
            return;
        }
        // In an interpolation tail a statement also runs along the anchor axis, first.
        var axes = StatementAxes(statement.Name, statement.Axes, value);
        var code = value.IsNumber
            ? Full(axes, value.Code)
            : Expand(Align(value, axes), value, axes);
        _statements.Add(new Let(local, code));
    }

    /// <summary>A tensor of the program's dtype and device shaped by <paramref name="axes"/>, filled with a number.</summary>
    private Op Full(IEnumerable<string> axes, Op number) => Op.Call(OpCode.Full, Op.Longs(Sizes(axes)), number, Dtype, Device);

    /// <summary>A statement missing some of its declared axes is expanded, so later reductions see every position.</summary>
    private Op Expand(Op aligned, ProgramValue value, IReadOnlyList<string> axes) =>
        value.Axes.Count == axes.Count ? aligned : Op.Call(OpCode.Expand, aligned, Op.Longs(Sizes(axes)));

    private IEnumerable<Op> Sizes(IEnumerable<string> variables) => variables.Select(SizeOf);

    private Op SizeOf(string variable) => Op.Name(_chunk?.Variable == variable ? Local.Length : SizeLocal(_variables[variable].SizeAxis));

    /// <summary>The number of positions of <paramref name="variables"/>, a double.</summary>
    private Op Count(IEnumerable<string> variables) => Op.Count(Sizes(variables));

    private static readonly Op Dtype = Op.Name(Local.Dtype), Device = Op.Name(Local.Device), Eps = Op.Name(Local.Eps), Relaxation = Op.Name(Local.Relaxation);

    /// <summary>Permutes and unsqueezes a tensor value so its dimensions are <paramref name="target"/> (missing ones of size 1).</summary>
    private static Op Align(ProgramValue value, IReadOnlyList<string> target)
    {
        var code = value.Code;
        var present = target.Where(value.Axes.Contains).ToList();
        if (!present.SequenceEqual(value.Axes))
        {
            code = Op.Call(OpCode.Permute, code, Op.Arguments(present.Select(a => Op.Int(IndexOf(value.Axes, a)))));
        }
        for (var position = 0; position < target.Count; position++)
        {
            if (!value.Axes.Contains(target[position])) code = Op.Call(OpCode.Unsqueeze, code, Op.Int(position));
        }
        return code;
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item) return i;
        }
        return -1;
    }

    private ProgramValue LowerExpression(BoundExpression expression)
    {
        // Expressions are bounded (TextLimits, LoweringLimits); should one still be too deep, this throws (MTR0900)
        // where running out of stack would kill the compiler.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        if (TryLowered(expression, out var lowered)) return lowered;
        return Lowered(expression, LowerExpressionCore(expression));
    }

    /// <summary>
    /// A value computed already: in a support an inlined statement read again (by identity, TryInlined: the rewrite
    /// is a DAG that CanonicalKey would spell out path by path), elsewhere an equal subexpression (by CanonicalKey).
    /// </summary>
    private bool TryLowered(BoundExpression expression, out ProgramValue value)
    {
        if (_support is not null) return TryInlined(expression, out value);
        value = default;
        return _chunk is null && _shared.TryGetValue(CanonicalKey.Of(expression), out value) && SameAxes(value, expression);
    }

    /// <summary>A value just lowered, checked against the pairwise budget and kept as a local where it is read again.</summary>
    private ProgramValue Lowered(BoundExpression expression, ProgramValue value)
    {
        if (!value.IsNumber) Guard(value.Axes);
        if (_support is not null) return Inlined(expression, value);
        if (_chunk is null) return Share(expression, value);
        return value.IsNumber ? value : ProgramValue.Tensor(_chunk.Locals.Intern(value.Code), value.Axes);
    }

    /// <summary>A shared value stands for an expression only over the same free variables (they name its dimensions).</summary>
    private static bool SameAxes(ProgramValue shared, BoundExpression expression) =>
        shared.IsNumber || shared.Axes.OrderBy(a => a, System.StringComparer.Ordinal).SequenceEqual(expression.Axes.OrderBy(a => a, System.StringComparer.Ordinal));

    /// <summary>A value over <paramref name="axes"/>: an intermediate of the chunk being lowered, or checked against the pairwise budget where Plan/PairwiseBudgetRule says so.</summary>
    private void Guard(IReadOnlyList<string> axes)
    {
        _chunk?.Intermediates.Add(axes);
        if (PairwiseBudgetRule.CheckKey(axes, Scope(), _guardedAxes) is null) return;
        var names = string.Join(", ", axes.Select(a => _variables[a].Name));
        var call = Op.Call(OpCode.RequirePairwiseBudget, Op.Name(CSharp.String(_metric.Name)), Op.Longs(Sizes(axes)),
            Op.Name($"{Local.Options}.MaxPairwiseElements"), Op.Name(CSharp.String(names)));
        _pendingGuards.Add(new Check(call, axes.ToEquatableArray()));
    }

    private void FlushGuards()
    {
        _statements.AddRange(_pendingGuards);
        _pendingGuards.Clear();
    }

    /// <summary>
    /// One node. Operators recurse through here once per level of an expression, so the frames on that path are kept
    /// small (an inlined chain of statements is as deep as LoweringLimits allow): leaves and the combining of operand
    /// values are methods of their own, off the recursive path.
    /// </summary>
    private ProgramValue LowerExpressionCore(BoundExpression expression)
    {
        if (_anchorLeaves.Count > 0 && _anchorLeaves.ContainsKey(expression)) return LowerLeaf(expression);
        switch (expression)
        {
            case BoundUnary unary:
                return LowerUnary(unary);
            case BoundBinary binary:
                return LowerBinary(binary);
            case BoundComparison comparison:
                return LowerComparison(comparison);
            case BoundStep step:
                return LowerStep(step);
            case BoundReduction reduction:
                return LowerReductionNode(reduction);
            case BoundCall call:
                return LowerCall(call);
            case BoundIdealDcg idealDcg:
                return LowerIdealDcg(idealDcg);
            default:
                return LowerLeaf(expression);
        }
    }

    private ProgramValue LowerLeaf(BoundExpression expression)
    {
        if (_anchorLeaves.TryGetValue(expression, out var leaf)) return AnchorLeaf(leaf, expression);
        switch (expression)
        {
            case BoundNumber number:
                return ProgramValue.Number(Op.Name(CSharp.Double(number.Value)));
            case BoundOptionRef option:
                return option.IndexVariable is null
                    ? ProgramValue.Number(Op.Name(OptionLocal(option.Option)))
                    : ProgramValue.Tensor(Leaf(OptionLocal(option.Option), new[] { option.IndexVariable }), new[] { option.IndexVariable });
            case BoundInputRef input:
                return LowerInput(input);
            case BoundLocalRef local:
                return _statementIsNumber[local.Statement]
                    ? ProgramValue.Number(Op.Name(StatementLocal(local.Statement)))
                    : ProgramValue.Tensor(Leaf(StatementLocal(local.Statement), LocalAxes(local)), LocalAxes(local));
            default:
                throw new NotSupportedException($"{expression.GetType().Name} is not lowered by this version of MetricLoss");
        }
    }

    /// <summary>Prints the lowering the rules decide (Plan/ReductionRules; a method of its own: LowerExpressionCore's frame is on the stack once per level of every expression).</summary>
    private ProgramValue LowerReductionNode(BoundReduction reduction) => ReductionRules.Decide(reduction, Scope()) switch
    {
        RankCountLowering count => LowerRankCount(count),
        MannWhitneyLowering sum => LowerMannWhitney(sum),
        SupportLowering support => LowerSupport(reduction, support),
        SeparableLowering separable => LowerSeparableSum(separable),
        ChunkedLowering chunked => LowerChunkedReduction(reduction, chunked),
        DistributedLowering distributed => LowerSumOfTerms(reduction, distributed.Terms),
        DenseLowering { Masked: false } => LowerReduction(reduction),
        _ => LowerMaskedReduction(reduction),
    };

    /// <summary>Where the lowering stands, for the rules.</summary>
    private LoweringScope Scope() =>
        new(_metric, _program, _kind, _chunk is not null, _support, _anchorLeaves.Count > 0, _plan, variable => _variables[variable].SizeAxis, _sortedRanks);
}
