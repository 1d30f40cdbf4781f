using System.Reflection;

namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>
/// Option values for any catalogue metric in one shape; null leaves the generated default. Turned into each
/// metric's own <c>Options</c> record by <see cref="Build{TOptions}"/>.
/// </summary>
public sealed record MetricSettings(
    double? Threshold = null,
    double? Tau = null,
    double? Beta = null,
    Relaxation? Relaxation = null,
    double? Epsilon = null)
{
    public static MetricSettings Defaults { get; } = new();

    /// <summary>The generated record with these values set (init setters through reflection; validation happens at the call).</summary>
    public TOptions Build<TOptions>() where TOptions : MetricOptions, new()
    {
        var options = new TOptions();
        Set(options, nameof(Threshold), Threshold);
        Set(options, nameof(Tau), Tau);
        Set(options, nameof(Beta), Beta);
        if (Relaxation is { } relaxation) SetProperty(options, typeof(MetricOptions), nameof(MetricOptions.Relaxation), relaxation);
        if (Epsilon is { } epsilon) SetProperty(options, typeof(MetricOptions), nameof(MetricOptions.Epsilon), epsilon);
        return options;
    }

    /// <summary>The options dictionary of the reference interpreter (option names as in the definition).</summary>
    public Dictionary<string, double[]> ToInterpreterOptions()
    {
        var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
        if (Threshold is { } threshold) result["threshold"] = new[] { threshold };
        if (Tau is { } tau) result["tau"] = new[] { tau };
        if (Beta is { } beta) result["beta"] = new[] { beta };
        return result;
    }

    private static void Set(MetricOptions options, string property, double? value)
    {
        if (value is { } v) SetProperty(options, options.GetType(), property, v);
    }

    private static void SetProperty(MetricOptions options, Type type, string property, object value)
    {
        var info = type.GetProperty(property, BindingFlags.Public | BindingFlags.Instance)
            ?? throw new InvalidOperationException($"{options.GetType().FullName} has no option {property}; the test asked for one.");
        info.SetValue(options, value);
    }
}
