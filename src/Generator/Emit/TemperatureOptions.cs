using System.Collections.Generic;
using MetricLoss.Dsl.Bound;
using static MetricLoss.Generator.Lowering.BoundTree;

namespace MetricLoss.Generator.Emit;

/// <summary>The options a definition uses as temperatures: those read by the temperature of a comparison or a step.</summary>
internal static class TemperatureOptions
{
    public static HashSet<string> Of(BoundMetric metric)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        var pending = new Stack<(BoundExpression Node, bool InTemperature)>();
        foreach (var statement in metric.Statements) pending.Push((statement.Value, false));
        pending.Push((metric.Goal, false));
        while (pending.Count > 0)
        {
            var (node, inTemperature) = pending.Pop();
            if (inTemperature && node is BoundOptionRef option) names.Add(option.Option);
            var temperature = node switch
            {
                BoundComparison comparison => comparison.Temperature,
                BoundStep step => step.Temperature,
                _ => null,
            };
            if (temperature is not null) pending.Push((temperature, true));
            foreach (var child in Children(node)) pending.Push((child, inTemperature));
        }
        return names;
    }
}
