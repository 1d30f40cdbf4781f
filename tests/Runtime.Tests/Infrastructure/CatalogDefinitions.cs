using MetricLoss.Dsl;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>The catalogue's .metric files (copied to the test output under catalog/) compiled by the Dsl front end.</summary>
public static class CatalogDefinitions
{
    private static readonly Lazy<IReadOnlyDictionary<string, BoundMetric>> Compiled = new(Compile);

    public static BoundMetric Get(string name) =>
        Compiled.Value.TryGetValue(name, out var metric) ? metric : throw new ArgumentException($"the catalogue files define no metric {name}", nameof(name));

    public static IReadOnlyCollection<string> Names => Compiled.Value.Keys.ToArray();

    private static IReadOnlyDictionary<string, BoundMetric> Compile()
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "catalog");
        var result = new Dictionary<string, BoundMetric>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(directory, "*.metric").OrderBy(f => f, StringComparer.Ordinal))
        {
            var compilation = MetricCompiler.Compile(File.ReadAllText(file), null);
            if (compilation.HasErrors)
            {
                throw new InvalidOperationException($"{file} does not compile: {string.Join("; ", compilation.Diagnostics)}");
            }
            foreach (var metric in compilation.Metrics) result.Add(metric.Name, metric);
        }
        return result;
    }
}
