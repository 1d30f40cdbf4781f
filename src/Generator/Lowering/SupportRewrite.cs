using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Text;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// The demand-driven rewrite of the smooth program (docs/architecture.md, "Smooth, demand-driven"): in
/// <c>sum[i](c[rows, i] &amp; f(...))</c> with <c>c</c> constant, every term is 0 where c is 0, so f is needed only
/// on the support of c. The rewrite evaluates <c>f</c> at <c>support[rows, p]</c> (the positions where c ≠ 0,
/// padded) instead of at every i, inlining the statements f reads at i, so RS@k's ranks of the positives cost
/// O(N²·|P|) instead of O(N³), and per-query average precision likewise. The inlined statements are shared
/// (SupportRewrite.Inlining): the result is a DAG, and it is refused (<see cref="Problem"/>) beyond LoweringLimits.
/// </summary>
internal sealed partial class SupportRewrite
{
    // Names the rewrite adds to the model: `word__k` (with Id as k), which no name of a definition can be (MTR0116)
    // and whose emitted locals follow Emit/Local's scheme (ix__support__0, size__p__0).
    public const string SupportInput = "support__";
    public const string ValidInput = "valid__";
    public const string PositionVariable = "p__";

    private readonly IReadOnlyDictionary<string, BoundStatement> _statements;
    private readonly string _i;
    private readonly string _name;
    private readonly BoundIndex _gather;
    private readonly EquatableArray<string> _gatherAxes;

    private SupportRewrite(IReadOnlyDictionary<string, BoundStatement> statements, string i, string name, IReadOnlyList<string> rows, int id, BoundExpression mask)
    {
        _statements = statements;
        _i = i;
        _name = name;
        Rows = rows;
        Id = id;
        Mask = mask;
        _gatherAxes = rows.Concat(new[] { Position }).ToEquatableArray();
        _gather = new BoundIndex(null, Support, _gatherAxes.Select(BoundIndex.Of).ToEquatableArray());
    }

    public int Id { get; }

    public IReadOnlyList<string> Rows { get; }

    public string Position => PositionVariable + Id;

    public string Support => SupportInput + Id;

    public string Valid => ValidInput + Id;

    /// <summary>The mask whose support is taken.</summary>
    public BoundExpression Mask { get; }

    /// <summary>The rewritten reduction; null exactly when <see cref="Problem"/> is set.</summary>
    public BoundReduction? Reduction { get; private set; }

    /// <summary>Why the rewrite is beyond LoweringLimits (the metric is then refused with MTR0151), or null.</summary>
    public string? Problem { get; private set; }

    /// <summary>The rewrite of <paramref name="reduction"/>; null when it does not apply or gains nothing.</summary>
    /// <param name="nameOf">The name of an axis variable as written (for messages).</param>
    public static SupportRewrite? TryRewrite(BoundReduction reduction, IReadOnlyDictionary<string, BoundStatement> statements, int id, System.Func<string, string> nameOf)
    {
        if (reduction.Reducer != Reducer.Sum || reduction.Binders.Count != 1 || reduction.Binders[0].Excluded is not null) return null;
        var i = reduction.Binders[0].Variable;
        var mask = ZeroWhere(reduction.Body).FirstOrDefault(m => !m.DependsOnScore && m.Axes.Contains(i));
        if (mask is null || !ReadsPairwiseStatementAt(reduction.Body, i, statements)) return null;
        var rows = mask.Axes.Where(a => a != i).ToList();
        if (rows.Any(r => !reduction.Axes.Contains(r))) return null;

        var rewrite = new SupportRewrite(statements, i, nameOf(i), rows, id, mask);
        rewrite.Problem = rewrite.InlineStatementsReadAt(reduction.Body);
        if (rewrite.Problem is not null) return rewrite;

        var body = rewrite.Substitute(reduction.Body);
        var valid = new BoundInputRef(rewrite.Valid, rewrite._gatherAxes.Select(BoundIndex.Of).ToEquatableArray(), rewrite._gatherAxes, ValueKind.Real, false);
        var weighted = new BoundBinary(BinaryOperator.Multiply, valid, body, Union(valid.Axes, body.Axes), ValueKind.Real);
        var binder = new BoundBinder(rewrite.Position, null);
        var axes = weighted.Axes.Where(a => a != rewrite.Position).ToEquatableArray();
        var rewritten = new BoundReduction(Reducer.Sum, EquatableArray.Of(binder), weighted, axes, ValueKind.Real);
        var depth = rewrite.DepthOf(rewritten);
        if (depth > LoweringLimits.MaxInlinedDepth)
        {
            rewrite.Problem = $"evaluated on its mask's support, the sum over `{rewrite._name}` nests the statements it reads {depth} levels deep (at most {LoweringLimits.MaxInlinedDepth})";
            return rewrite;
        }
        rewrite.Reduction = rewritten;
        return rewrite;
    }

