using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>The <c>Options</c> record: one init property per option, defaults from the definition, checks.</summary>
internal static class OptionsEmitter
{
    public static void Emit(BoundMetric metric, SourceWriter w)
    {
        var temperatures = MetricShape.TemperatureOptions(metric);
        w.Line($"/// <summary>Options of <c>{metric.Name}</c>; the base record holds Relaxation, Epsilon, MaxPairwiseElements and Seed.</summary>");
        using (w.Block("public sealed record Options : global::MetricLoss.MetricOptions"))
        {
            w.Line("/// <summary>The defaults of the definition.</summary>");
            w.Line("public static Options Default { get; } = new();");
            foreach (var option in metric.Options)
            {
                w.Line();
                w.Line($"/// <summary><c>{option.Name}</c>; default {string.Join(", ", option.Default.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}.</summary>");
                w.Line($"public {MetricShape.OptionType(option)} {MetricShape.Property(option)} {{ get; init; }} = {DefaultValue(option)};");
            }
            if (metric.Interpolation is { } anchors)
            {
                // UniLoss anchors (interpolate header defaults): ground truth + good + nearby + random.
                foreach (var (name, count) in new[] { ("AnchorsGood", anchors.Good), ("AnchorsNearby", anchors.Nearby), ("AnchorsRandom", anchors.Random) })
                {
                    w.Line();
                    w.Line($"/// <summary>UniLoss anchors of this kind per call; default {count} (the interpolate header).</summary>");
                    w.Line($"public int {name} {{ get; init; }} = {count};");
                }
            }
            w.Line();
            using (w.Block("protected override void ValidateOwn(string metric)"))
            {
                if (metric.Interpolation is not null)
                {
                    w.Line("global::MetricLoss.Runtime.OptionChecks.NonNegative(metric, nameof(AnchorsGood), AnchorsGood);");
                    w.Line("global::MetricLoss.Runtime.OptionChecks.NonNegative(metric, nameof(AnchorsNearby), AnchorsNearby);");
                    w.Line("global::MetricLoss.Runtime.OptionChecks.NonNegative(metric, nameof(AnchorsRandom), AnchorsRandom);");
                }
                foreach (var option in metric.Options)
                {
                    var property = MetricShape.Property(option);
                    if (option.IsVector)
                    {
                        w.Line($"global::MetricLoss.Runtime.OptionChecks.NotEmpty(metric, nameof({property}), {property});");
                    }
                    else if (temperatures.Contains(option.Name))
                    {
                        w.Line($"global::MetricLoss.Runtime.OptionChecks.Temperature(metric, nameof({property}), {property});");
                    }
                    else if (option.Kind == OptionKind.Real)
                    {
                        w.Line($"global::MetricLoss.Runtime.OptionChecks.Finite(metric, nameof({property}), {property});");
                    }
                }
                RequirementEmitter.Emit(metric, w);
            }
        }
    }

    private static string DefaultValue(BoundOption option)
    {
        string Element(double value) => option.Kind switch
        {
            OptionKind.Int => CSharp.Int((long)value),
            OptionKind.Bool => value != 0 ? "true" : "false",
            _ => CSharp.Double(value),
        };
        if (!option.IsVector) return Element(option.Default[0]);
        return $"global::System.Collections.Immutable.ImmutableArray.Create({string.Join(", ", option.Default.Select(Element))})";
    }
}
