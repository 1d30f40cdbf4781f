using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Lowering;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// The plan of a metric (<see cref="MetricPlan"/>): its programs walked as the lowering walks them, in the same scopes,
/// every reduction decided by the same <see cref="ReductionRules"/>, and the decision recorded with its cost instead of
/// printed as C#. A reduction computed once and shared (an equal subexpression) is listed once.
/// </summary>
internal sealed class PlanBuilder
{
    /// <summary>How a support's positions are shown: the size of the support, the largest count of its mask per row.</summary>
    public const string SupportSize = "|P|";

    /// <summary>The size of a support: <c>|P|</c> when the program has one, <c>|P1|</c>, <c>|P2|</c>… when it has several.</summary>
    private string SupportSizeOf(SupportRewrite rewrite) =>
        _supports.Rewrites.Count <= 1 ? SupportSize : $"|P{rewrite.Id + 1}|";

    private readonly BoundMetric _metric;
    private readonly ProgramKind _program;
    private readonly SupportPlan _supports;
    private readonly Dictionary<string, string> _sizeAxes;
    private readonly HashSet<string> _seen = new(System.StringComparer.Ordinal);
    private ProgramKind _kind;
    private bool _inChunk;
    private bool _inAnchorTail;
    private SupportRewrite? _support;
    private bool _sortedRanks;
    private List<PlanStep> _steps = new();
    private int _depth;

    /// <summary>
    /// Nodes walked already in a support, and whether in a chunk: a rewritten sum is a DAG (an inlined statement read
    /// twice is one node), computed once per context as the lowering does (ProgramLowering.TryInlined), so walked once;
    /// walking it as a tree would take time exponential in the chain of statements.
    /// </summary>
    private readonly HashSet<(BoundExpression Node, bool InChunk)> _walked = new(WalkedComparer.Instance);

    private PlanBuilder(BoundMetric metric, ProgramKind program, SupportPlan supports)
    {
        _metric = metric;
        _program = program;
        _kind = program;
        _supports = supports;
        _sizeAxes = metric.Variables.ToDictionary(v => v.Id, v => v.SizeAxis);
    }

    public static MetricPlan Build(BoundMetric metric)
    {
        var sorted = SortedSmoothProgram(metric);
        return new(metric.Name, ExactProgram(metric), metric.IsInterpolated ? InterpolatedProgram(metric) : SmoothProgram(metric),
            SortedRanksVariant.HasSortedRank(sorted) ? sorted : null);
    }

    /// <summary>
    /// The smooth program as its sort-based variant computes it: the rank patterns as smooth rank sums
    /// (RankCountRule, relaxed), no supports. An interpolated metric's smooth program is not varied.
    /// </summary>
    public static ProgramPlan SortedSmoothProgram(BoundMetric metric)
    {
        var builder = new PlanBuilder(metric, ProgramKind.Smooth, SupportPlan.Empty) { _sortedRanks = true };
        var statements = metric.IsInterpolated ? new List<StatementPlan>() : builder.Statements(metric.Statements, includeGoal: true);
        return new ProgramPlan("Smooth (sort-based ranks)", statements, new[]
        {
            SortedRanksVariant.PairwiseHasRowSupports(metric)
                ? "runs instead of the program above when Options.Relaxation has a sort-based kernel (Linear, Smoothstep) and Options.SortBasedRanks is true (by default the program above runs: its rows are restricted to a support, O(N·|P|) a row, faster for few positives); equal to it up to rounding."
                : "runs instead of the program above when Options.Relaxation has a sort-based kernel (Linear, Smoothstep), unless Options.SortBasedRanks is false; equal to it up to rounding.",
            "the inputs' dtype (float32 for float16 and bfloat16), differentiable through the real inputs; the smooth rank sums accumulate in float64.",
            "host syncs: none (unless ValidateValues = true).",
        });
    }

    private static ProgramPlan ExactProgram(BoundMetric metric)
    {
        var builder = new PlanBuilder(metric, ProgramKind.Exact, SupportPlan.Empty);
        var statements = builder.Statements(metric.Statements, includeGoal: true);
        return new ProgramPlan("Exact", statements, new[]
        {
            "float64, no autograd graph.",
            "host syncs: the value checks, one per input (unless ValidateValues = false), and the result (item<double>).",
        });
    }

