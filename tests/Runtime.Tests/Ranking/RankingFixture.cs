using System.Text.Json;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>A binary case: scores, 0/1 labels, roc_auc_score (null where scikit-learn raises) and average_precision_score.</summary>
public sealed record BinaryCase(string Name, double[] Score, bool[] Label, double? RocAuc, double AveragePrecision, string[] Notes);

/// <summary>An NDCG case: queries × items, sklearn's ndcg_score (k = 3 and k = None; mean and per query) and the language's value.</summary>
public sealed record NdcgCase(
    string Name, bool TieFree, double[][] Score, double[][] Gain,
    double NdcgK3, double[] NdcgK3PerQuery, double ConventionK3,
    double NdcgAll, double[] NdcgAllPerQuery, double ConventionAll);

/// <summary>A top-k case: logits, targets, top_k_accuracy_score per k, and the TopKAccuracy example's value per k.</summary>
public sealed record TopKCase(string Name, bool TieFree, double[][] Logit, long[] Target,
    IReadOnlyDictionary<int, double> Sklearn, IReadOnlyDictionary<int, double> Convention);

/// <summary>A multi-class F1 case (prediction = argmax of tie-free logits).</summary>
public sealed record F1Case(string Name, double[][] Logit, long[] Target, double MacroAllLabels, double MacroPresent, double Micro);

/// <summary>tests/fixtures/ranking/ranking_metrics.json (see the README beside it), copied to the test output.</summary>
public static class RankingFixture
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "ranking", "ranking_metrics.json"))));

    private static JsonElement Root => Document.Value.RootElement;

    public static string SklearnVersion => Root.GetProperty("sklearn_version").GetString()!;

    public static IReadOnlyList<BinaryCase> Binary { get; } = Lazy(() => Root.GetProperty("binary").EnumerateArray().Select(c => new BinaryCase(
        c.GetProperty("name").GetString()!,
        Doubles(c.GetProperty("score")),
        c.GetProperty("label").EnumerateArray().Select(l => l.GetInt32() != 0).ToArray(),
        c.GetProperty("roc_auc").ValueKind == JsonValueKind.Null ? null : c.GetProperty("roc_auc").GetDouble(),
        c.GetProperty("average_precision").GetDouble(),
        c.TryGetProperty("notes", out var notes) ? notes.EnumerateArray().Select(n => n.GetString()!).ToArray() : Array.Empty<string>())).ToArray());

    public static IReadOnlyList<NdcgCase> Ndcg { get; } = Lazy(() => Root.GetProperty("ndcg").EnumerateArray().Select(c => new NdcgCase(
        c.GetProperty("name").GetString()!,
        c.GetProperty("tie_free").GetBoolean(),
        Matrix(c.GetProperty("score")),
        Matrix(c.GetProperty("gain")),
        c.GetProperty("ndcg_k3").GetDouble(), Doubles(c.GetProperty("ndcg_k3_per_query")), c.GetProperty("convention_k3").GetDouble(),
        c.GetProperty("ndcg_all").GetDouble(), Doubles(c.GetProperty("ndcg_all_per_query")), c.GetProperty("convention_all").GetDouble())).ToArray());

    public static IReadOnlyList<TopKCase> TopK { get; } = Lazy(() => Root.GetProperty("topk").EnumerateArray().Select(c => new TopKCase(
        c.GetProperty("name").GetString()!,
        c.GetProperty("tie_free").GetBoolean(),
        Matrix(c.GetProperty("logit")),
        c.GetProperty("target").EnumerateArray().Select(t => t.GetInt64()).ToArray(),
        PerK(c.GetProperty("sklearn")),
        PerK(c.GetProperty("convention")))).ToArray());

    public static IReadOnlyList<F1Case> F1 { get; } = Lazy(() => Root.GetProperty("f1").EnumerateArray().Select(c => new F1Case(
        c.GetProperty("name").GetString()!,
        Matrix(c.GetProperty("logit")),
        c.GetProperty("target").EnumerateArray().Select(t => t.GetInt64()).ToArray(),
        c.GetProperty("f1_macro_all_labels").GetDouble(),
        c.GetProperty("f1_macro_present").GetDouble(),
        c.GetProperty("f1_micro").GetDouble())).ToArray());

    public static TheoryData<string> Names<T>(IEnumerable<T> cases, Func<T, string> name)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases) data.Add(name(c));
        return data;
    }

    private static IReadOnlyList<T> Lazy<T>(Func<T[]> load) => new LazyList<T>(load);

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    private static double[][] Matrix(JsonElement array) => array.EnumerateArray().Select(Doubles).ToArray();

    private static IReadOnlyDictionary<int, double> PerK(JsonElement map) =>
        map.EnumerateObject().ToDictionary(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => p.Value.GetDouble());

    /// <summary>Loads on first use, so a missing fixture fails the tests that need it, not the type initialiser.</summary>
    private sealed class LazyList<T>(Func<T[]> load) : IReadOnlyList<T>
    {
        private readonly Lazy<T[]> _items = new(load);

        public T this[int index] => _items.Value[index];

        public int Count => _items.Value.Length;

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items.Value).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => _items.Value.GetEnumerator();
    }
}
