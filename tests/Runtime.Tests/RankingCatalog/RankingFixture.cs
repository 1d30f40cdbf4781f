using System.Text.Json;
using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>One case of tests/fixtures/ranking_catalog/ranking_catalog.json (see make_fixtures.py there).</summary>
public sealed record RankingCase(
    string Name,
    string Metric,
    IReadOnlyDictionary<string, DenseArray> Inputs,
    IReadOnlyDictionary<string, double[]> Options,
    double Expected,
    string Source)
{
    public string Key => $"{Metric}/{Name}";
}

public static class RankingFixture
{
    private static readonly Lazy<(string Version, IReadOnlyList<RankingCase> Cases)> Loaded = new(Load);

    public static IReadOnlyList<RankingCase> Cases => Loaded.Value.Cases;

    public static string SklearnVersion => Loaded.Value.Version;

    public static RankingCase Get(string key) => Cases.Single(c => c.Key == key);

    public static TheoryData<string> Keys
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var c in Cases) data.Add(c.Key);
            return data;
        }
    }

    private static (string, IReadOnlyList<RankingCase>) Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "ranking_catalog", "ranking_catalog.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        var cases = new List<RankingCase>();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var inputs = new Dictionary<string, DenseArray>(StringComparer.Ordinal);
            foreach (var input in c.GetProperty("inputs").EnumerateObject())
            {
                var shape = input.Value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var data = input.Value.GetProperty("data").EnumerateArray().Select(e => e.GetDouble()).ToArray();
                inputs[input.Name] = new DenseArray(data, shape);
            }
            var options = new Dictionary<string, double[]>(StringComparer.Ordinal);
            foreach (var option in c.GetProperty("options").EnumerateObject())
            {
                options[option.Name] = option.Value.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            }
            cases.Add(new RankingCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("metric").GetString()!,
                inputs,
                options,
                c.GetProperty("expected").GetDouble(),
                c.GetProperty("source").GetString()!));
        }
        return (root.GetProperty("sklearn_version").GetString()!, cases);
    }
}
