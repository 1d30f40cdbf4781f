using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Tool.Evaluation;

/// <summary>
/// <c>--option name=value</c> arguments: a number (<c>threshold=0.3</c>), a bool (0/1 or false/true) or a
/// comma-separated list for a vector option (<c>k=1,5</c>). Names and value types are checked against the
/// metric here; the interpreter checks the rest (whole numbers for int options) with the option's name.
/// </summary>
internal static class OptionValues
{
    public static Dictionary<string, double[]> Parse(BoundMetric metric, IEnumerable<string> arguments)
    {
        var options = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=');
            if (equals <= 0) throw new UsageException($"eval {metric.Name}: `--option {argument}`: expected --option NAME=VALUE, such as threshold=0.5");
            var name = argument[..equals].Trim();
            var option = metric.Options.FirstOrDefault(o => o.Name == name);
            if (option is null)
            {
                var known = metric.Options.Count == 0 ? "it has no options" : $"its options are {string.Join(", ", metric.Options.Select(Describe))}";
                var input = metric.Inputs.Any(i => i.Name == name) ? $" (`{name}` is an input: give it as a CSV column)" : "";
                throw new UsageException($"eval {metric.Name}: unknown option `{name}`{input}; {known}");
            }
            if (options.ContainsKey(name)) throw new UsageException($"eval {metric.Name}: option `{name}` is given twice");
            var texts = argument[(equals + 1)..].Split(',').Select(t => t.Trim()).ToArray();
            if (!option.IsVector && texts.Length != 1)
            {
                throw new UsageException($"eval {metric.Name}: option {Describe(option)} takes one value, found {texts.Length}: `{argument[(equals + 1)..]}`");
            }
            options[name] = texts.Select(t => Value(metric, option, t)).ToArray();
        }
        return options;
    }

    private static double Value(BoundMetric metric, BoundOption option, string text)
    {
        if (option.Kind == OptionKind.Bool)
        {
            if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return 1;
            if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return 0;
        }
        // NaN parses, but no option accepts it (the interpreter rejects it too, without this context).
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && !double.IsNaN(value)) return value;
        var expected = option.Kind switch
        {
            OptionKind.Bool => "0 or 1 (or false/true)",
            OptionKind.Int => "a whole number",
            _ => "a number",
        };
        var what = text.Length == 0 ? "an empty value" : $"`{text}`";
        throw new UsageException($"eval {metric.Name}: option {Describe(option)}: expected {expected}{(option.IsVector ? " per element, comma-separated" : "")}, found {what}");
    }

    private static string Describe(BoundOption option)
    {
        var kind = option.Kind.ToString().ToLowerInvariant();
        return option.IsVector ? $"`{option.Name}: {kind}[{option.VectorAxis}]`" : $"`{option.Name}: {kind}`";
    }
}
