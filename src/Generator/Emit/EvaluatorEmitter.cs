using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// <c>Evaluator</c>: the exact metric on a data set that arrives in batches (runtime MetricLoss.Evaluation.MetricEvaluator).
/// Update checks each batch with <c>Exact</c> itself, so that bad input gets Exact's ArgumentException, and then
/// keeps it; Compute is Exact on the joined batches.
/// </summary>
internal static class EvaluatorEmitter
{
    public static void Emit(BoundMetric metric, SourceWriter w)
    {
        if (metric.Inputs.Count == 0 || metric.Inputs[0].Axes.Count == 0) return;
        var self = MetricShape.Class(metric);
        var tensor = CSharp.Tensor;
        var parameters = string.Join(", ", metric.Inputs.Select(i => $"{tensor} {CSharp.Identifier(i.Name)}"));
        var arguments = string.Join(", ", metric.Inputs.Select(i => CSharp.Identifier(i.Name)));
        var joined = string.Join(", ", metric.Inputs.Select((_, k) => $"inputs[{k}]"));
        var first = CSharp.Identifier(metric.Inputs[0].Name);
        var batchAxis = metric.Inputs[0].Axes[0];

        w.Line();
        w.Line($"/// <summary>The exact {metric.Name} of a whole data set evaluated batch by batch, joined along <c>{batchAxis}</c>: Compute equals <c>Exact</c> on all the batches.</summary>");
        using (w.Block($"public sealed class Evaluator : global::MetricLoss.Evaluation.MetricEvaluator"))
        {
            w.Line($"/// <summary>An empty evaluator.</summary>");
            w.Line($"/// <param name=\"options\">The options of Compute's Exact; null for <see cref=\"{self}.Options.Default\"/>.</param>");
            w.Line($"public Evaluator({self}.Options? options = null) : base({self}.Info)");
            w.Line("{");
            w.Line($"    this.Settings = options ?? {self}.Options.Default;");
            w.Line("}");
            w.Line();
            w.Line("/// <summary>The options Compute passes to Exact.</summary>");
            w.Line($"public {self}.Options Settings {{ get; }}");
            w.Line();
            w.Line($"/// <summary>Adds one batch (any device; no graph is kept). An empty batch adds nothing.</summary>");
            foreach (var input in metric.Inputs)
            {
                w.Line($"/// <param name=\"{input.Name}\">The input <c>{input.Name}</c> of <c>Exact</c> for this batch.</param>");
            }
            w.Line($"/// <exception cref=\"global::System.ArgumentException\">As <c>Exact</c> on the batch, or the batch does not fit the earlier ones.</exception>");
            using (w.Block($"public void Update({parameters})"))
            {
                w.Line($"if (global::MetricLoss.Evaluation.MetricEvaluator.IsEmptyBatch({first})) return;");
                w.Line($"{self}.Exact({arguments}, this.Settings);");
                w.Line($"this.Append(new {tensor}[] {{ {arguments} }});");
            }
            w.Line();
            w.Line("/// <summary>An evaluator holding <paramref name=\"state\"/> (from ToState, perhaps in another process).</summary>");
            w.Line("/// <param name=\"state\">The state.</param>");
            w.Line($"/// <param name=\"options\">The options of Compute's Exact; null for <see cref=\"{self}.Options.Default\"/>.</param>");
            w.Line("/// <returns>The evaluator.</returns>");
            w.Line("/// <exception cref=\"global::System.ArgumentException\">The state is another metric's, or its arrays do not fit their shapes.</exception>");
            using (w.Block($"public static {self}.Evaluator FromState(global::MetricLoss.Evaluation.EvaluatorState state, {self}.Options? options = null)"))
            {
                w.Line($"var evaluator = new {self}.Evaluator(options);");
                w.Line("evaluator.LoadState(state);");
                w.Line("return evaluator;");
            }
            w.Line();
            w.Line("/// <inheritdoc/>");
            w.Line($"protected override double Exact({tensor}[] inputs) => {self}.Exact({joined}, this.Settings);");
        }
    }
}
