using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Plan;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// The private programs of an <c>Evaluator</c>, printed from the derived bound metrics of <see cref="StatisticPrograms"/>
/// by the same code as Exact (<see cref="EntryPointEmitter.EmitExactProgram"/>), so they check their inputs as Exact
/// does: <c>Statistics__</c> (one batch's statistics), <c>FromStatistics__</c> (the metric from summed statistics),
/// or <c>Checks__</c> (Exact's checks alone, for an evaluator that keeps the batches).
/// </summary>
internal static class EvaluatorProgramEmitter
{
    public static void Emit(BoundMetric metric, EvaluatorStateDecision state, SourceWriter w)
    {
        var self = MetricShape.Class(metric);
        if (state.OfBatch is { } ofBatch && state.FromStatistics is { } fromStatistics && state.Statistics is { } analysis)
        {
            w.Line();
            w.Line("// One batch's statistics, after Exact's checks.");
            using (w.Block($"private static global::MetricLoss.Evaluation.StatisticValue[] Statistics__({Parameters(ofBatch)})"))
            {
                EntryPointEmitter.EmitExactProgram(ofBatch, w);
                var values = string.Join(", ", analysis.Statistics.Select(s => Local.Statement(s.Name)));
                w.Line($"return global::MetricLoss.Evaluation.StatisticValue.All({values});");
            }
            w.Line();
            w.Line("// The exact value from the statistics of the whole data set: the rest of the definition.");
            using (w.Block($"private static double FromStatistics__({Parameters(fromStatistics)})"))
            {
                var result = EntryPointEmitter.EmitExactProgram(fromStatistics, w);
                w.Line($"var {Local.Goal} = {result.Text};");
                w.Line(result.IsNumber ? $"return {Local.Goal};" : $"return {Local.Goal}.item<double>();");
            }
            return;
        }
        w.Line();
        w.Line("// Exact's checks of a batch, without its program.");
        using (w.Block($"private static void Checks__({Parameters(metric)})"))
        {
            EntryPointEmitter.EmitExactChecks(metric, w);
        }
    }

    /// <summary>The tensor inputs, then the options, as Exact's parameters.</summary>
    private static string Parameters(BoundMetric metric) =>
        string.Join(", ", metric.Inputs.Select(i => $"{CSharp.Tensor} {CSharp.Identifier(i.Name)}")
            .Append($"{MetricShape.Class(metric)}.Options? {MetricShape.OptionsParameter(metric)} = null"));
}
