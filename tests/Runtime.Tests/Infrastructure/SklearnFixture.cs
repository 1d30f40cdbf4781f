using System.Text.Json;

namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>One case of tests/fixtures/confusion_metrics.json (scikit-learn 1.2.1; see tests/fixtures/README.md).</summary>
public sealed record SklearnCase(
    string Name,
    string Kind,
    double Threshold,
    double[] Score,
    bool[] Label,
    IReadOnlyDictionary<string, double?> Expected)
{
    public bool IsProbability => Kind == "prob";

    /// <summary>The named degenerate cases (everything that is not one of the random draws).</summary>
    public bool IsDegenerate => !Name.StartsWith("random_", StringComparison.Ordinal);
}

/// <summary>A fixture key ("FBeta(beta=0.5)") resolved to the generated metric and the options it needs.</summary>
public sealed record FixtureMetric(string Key, string ExpectedKey, string Metric, double? Beta);

public static class SklearnFixture
{
    private static readonly Lazy<IReadOnlyList<SklearnCase>> Loaded = new(Load);

    public static IReadOnlyList<SklearnCase> Cases => Loaded.Value;

    public static SklearnCase Get(string name) => Cases.Single(c => c.Name == name);

    /// <summary>The keys of the "expected" objects, each mapped to a generated metric.</summary>
    public static readonly IReadOnlyList<FixtureMetric> LogitKeys = new[]
    {
        Plain("Accuracy"), Plain("Precision"), Plain("Recall"), Plain("Specificity"), Plain("F1"),
        new FixtureMetric("FBeta(beta=0.5)", "FBeta(beta=0.5)", "FBeta", 0.5),
        new FixtureMetric("FBeta(beta=2)", "FBeta(beta=2)", "FBeta", 2),
        Plain("BalancedAccuracy"), Plain("GMean"), Plain("Mcc"), Plain("Jaccard"), Plain("Dice"), Plain("CohenKappa"),
    };

    /// <summary>The AnyLoss variants, checked on the probability cases against the plain metric's value.</summary>
    public static readonly IReadOnlyList<FixtureMetric> AnyLossKeys = new[]
    {
        new FixtureMetric("AccuracyAnyLoss", "Accuracy", "AccuracyAnyLoss", null),
        new FixtureMetric("F1AnyLoss", "F1", "F1AnyLoss", null),
        new FixtureMetric("BalancedAccuracyAnyLoss", "BalancedAccuracy", "BalancedAccuracyAnyLoss", null),
        new FixtureMetric("GMeanAnyLoss", "GMean", "GMeanAnyLoss", null),
    };

    public static FixtureMetric Key(string key) => LogitKeys.Concat(AnyLossKeys).Single(k => k.Key == key);

    /// <summary>Every (case, key) to check: all keys on every case, plus the AnyLoss keys on the probability cases.</summary>
    public static IEnumerable<(SklearnCase Case, FixtureMetric Key)> Rows() =>
        from c in Cases
        from k in c.IsProbability ? LogitKeys.Concat(AnyLossKeys) : LogitKeys
        select (c, k);

    /// <summary>The settings that make the generated metric compute what the fixture key means on this case.</summary>
    public static MetricSettings SettingsFor(SklearnCase @case, FixtureMetric key) =>
        new(Threshold: key.Metric.EndsWith("AnyLoss", StringComparison.Ordinal) || !@case.IsProbability ? null : @case.Threshold,
            Beta: key.Beta);

    private static IReadOnlyList<SklearnCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "fixtures", "confusion_metrics.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var cases = new List<SklearnCase>();
        foreach (var c in document.RootElement.GetProperty("cases").EnumerateArray())
        {
            var expected = new Dictionary<string, double?>(StringComparer.Ordinal);
            foreach (var p in c.GetProperty("expected").EnumerateObject())
            {
                expected[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetDouble();
            }
            cases.Add(new SklearnCase(
                c.GetProperty("name").GetString()!,
                c.GetProperty("kind").GetString()!,
                c.GetProperty("threshold").GetDouble(),
                c.GetProperty("score").EnumerateArray().Select(v => v.GetDouble()).ToArray(),
                c.GetProperty("label").EnumerateArray().Select(v => v.GetInt32() != 0).ToArray(),
                expected));
        }
        return cases;
    }

    private static FixtureMetric Plain(string name) => new(name, name, name, null);
}
