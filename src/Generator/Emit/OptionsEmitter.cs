using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>The <c>Options</c> record: one init property per option, defaults from the definition, checks.</summary>
internal static class OptionsEmitter
{
    private static readonly string[] AnchorProperties = { "AnchorsGood", "AnchorsNearby", "AnchorsRandom" };

    private static readonly string[] AnchorKinds =
    {
        "Ground truth with one valid coordinate flipped",
        "The current hard state moved one coordinate towards the ground truth",
        "Uniform random configurations of the valid coordinates",
    };

    public static void Emit(BoundMetric metric, SourceWriter w)
    {
        var temperatures = MetricShape.TemperatureOptions(metric);
        w.Line($"/// <summary>Options of <c>{metric.Name}</c>: one property per option of its definition; the base record "
            + "<see cref=\"global::MetricLoss.MetricOptions\"/> holds Relaxation, Epsilon, MaxPairwiseElements, Seed, Generator and ValidateValues.</summary>");
        using (w.Block("public sealed record Options : global::MetricLoss.MetricOptions"))
        {
            w.Line("/// <summary>The defaults of the definition.</summary>");
            w.Line("public static Options Default { get; } = new();");
            foreach (var option in metric.Options)
            {
                w.Line();
                var defaults = string.Join(", ", option.Default.Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)));
                var rule = CheckOf(option, temperatures) is { } check ? $"; it {check.Requirement}" : "";
                w.Line($"/// <summary>The option <c>{option.Name}: {MetricShape.OptionTypeText(option)}</c> of the definition, default {defaults}{rule}.</summary>");
                w.Line($"public {MetricShape.OptionType(option)} {MetricShape.Property(option)} {{ get; init; }} = {DefaultValue(option)};");
            }
            if (metric.Interpolation is { } anchors)
            {
                // UniLoss anchors (interpolate header defaults): ground truth + good + nearby + random.
                var counts = new[] { anchors.Good, anchors.Nearby, anchors.Random };
                for (var k = 0; k < AnchorProperties.Length; k++)
                {
                    var (name, count) = (AnchorProperties[k], counts[k]);
                    w.Line();
                    w.Line($"/// <summary>{AnchorKinds[k]}: how many UniLoss anchors of this kind each call draws (0 or more); default {count} (the interpolate header).</summary>");
                    w.Line($"public int {name} {{ get; init; }} = {count};");
                }
            }
            w.Line();
            EmitValidateOwn(metric, w, temperatures);
        }
    }

    /// <summary>One check of ValidateOwn: the OptionChecks method and, for the documentation, what it requires.</summary>
    private sealed record Check(string Property, string Method, string Requirement);

    /// <summary>The check of an option, if it has one: vector options non-empty, temperatures positive, reals finite.</summary>
    private static Check? CheckOf(BoundOption option, ISet<string> temperatures)
    {
        var property = MetricShape.Property(option);
        if (option.IsVector) return new Check(property, "NotEmpty", "has at least one value");
        if (temperatures.Contains(option.Name)) return new Check(property, "Temperature", "is a temperature of the relaxation: positive and finite");
        if (option.Kind == OptionKind.Real) return new Check(property, "Finite", "is finite");
        return null;
    }

    private static void EmitValidateOwn(BoundMetric metric, SourceWriter w, ISet<string> temperatures)
    {
        var checks = new List<Check>();
        if (metric.Interpolation is not null)
        {
            checks.AddRange(AnchorProperties.Select(p => new Check(p, "NonNegative", "is 0 or more")));
        }
        checks.AddRange(metric.Options.Select(o => CheckOf(o, temperatures)).OfType<Check>());

        w.Line("/// <summary>Checks the options of this definition; <see cref=\"global::MetricLoss.MetricOptions.Validate\"/> calls it after checking the base options.</summary>");
        w.Line("/// <param name=\"metric\">The metric's name, for the messages.</param>");
        var requirements = metric.Requirements.Select(r => $"{r.Subject} {r.Condition}");
        if (checks.Count > 0 || metric.Requirements.Count > 0)
        {
            var rules = string.Join("; ", checks.Select(c => $"<see cref=\"{c.Property}\"/> {c.Requirement}").Concat(requirements.Select(DocComments.Escape)));
            w.Line($"/// <exception cref=\"global::System.ArgumentException\">An option breaks its rule: {rules}.</exception>");
        }
        using (w.Block("protected override void ValidateOwn(string metric)"))
        {
            foreach (var check in checks)
            {
                // The property's name as a literal: nameof would bind to a type named `nameof` (another metric) if there were one.
                w.Line($"global::MetricLoss.Runtime.OptionChecks.{check.Method}(metric, {CSharp.String(check.Property)}, {check.Property});");
            }
            RequirementEmitter.Emit(metric, w);
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