    private static ProgramPlan SmoothProgram(BoundMetric metric)
    {
        var supports = SupportPlan.Build(metric);
        var builder = new PlanBuilder(metric, ProgramKind.Smooth, supports);
        var statements = builder.Statements(metric.Statements.Where(s => !supports.IsUnused(s.Name)), includeGoal: true);
        var notes = new List<string> { "the inputs' dtype (float32 for float16 and bfloat16), differentiable through the real inputs." };
        var unused = metric.Statements.Where(s => supports.IsUnused(s.Name)).Select(s => s.Name).ToList();
        if (unused.Count > 0) notes.Add($"not computed whole (read only on a support): {string.Join(", ", unused)}.");
        notes.Add("host syncs: only those listed (none unless a support is listed, or ValidateValues = true).");
        return new ProgramPlan("Smooth", statements, notes);
    }

    /// <summary>UniLoss: the statements before the coordinates as usual, then the exact tail per anchor.</summary>
    private static ProgramPlan InterpolatedProgram(BoundMetric metric)
    {
        var interpolation = InterpolationPlan.Build(metric);
        var builder = new PlanBuilder(metric, ProgramKind.Smooth, SupportPlan.Empty);
        var statements = builder.Statements(metric.Statements.Where(s => !interpolation.TailStatements.Contains(s.Name)), includeGoal: false).ToList();
        builder._kind = ProgramKind.Exact;
        builder._inAnchorTail = true;
        builder._seen.Clear();
        statements.AddRange(builder.Statements(metric.Statements.Where(s => interpolation.TailStatements.Contains(s.Name)), includeGoal: true)
            .Select(s => s with { Name = s.Name + " (per anchor)" }));
        return new ProgramPlan("Smooth", statements, new[]
        {
            $"UniLoss interpolation (Liu, Wang, Deng, ECCV 2020): {interpolation.Coordinates.Count} comparison(s) become coordinates; the statements marked per anchor are the exact program, evaluated on every anchor (an extra leading axis), and the surrogate interpolates between anchors by inverse distance weighting.",
            "host syncs: the anchors' random seed, once per call when Options.Generator is null.",
        });
    }

    private IReadOnlyList<StatementPlan> Statements(IEnumerable<BoundStatement> statements, bool includeGoal)
    {
        var plans = new List<StatementPlan>();
        foreach (var statement in statements)
        {
            plans.Add(new StatementPlan(statement.Name, statement.Axes.Select(SizeAxis).ToList(), StepsOf(statement.Value)));
        }
        if (includeGoal) plans.Add(new StatementPlan("goal", System.Array.Empty<string>(), StepsOf(_metric.Goal)));
        return plans;
    }

    private IReadOnlyList<PlanStep> StepsOf(BoundExpression expression)
    {
        _steps = new List<PlanStep>();
        Walk(expression);
        return _steps;
    }

    private LoweringScope Scope() =>
        new(_metric, _program, _kind, _inChunk, _support, _inAnchorTail, _supports, SizeAxis, _sortedRanks);

    private string SizeAxis(string variable) => _sizeAxes.TryGetValue(variable, out var axis) ? axis : variable;