    /// <summary>Factors that make the whole expression 0 where they are 0: factors of a product, and of a quotient's numerator.</summary>
    private static IEnumerable<BoundExpression> ZeroWhere(BoundExpression expression) => expression switch
    {
        BoundBinary { Operator: BinaryOperator.Multiply or BinaryOperator.And } product =>
            ZeroWhere(product.Left).Concat(ZeroWhere(product.Right)).Concat(new[] { expression }),
        BoundBinary { Operator: BinaryOperator.Divide } quotient => ZeroWhere(quotient.Left),
        _ => new[] { expression },
    };

    /// <summary>Whether the body reads, at position i, a statement whose value needs a pairwise reduction (else nothing is saved).</summary>
    private static bool ReadsPairwiseStatementAt(BoundExpression expression, string i, IReadOnlyDictionary<string, BoundStatement> statements) =>
        expression switch
        {
            BoundLocalRef local => local.Renaming.Contains(i) && ContainsReduction(statements[local.Statement].Value),
            _ => Children(expression).Any(c => ReadsPairwiseStatementAt(c, i, statements)),
        };

    private static bool ContainsReduction(BoundExpression expression) =>
        expression is BoundReduction { Binders.Count: > 0 } reduction && reduction.Body.Axes.Count >= 2 || Children(expression).Any(ContainsReduction);

    private static EquatableArray<string> Union(EquatableArray<string> a, EquatableArray<string> b) =>
        a.Concat(b.Where(x => !a.Contains(x))).ToEquatableArray();

    /// <summary>Axes with i replaced by the support's axes (rows, p).</summary>
    private EquatableArray<string> Axes(EquatableArray<string> axes)
    {
        if (!axes.Contains(_i)) return axes;
        var result = new List<string>();
        foreach (var axis in axes)
        {
            foreach (var replacement in axis == _i ? _gatherAxes : EquatableArray.Of(axis))
            {
                if (!result.Contains(replacement)) result.Add(replacement);
            }
        }
        return result.ToEquatableArray();
    }

    private BoundIndex Index(BoundIndex index) =>
        index.IsGather ? index with { GatherIndices = index.GatherIndices.Select(Index).ToEquatableArray() }
            : index.Variable == _i ? _gather : index;

    /// <summary>
    /// The expression evaluated at support[rows, p] instead of at i. A statement read at i is its instance, built
    /// beforehand (<see cref="InlineStatementsReadAt"/>), so this recursion stays within one statement's own tree.
    /// </summary>
    private BoundExpression Substitute(BoundExpression expression)
    {
        if (!expression.Axes.Contains(_i) && expression is not BoundReduction) return expression;
        switch (expression)
        {
            case BoundLocalRef local when local.Renaming.Contains(_i):
                return ReadInstance(local);
            case BoundInputRef input:
                var indices = input.Indices.Select(Index).ToEquatableArray();
                return input with { Indices = indices, Axes = Axes(input.Axes) };
            case BoundOptionRef:
                return expression;
            case BoundUnary u:
                return new BoundUnary(u.Operator, Substitute(u.Operand), u.Kind);
            case BoundBinary b:
                return b with { Left = Substitute(b.Left), Right = Substitute(b.Right), Axes = Axes(b.Axes) };
            case BoundComparison c:
                return c with { Left = Substitute(c.Left), Right = Substitute(c.Right), Axes = Axes(c.Axes) };
            case BoundStep s:
                return new BoundStep(Substitute(s.Argument), s.Temperature);
            case BoundReduction r:
                var binders = r.Binders.Select(b => b with { Excluded = b.Excluded is null ? null : Index(b.Excluded) }).ToEquatableArray();
                return r with { Binders = binders, Body = Substitute(r.Body), Axes = Axes(r.Axes) };
            case BoundCall c:
                return c with { Arguments = c.Arguments.Select(Substitute).ToEquatableArray(), Axes = Axes(c.Axes) };
            case BoundIdealDcg d:
                return d with { Gain = Substitute(d.Gain), K = Substitute(d.K), Axes = Axes(d.Axes) };
            default:
                return expression;
        }
    }
}
