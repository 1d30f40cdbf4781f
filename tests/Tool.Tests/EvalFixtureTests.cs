using System.Globalization;
using System.Text;
using System.Text.Json;
using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

/// <summary>`eval` of catalogue metrics against scikit-learn's values (tests/fixtures) and hand-computed ones.</summary>
public sealed class EvalFixtureTests : IDisposable
{
    private const double Tolerance = 1e-12;

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> ConfusionCases() =>
        new(Fixtures.Load("confusion_metrics.json").GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(ConfusionCases))]
    public void Confusion_metrics_match_scikit_learn(string name)
    {
        var fixture = Fixtures.Load("confusion_metrics.json").GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var csv = _temp.Write("predictions.csv", Csv.Columns(("score", Fixtures.Doubles(fixture.GetProperty("score"))), ("label", Fixtures.Doubles(fixture.GetProperty("label")))));
        var threshold = "threshold=" + fixture.GetProperty("threshold").GetDouble().ToString("R", CultureInfo.InvariantCulture);
        var expected = fixture.GetProperty("expected");

        Assert.Equal(expected.GetProperty("F1").GetDouble(), Eval("F1", csv, "--option", threshold), Tolerance);
        Assert.Equal(expected.GetProperty("FBeta(beta=2)").GetDouble(), Eval("FBeta", csv, "--option", threshold, "--option", "beta=2"), Tolerance);
        Assert.Equal(expected.GetProperty("Mcc").GetDouble(), Eval("Mcc", csv, "-o", threshold), Tolerance);
        Assert.Equal(expected.GetProperty("BalancedAccuracy").GetDouble(), Eval("BalancedAccuracy", csv, $"--option={threshold}"), Tolerance);
    }

    public static TheoryData<string> BinaryRankingCases() =>
        new(Fixtures.Load("ranking", "ranking_metrics.json").GetProperty("binary").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(BinaryRankingCases))]
    public void RocAuc_and_AveragePrecision_match_scikit_learn(string name)
    {
        var fixture = Fixtures.Load("ranking", "ranking_metrics.json").GetProperty("binary").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var csv = _temp.Write("predictions.csv", Csv.Columns(("score", Fixtures.Doubles(fixture.GetProperty("score"))), ("label", Fixtures.Doubles(fixture.GetProperty("label")))));
        // scikit-learn raises on a single class (null); the catalogue's wins / pairs is then 0 / 0 = 0.
        var rocAuc = fixture.GetProperty("roc_auc");
        var expectedRocAuc = rocAuc.ValueKind == JsonValueKind.Null ? 0 : rocAuc.GetDouble();

        Assert.Equal(expectedRocAuc, Eval("RocAuc", csv), Tolerance);
        Assert.Equal(fixture.GetProperty("average_precision").GetDouble(), Eval("AveragePrecision", csv), Tolerance);
    }

    public static TheoryData<string> NdcgCases() =>
        new(Fixtures.Load("ranking", "ranking_metrics.json").GetProperty("ndcg").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(NdcgCases))]
    public void NdcgAtK_reads_queries_in_long_format(string name)
    {
        var fixture = Fixtures.Load("ranking", "ranking_metrics.json").GetProperty("ndcg").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var score = Fixtures.Matrix(fixture.GetProperty("score"));
        var gain = Fixtures.Matrix(fixture.GetProperty("gain"));
        // Query keys are text, and the rows of one query need not be adjacent: only their order matters.
        var rows = score.SelectMany((row, q) => row.Select((s, i) => (Key: $"query-{q}", I: i, Line: $"query-{q},{R(s)},{R(gain[q][i])}")))
            .OrderBy(r => r.I).ThenBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Line);
        var csv = _temp.Write("ranking.csv", "q,score,gain\n" + string.Join("\n", rows) + "\n");

        Assert.Equal(fixture.GetProperty("convention_k3").GetDouble(), Eval("NdcgAtK", csv, "--option", "k=3"), Tolerance);
        Assert.Equal(fixture.GetProperty("convention_all").GetDouble(), Eval("NdcgAtK", csv, "--option", $"k={score[0].Length}"), Tolerance);
    }

    public static TheoryData<string> TopKCases() =>
        new(Fixtures.Load("ranking", "ranking_metrics.json").GetProperty("topk").EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Theory]
    [MemberData(nameof(TopKCases))]
    public void TopKAccuracy_reads_an_index_input_once_per_group(string name)
    {
        var fixture = Fixtures.Load("ranking", "ranking_metrics.json").GetProperty("topk").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var logit = Fixtures.Matrix(fixture.GetProperty("logit"));
        var target = Fixtures.Doubles(fixture.GetProperty("target"));
        var text = new StringBuilder("n,logit,target\n");
        for (var n = 0; n < logit.Length; n++)
        {
            foreach (var value in logit[n]) text.Append($"{n},{R(value)},{R(target[n])}\n");
        }
        var csv = _temp.Write("classes.csv", text.ToString());

        foreach (var k in fixture.GetProperty("convention").EnumerateObject())
        {
            Assert.Equal(k.Value.GetDouble(), Eval("TopKAccuracy", csv, "--option", $"k={k.Name}"), Tolerance);
        }
    }

    [Theory]
    [InlineData(null, 0.75)]
    [InlineData("k=1,2", 0.375)]
    [InlineData("k=2", 0.75)]
    public void RecallAtK_takes_a_vector_option(string? option, double expected)
    {
        // Hand-computed. q0: ranks 1, 2, 3, its one positive at rank 2. q1: ranks 3, 1, 2, positives at ranks 3 and 2.
        // R@1 = 0, 0; R@2 = 1, 1/2; from k = 4 on both are 1. Default k = 1, 2, 4, 8, 16: (0 + 1 + 1 + 1 + 1 + 0 + ½ + 1 + 1 + 1) / 10.
        var csv = _temp.Write("retrieval.csv", """
            q,sim,pos,valid
            0,0.9,0,1
            0,0.5,1,1
            0,0.1,0,1
            1,0.2,1,1
            1,0.8,0,1
            1,0.7,1,1
            """);
        string[] options = option is null ? [] : ["--option", option];

        Assert.Equal(expected, Eval("RecallAtK", csv, options), Tolerance);
    }

    [Fact]
    public void Booleans_may_be_written_true_and_false()
    {
        // F1 with tp = 1, fp = 1, fn = 1: 2 / (2 + 1 + 1).
        var csv = _temp.Write("words.csv", "label,score\nTrue,0.5\nfalse,-1\nFALSE,2\ntrue,-0.2\n");

        Assert.Equal(0.5, Eval("F1", csv));
    }

    [Fact]
    public void The_value_is_printed_round_trip_on_one_line()
    {
        // AP of (0.9 +, 0.8 −, 0.7 +) = (1/1 + 2/3) / 2, in double precision in that order (one ulp below 5.0 / 6).
        var csv = _temp.Write("ap.csv", "score,label\n0.9,1\n0.8,0\n0.7,1\n");

        var result = ToolRun.Invoke("eval", "AveragePrecision", csv);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(((1 + 2.0 / 3) / 2).ToString("R", CultureInfo.InvariantCulture) + "\n", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    private double Eval(string metric, string csv, params string[] options)
    {
        var result = ToolRun.Invoke(["eval", metric, csv, .. options]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return Csv.Parse(result.Stdout);
    }

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
