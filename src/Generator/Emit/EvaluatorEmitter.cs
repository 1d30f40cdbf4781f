using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Plan;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// <c>Evaluator</c>: the exact metric on a data set that arrives in batches (runtime MetricLoss.Evaluation.MetricEvaluator).
/// What it keeps is <see cref="EvaluatorStatePass"/>'s decision: the statistics of each batch (computed by a derived
/// program, <see cref="EvaluatorProgramEmitter"/>), or the batches themselves after Exact's checks alone, or, on
/// request for ROC AUC and AP, binned counts. Its members beyond the public API are private and named with "__", so no
/// name of a definition can be one of them.
/// </summary>
internal static class EvaluatorEmitter
{
    private const string Evaluation = "global::MetricLoss.Evaluation";

    public static void Emit(BoundMetric metric, EvaluatorStateDecision state, SourceWriter w)
    {
        if (metric.Inputs.Count == 0 || metric.Inputs[0].Axes.Count == 0) return;
        var self = MetricShape.Class(metric);
        var evaluator = self + ".Evaluator";
        var batchAxis = metric.Inputs[0].Axes[0];

        w.Line();
        w.Line($"/// <summary>The exact {metric.Name} of a whole data set evaluated batch by batch, joined along <c>{batchAxis}</c>: Compute equals <c>Exact</c> on all the batches. It keeps {Keeps(state)} (<c>Info.EvaluatorState</c>).</summary>");
        using (w.Block($"public sealed class Evaluator : {Evaluation}.MetricEvaluator"))
        {
            w.Line($"/// <summary>An empty evaluator.</summary>");
            w.Line($"/// <param name=\"options\">The options of Compute's Exact; null for <see cref=\"{self}.Options.Default\"/>.</param>");
            w.Line($"public Evaluator({self}.Options? options = null) : base({self}.Info, {evaluator}.Store__(options ?? {self}.Options.Default))");
            w.Line("{");
            w.Line($"    this.Settings = options ?? {self}.Options.Default;");
            w.Line("}");
            if (state.Bins is { } form)
            {
                w.Line();
                w.Line($"/// <summary>An empty evaluator that keeps binned counts of the scores instead of the scores: O(bins), within <c>ErrorBound</c> of the exact value (docs/training.md).</summary>");
                w.Line("/// <param name=\"bins\">The bins: their number and the range of scores they cover.</param>");
                w.Line($"/// <param name=\"options\">The options of the checks of Update; null for <see cref=\"{self}.Options.Default\"/>.</param>");
                w.Line("/// <exception cref=\"global::System.ArgumentException\">The bins are not a count of at least one over a finite range.</exception>");
                w.Line($"public Evaluator({Evaluation}.EvaluatorBins bins, {self}.Options? options = null) : base({self}.Info, new {Evaluation}.BinnedStore({self}.Info, {Evaluation}.BinnedRankForm.{form}, bins))");
                w.Line("{");
                w.Line($"    this.Settings = options ?? {self}.Options.Default;");
                w.Line("}");
            }
            w.Line();
            w.Line("/// <summary>The options Compute passes to Exact.</summary>");
            w.Line($"public {self}.Options Settings {{ get; }}");
            w.Line();
            EmitUpdate(metric, state, w);
            w.Line();
            w.Line("/// <summary>An evaluator holding <paramref name=\"state\"/> (from ToState, perhaps in another process).</summary>");
            w.Line("/// <param name=\"state\">The state.</param>");
            w.Line($"/// <param name=\"options\">The options of Compute's Exact; null for <see cref=\"{self}.Options.Default\"/>.</param>");
            w.Line("/// <returns>The evaluator.</returns>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">The state is another metric's or kind's, or its arrays do not fit their shapes.</exception>");
            using (w.Block($"public static {evaluator} FromState({Evaluation}.EvaluatorState state, {self}.Options? options = null)"))
            {
                if (state.Bins is null)
                {
                    w.Line($"var evaluator = new {evaluator}(options);");
                }
                else
                {
                    // A binned state rebuilds its bins (their count and range) before its counts are added.
                    w.Line($"var {Local.Binned} = state is not null && state.Kind == {Evaluation}.EvaluatorStateKind.Bins && state.Inputs.Count == 3 && state.Inputs[2].Data.Length == 2");
                    w.Line($"    ? new {Evaluation}.EvaluatorBins(state.Inputs[0].Data.Length, state.Inputs[2].Data[0], state.Inputs[2].Data[1])");
                    w.Line("    : null;");
                    w.Line($"var evaluator = {Local.Binned} is null ? new {evaluator}(options) : new {evaluator}({Local.Binned}, options);");
                }
                w.Line("evaluator.LoadState(state!);");
                w.Line("return evaluator;");
            }
            w.Line();
            EmitStore(metric, state, w);
            EvaluatorProgramEmitter.Emit(metric, state, w);
        }
    }

    private static string Keeps(EvaluatorStateDecision state) => state.Kind switch
    {
        EvaluatorStateKind.SufficientStatistics => $"sums over the items ({state.Size} numbers)",
        EvaluatorStateKind.PerRow => $"sums of per-row values ({state.Size} numbers)",
        EvaluatorStateKind.Ranks => "every score and label (or binned counts, on request)",
        _ => state.Mergeable ? "every batch" : "one batch (its batches cannot be merged)",
    };

    private static void EmitUpdate(BoundMetric metric, EvaluatorStateDecision state, SourceWriter w)
    {
        var tensor = CSharp.Tensor;
        var evaluator = MetricShape.Class(metric) + ".Evaluator";
        var parameters = string.Join(", ", metric.Inputs.Select(i => $"{tensor} {CSharp.Identifier(i.Name)}"));
        var arguments = string.Join(", ", metric.Inputs.Select(i => CSharp.Identifier(i.Name)));
        var first = CSharp.Identifier(metric.Inputs[0].Name);
        w.Line($"/// <summary>Adds one batch (any device; no graph is kept). An empty batch adds nothing.</summary>");
        foreach (var input in metric.Inputs)
        {
            w.Line($"/// <param name=\"{input.Name}\">The input <c>{input.Name}</c> of <c>Exact</c> for this batch.</param>");
        }
        w.Line($"/// <exception cref=\"global::System.ArgumentException\">As <c>Exact</c> on the batch, or the batch does not fit the earlier ones.</exception>");
        if (!state.Mergeable)
        {
            w.Line($"/// <exception cref=\"global::System.InvalidOperationException\">The evaluator holds a batch already: batches of {metric.Name} cannot be joined.</exception>");
        }
        using (w.Block($"public void Update({parameters})"))
        {
            w.Line($"if ({Evaluation}.MetricEvaluator.IsEmptyBatch({first})) return;");
            if (state.OfBatch is not null)
            {
                // The statistics' program checks the batch as Exact does, then computes the statistics: one pass.
                w.Line($"(({Evaluation}.StatisticStore)this.Store).Add({first}.shape[0], {evaluator}.Statistics__({arguments}, this.Settings));");
                return;
            }
            w.Line($"{evaluator}.Checks__({arguments}, this.Settings);");
            if (state.Bins is not null)
            {
                using (w.Block($"if (this.Store is {Evaluation}.BinnedStore {Local.Binned})"))
                {
                    w.Line($"{Local.Binned}.AddScores({first}, {CSharp.Identifier(metric.Inputs[1].Name)});");
                    w.Line("return;");
                }
            }
            w.Line($"(({Evaluation}.BatchStore)this.Store).Append(new {tensor}[] {{ {arguments} }});");
        }
    }

    /// <summary>The store the first constructor makes: the statistics' sums, or the batches (with Exact to compute them).</summary>
    private static void EmitStore(BoundMetric metric, EvaluatorStateDecision state, SourceWriter w)
    {
        var self = MetricShape.Class(metric);
        var kind = $"{Evaluation}.EvaluatorStateKind.{state.Kind}";
        w.Line($"// The state {nameof(EvaluatorStatePass)} decided for {metric.Name} (Info.EvaluatorState).");
        using (w.Block($"private static {Evaluation}.EvaluatorStore Store__({self}.Options options)"))
        {
            if (state.Statistics is { } analysis)
            {
                var names = string.Join(", ", analysis.Statistics.Select(s => CSharp.String(s.Description)));
                var statistics = string.Join(", ", analysis.Statistics.Select((_, k) => $"{Local.Statistics}[{k}]"));
                // The statistics are the evaluator's own sums, checked when they were added: no value check (a host sync) again.
                var call = $"{self}.Evaluator.FromStatistics__({statistics}{(statistics.Length > 0 ? ", " : "")}options with {{ ValidateValues = false }})";
                w.Line($"return new {Evaluation}.StatisticStore({self}.Info, {kind}, new string[] {{ {names} }}, {Local.Statistics} => {call});");
                return;
            }
            var inputs = string.Join(", ", metric.Inputs.Select((_, k) => $"{Local.Inputs}[{k}]"));
            w.Line($"return new {Evaluation}.BatchStore({self}.Info, {kind}, {Local.Inputs} => {self}.Exact({inputs}, options), {(state.Mergeable ? "true" : "false")});");
        }
    }
}
