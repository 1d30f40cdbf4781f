using System.Text.RegularExpressions;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Tests.Binding;

/// <summary>
/// The generator caches on <see cref="BoundMetric"/> record equality: a whitespace or comment edit of a
/// metric must give an equal model (and an equal hash), and a change of any token must give a different one.
/// </summary>
public class ModelEqualityTests
{
    private static readonly string Normative = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", "normative.metric"));

    public static TheoryData<string> NormativeNames => new()
    {
        "F1", "F1AnyLoss", "RocAuc", "AveragePrecision", "RecallAtK", "TopKAccuracy", "NdcgAtK", "AccuracyInterpolated",
    };

    /// <summary>Ways to re-space a text that must not change its meaning: each joins the tokens differently.</summary>
    private static readonly string[] RespacingNames =
        { "single spaces", "one token per line", "comments between all tokens", "windows line endings", "tabs and trailing comments" };

    public static TheoryData<string> Respacings => new(RespacingNames);

    [Theory]
    [MemberData(nameof(Respacings))]
    public void Whitespace_and_comment_edits_of_the_normative_file_give_equal_models(string respacing)
    {
        var original = Compile(Normative);
        var edited = Compile(Respace(Normative, respacing));
        Assert.Equal(original.Count, edited.Count);
        for (var i = 0; i < original.Count; i++) AssertSameModel(original[i], edited[i]);
    }

    [Theory]
    [MemberData(nameof(NormativeNames))]
    public void Each_normative_metric_is_equal_under_every_respacing(string name)
    {
        var original = Metric(Normative, name);
        foreach (var respacing in RespacingNames)
        {
            AssertSameModel(original, Metric(Respace(Normative, respacing), name));
        }
    }

    [Fact]
    public void The_canonical_source_text_ignores_comments_and_layout()
    {
        var compact = Metric("metric M(s: real[n], tau: real = 1) { maximize mean[n](s[n] > 0); }", "M");
        var spread = Metric("""
            // a comment the model must not see
            metric M(
                s: real[n],     // scores
                tau: real = 1   // temperature
            )
            {
                maximize mean[n](s[n] > 0);
            }
            """, "M");
        AssertSameModel(compact, spread);
    }

    [Fact]
    public void Moving_a_metric_within_its_file_keeps_it_equal()
    {
        const string F1 = "metric F1(s: real[n], l: bool[n], tau: real = 1) { maximize mean[n](l[n] & (s[n] > 0)); }";
        const string Other = "metric Other(s: real[n]) { maximize mean[n](s[n]); }";
        AssertSameModel(Metric(F1, "F1"), Metric(Other + "\n\n\n" + F1, "F1"));
    }

    [Fact]
    public void Compiling_twice_gives_equal_models() =>
        Assert.Equal(Compile(Normative), Compile(Normative));

    // ---- any token change gives a different model --------------------------------------------------

    private const string Base = """
        namespace Catalog;
        metric F1(score: real[n], label: bool[n], threshold: real = 0, tau: real = 1) {
            pred[n] = score[n] > threshold;
            tp = sum[n](pred[n] & label[n]);
            fp = sum[n](pred[n] & !label[n]);
            fn = sum[n](!pred[n] & label[n]);
            maximize 2 * tp / (2 * tp + fp + fn);
        }
        """;

    [Theory]
    [InlineData("namespace Catalog;", "namespace Catalog2;")]
    [InlineData("metric F1(", "metric F2(")]
    [InlineData("score: real[n]", "score: const real[n]")]
    [InlineData("threshold: real = 0", "threshold: real = 0.5")]
    [InlineData("tau: real = 1", "tau: real = 1 / 73")]
    [InlineData("tau: real = 1)", "tau: real = 1) interpolate")]
    [InlineData("score[n] > threshold", "score[n] >= threshold")]
    [InlineData("score[n] > threshold", "score[n] > threshold @ 0.5")]
    [InlineData("tp = sum[n]", "tp = mean[n]")]
    [InlineData("pred[n] & label[n]);\n    fp", "pred[n] | label[n]);\n    fp")]
    [InlineData("!label[n]", "label[n]")]
    [InlineData("maximize", "minimize")]
    [InlineData("2 * tp / (2 * tp + fp + fn)", "2 * tp / (2 * tp + fn + fp)")]
    [InlineData("2 * tp / (2 * tp + fp + fn)", "2 * tp / 2 * tp + fp + fn")]
    [InlineData("fn = sum[n](!pred[n] & label[n]);", "fn = sum[n](!pred[n] & label[n]);\n    unused = 1;")]
    public void Changing_a_token_changes_the_model(string before, string after)
    {
        var edited = Base.Replace(before, after);
        Assert.NotEqual(Base, edited);
        Assert.NotEqual(Metric(Base, "F1"), Metric(edited, edited.Contains("F2(") ? "F2" : "F1"));
    }

    [Fact]
    public void Renaming_an_axis_changes_the_model() =>
        Assert.NotEqual(Metric(Base, "F1"), Metric(Regex.Replace(Base, @"\[n\]", "[m]"), "F1"));

    [Fact]
    public void Changing_an_interpolate_count_changes_the_model()
    {
        const string Text = "metric A(s: real[n], tau: real = 1) interpolate(good: 4) { maximize mean[n](s[n] > 0); }";
        Assert.NotEqual(Metric(Text, "A"), Metric(Text.Replace("good: 4", "good: 5"), "A"));
        AssertSameModel(Metric(Text, "A"), Metric(Text.Replace("good: 4", "good:4"), "A"));
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private static IReadOnlyList<BoundMetric> Compile(string text)
    {
        var compilation = MetricCompiler.Compile(text, "Tests");
        Assert.Empty(compilation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
        return compilation.Metrics;
    }

    /// <summary>
    /// Record equality and hash, checked in two steps so that a failure says which part differs: the
    /// model proper, or <see cref="BoundMetric.Source"/> (shown by Info, so it must be canonical text too).
    /// </summary>
    private static void AssertSameModel(BoundMetric expected, BoundMetric actual)
    {
        Assert.Equal(expected with { Source = "" }, actual with { Source = "" });
        Assert.Equal(expected.Source, actual.Source);
        Assert.Equal(expected, actual);
        Assert.Equal(expected.GetHashCode(), actual.GetHashCode());
    }

    private static BoundMetric Metric(string text, string name) => Compile(text).Single(m => m.Name == name);

    private static readonly Regex Token = new(@"//[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?([eE][+-]?\d+)?|>=|<=|!=|\S");

    /// <summary>The same tokens, comments dropped, joined by other whitespace and comments.</summary>
    private static string Respace(string text, string respacing)
    {
        var tokens = Token.Matches(text).Select(m => m.Value).Where(t => !t.StartsWith("//", StringComparison.Ordinal));
        return respacing switch
        {
            "single spaces" => string.Join(" ", tokens),
            "one token per line" => string.Join("\n", tokens),
            "comments between all tokens" => "// start\n" + string.Join(" // between\n", tokens) + " // end",
            "windows line endings" => text.Replace("\n", "\r\n"),
            "tabs and trailing comments" => string.Join("\t", tokens).Replace(";", "; // done\n\t\t").Replace("{", "{ // open\n"),
            _ => throw new ArgumentException(respacing),
        };
    }
}