    private void Walk(BoundExpression expression)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        if (_support is not null && !_walked.Add((expression, _inChunk))) return;
        if (expression is not BoundReduction reduction)
        {
            foreach (var child in Children(expression)) Walk(child);
            return;
        }
        // The lowering computes an equal reduction once, outside chunks and supports (ProgramLowering.Sharing).
        if (!_inChunk && _support is null && !_seen.Add(CanonicalKey.Of(reduction)))
        {
            _steps.Add(new PlanStep(_depth, "computed above (an equal reduction), read again", reduction.Reducer.ToString().ToLowerInvariant(),
                System.Array.Empty<string>(), System.Array.Empty<string>(), SortBased: false, Chunked: false, ""));
            return;
        }
        var lowering = ReductionRules.Decide(reduction, Scope());
        var index = _steps.Count;
        _steps.Add(Step(reduction, lowering));
        _depth++;
        try
        {
            WalkInside(reduction, lowering);
        }
        finally
        {
            _depth--;
        }
        if (lowering is ChunkedLowering) _steps[index] = WithInnerIntermediates(_steps[index], _steps.Skip(index + 1).ToList());
    }

    /// <summary>
    /// A chunk's memory is its largest intermediate, which may be a reduction inside its body (RS@k's pairwise rank of
    /// each positive sits inside the chunked hits), as ChunkedReduction.ChunkLength sizes the chunk from them all.
    /// </summary>
    private static PlanStep WithInnerIntermediates(PlanStep chunked, IReadOnlyList<PlanStep> inside) =>
        chunked with
        {
            InnerPeaks = inside.Select(s => s.Peak)
                .Where(p => p.Count > 0 && !SameAxes(p, chunked.Peak))
                .GroupBy(p => string.Join(",", p.OrderBy(a => a, System.StringComparer.Ordinal)))
                .Select(g => g.First())
                .ToList(),
        };

    private static bool SameAxes(IReadOnlyList<string> a, IReadOnlyList<string> b) =>
        a.OrderBy(x => x, System.StringComparer.Ordinal).SequenceEqual(b.OrderBy(x => x, System.StringComparer.Ordinal));

    /// <summary>What the lowering computes inside the reduction, in the scope it computes it in.</summary>
    private void WalkInside(BoundReduction reduction, ReductionLowering lowering)
    {
        switch (lowering)
        {
            case RankCountLowering count:
                WalkCount(count);
                break;
            case MannWhitneyLowering sum:
                WalkCount(sum.Count);
                foreach (var factor in sum.Outer) Walk(factor);
                break;
            case SupportLowering support:
                Walk(support.Rewrite.Mask);
                _sizeAxes[support.Rewrite.Position] = SupportSizeOf(support.Rewrite);
                _support = support.Rewrite;
                try
                {
                    Walk(support.Rewrite.Reduction!);
                }
                finally
                {
                    _support = null;
                }
                break;
            case SeparableLowering separable:
                foreach (var (_, sum) in separable.Sums.Where(s => s.Sum is not null)) Walk(sum!);
                foreach (var constant in separable.Constants) Walk(constant);
                break;
            case ChunkedLowering:
                _inChunk = true;
                try
                {
                    Walk(reduction.Body);
                }
                finally
                {
                    _inChunk = false;
                }
                break;
            case DistributedLowering distributed:
                foreach (var term in distributed.Terms)
                {
                    if (term.Product is not null) Walk(Sum(reduction, term.Product));
                    else _steps.Add(new PlanStep(_depth, "the number of positions summed over, no tensor", "count",
                        System.Array.Empty<string>(), System.Array.Empty<string>(), SortBased: false, Chunked: false, ""));
                }
                break;
            default:
                Walk(reduction.Body);
                break;
        }
    }

    private void WalkCount(RankCountLowering count)
    {
        Walk(count.Comparison.AtJ);
        foreach (var mask in count.Masks) Walk(mask);
    }

    private PlanStep Step(BoundReduction reduction, ReductionLowering lowering)
    {
        var reducer = reduction.Reducer.ToString().ToLowerInvariant();
        switch (lowering)
        {
            case RankCountLowering count:
                return Sorted(lowering, reducer, count);
            case MannWhitneyLowering sum:
                return Sorted(lowering, reducer, sum.Count);
            case SupportLowering support:
                var maskAxes = support.Rewrite.Rows.Concat(new[] { reduction.Binders[0].Variable }).Select(SizeAxis).ToList();
                return new PlanStep(_depth, lowering.Name, reducer, maskAxes, maskAxes, SortBased: false, Chunked: false,
                    $"one: {SupportSizeOf(support.Rewrite)}, the largest support of a row (DenseOps.Support)");
            case SeparableLowering or DistributedLowering:
                return new PlanStep(_depth, lowering.Name, reducer, System.Array.Empty<string>(), System.Array.Empty<string>(), SortBased: false, Chunked: false, "");
            default:
                var bodyAxes = ChunkRule.BodyAxes(reduction);
                var axes = bodyAxes.Select(SizeAxis).ToList();
                // Inside a chunk's body a reduction runs on the chunk's rows: its intermediates are bounded with the chunk's.
                var chunked = lowering is ChunkedLowering || _inChunk;
                // A dense pairwise term outside a chunk is checked against the budget before it is made (DenseOps.RequirePairwiseBudget).
                return new PlanStep(_depth, lowering.Name, reducer, axes, axes, SortBased: false, chunked, "")
                {
                    BudgetChecked = !chunked && !ChunkRule.IsSpanned(bodyAxes, Scope()),
                };
        }
    }

    private PlanStep Sorted(ReductionLowering lowering, string reducer, RankCountLowering count)
    {
        var axes = count.Rows.Concat(new[] { count.J }).Select(SizeAxis).ToList();
        return new PlanStep(_depth, lowering.Name, reducer, axes, axes, SortBased: true, Chunked: false, "");
    }

    private sealed class WalkedComparer : IEqualityComparer<(BoundExpression Node, bool InChunk)>
    {
        public static readonly WalkedComparer Instance = new();

        public bool Equals((BoundExpression Node, bool InChunk) x, (BoundExpression Node, bool InChunk) y) =>
            ReferenceEquals(x.Node, y.Node) && x.InChunk == y.InChunk;

        public int GetHashCode((BoundExpression Node, bool InChunk) key) =>
            System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Node) * 2 + (key.InChunk ? 1 : 0);
    }
}
