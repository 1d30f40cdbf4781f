using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Plan;

namespace MetricLoss.Generator.Emit;

/// <summary>The <c>Info</c> property: what the metric is and how it is computed (its plan), for tools and logs.</summary>
internal static class InfoEmitter
{
    public static void Emit(BoundMetric metric, EvaluatorStateDecision evaluatorState, SourceWriter w)
    {
        w.Line("/// <summary>Name, definition, inputs, options and direction of this metric.</summary>");
        w.Line("public static global::MetricLoss.MetricInfo Info { get; } = new(");
        w.Indent();
        w.Line($"{CSharp.String(metric.Name)},");
        w.Line($"{CSharp.String(metric.Namespace ?? "")},");
        w.Line($"{CSharp.String(metric.Source)},");
        w.Line("new global::MetricLoss.MetricInputInfo[]");
        w.Line("{");
        w.Indent();
        foreach (var input in metric.Inputs)
        {
            var axes = string.Join(", ", input.Axes.Select(CSharp.String));
            w.Line($"new({CSharp.String(input.Name)}, {CSharp.String(MetricShape.TypeText(input))}, new string[] {{ {axes} }}, {(input.IsDifferentiable ? "true" : "false")}),");
        }
        w.Outdent();
        w.Line("},");
        var temperatures = TemperatureOptions.Of(metric);
        w.Line("new global::MetricLoss.MetricOptionInfo[]");
        w.Line("{");
        w.Indent();
        foreach (var option in metric.Options)
        {
            var defaults = string.Join(", ", option.Default.Select(CSharp.Double));
            var temperature = temperatures.Contains(option.Name) ? " { IsTemperature = true }" : "";
            w.Line($"new({CSharp.String(option.Name)}, {CSharp.String(MetricShape.Property(option))}, {CSharp.String(MetricShape.OptionTypeText(option))}, new double[] {{ {defaults} }}){temperature},");
        }
        w.Outdent();
        w.Line("},");
        w.Line($"global::MetricLoss.MetricDirection.{metric.Direction},");
        w.Line($"{(metric.IsInterpolated ? "true" : "false")})");
        w.Line("{");
        w.Indent();
        w.Line($"Plan = {CSharp.String(PlanPrinter.Print(PlanBuilder.Build(metric)))},");
        var statistics = string.Join(", ", (evaluatorState.Statistics?.Statistics ?? new Statistic[0]).Select(s => CSharp.String(s.Description)));
        var bins = evaluatorState.Bins is null ? "" : " { SupportsBins = true }";
        w.Line($"EvaluatorState = new global::MetricLoss.Evaluation.EvaluatorStateInfo(global::MetricLoss.Evaluation.EvaluatorStateKind.{evaluatorState.Kind}, {(evaluatorState.Mergeable ? "true" : "false")}, {CSharp.String(evaluatorState.Size)}, new string[] {{ {statistics} }}){bins},");
        w.Outdent();
        w.Line("};");
        w.Outdent();
    }
}
