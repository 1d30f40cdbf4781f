using System.Text.Json;
using CsCheck;
using MetricLoss.Dsl.Interpretation;
using static MetricLoss.Dsl.Tests.Interpretation.Kit;

namespace MetricLoss.Dsl.Tests.Interpretation;

/// <summary>
/// The exact interpreter on random inputs against <see cref="ReferenceFormulas"/>, which compute each
/// metric by its usual definition rather than by the language's formula; and F1 against scikit-learn.
/// </summary>
public class NormativePropertyTests
{
    private const int Iterations = 200;

    /// <summary>Scores drawn from a handful of values, so ties are frequent; labels random.</summary>
    private static readonly Gen<(double[] Score, int[] Label)> TiedBinary =
        Gen.Int[1, 9].SelectMany(n => Gen.Select(Gen.Int[0, 3].Array[n], Gen.Int[0, 1].Array[n],
            (s, l) => (s.Select(v => v / 2.0).ToArray(), l)));

    /// <summary>Distinct scores (a random permutation of 0..n−1, scaled), for the tie-free definitions.</summary>
    private static Gen<double[]> DistinctScores(int n) =>
        Gen.Double[0, 1].Array[n].Select(keys =>
        {
            var order = Enumerable.Range(0, n).OrderBy(i => keys[i]).ToArray();
            var scores = new double[n];
            for (var r = 0; r < n; r++) scores[order[r]] = r / 10.0 - 0.35;
            return scores;
        });

    [Fact]
    public void RocAuc_equals_the_Mann_Whitney_statistic_with_mid_ranks()
    {
        var metric = Normative("RocAuc");
        TiedBinary.Sample(x =>
        {
            var inputs = Inputs(("score", Vec(x.Score)), ("label", Labels(x.Label)));
            Assert.Equal(ReferenceFormulas.RocAucMannWhitney(x.Score, x.Label), ReferenceInterpreter.Exact(metric, inputs), 12);
        }, iter: Iterations);
    }

    [Fact]
    public void AveragePrecision_equals_scikit_learns_precision_recall_curve_sum()
    {
        var metric = Normative("AveragePrecision");
        TiedBinary.Sample(x =>
        {
            var inputs = Inputs(("score", Vec(x.Score)), ("label", Labels(x.Label)));
            Assert.Equal(ReferenceFormulas.AveragePrecisionCurve(x.Score, x.Label), ReferenceInterpreter.Exact(metric, inputs), 12);
        }, iter: Iterations);
    }

    [Fact]
    public void F1_equals_the_confusion_count_formula()
    {
        var metric = Normative("F1");
        Gen.Select(TiedBinary, Gen.Int[-1, 3]).Sample((x, t) =>
        {
            var threshold = t / 2.0; // often equal to a score: the strict `>` matters
            var inputs = Inputs(("score", Vec(x.Score)), ("label", Labels(x.Label)));
            Assert.Equal(ReferenceFormulas.F1(x.Score, x.Label, threshold), ReferenceInterpreter.Exact(metric, inputs, Options(("threshold", threshold))), 12);
        }, iter: Iterations);
    }

    [Fact]
    public void NdcgAtK_equals_sorted_dcg_over_ideal_dcg_on_tie_free_scores()
    {
        var metric = Normative("NdcgAtK");
        var gen = Gen.SelectMany(Gen.Int[1, 3], Gen.Int[1, 6], (q, i) => Gen.Select(
            DistinctScores(i).Array[q], Gen.Int[0, 3].Array[q * i], Gen.Int[1, 7]));
        gen.Sample((rows, gains, k) =>
        {
            int q = rows.Length, i = rows[0].Length;
            var score = new double[q, i];
            var gain = new double[q, i];
            for (var a = 0; a < q; a++)
            {
                for (var b = 0; b < i; b++)
                {
                    score[a, b] = rows[a][b];
                    gain[a, b] = gains[a * i + b];
                }
            }
            var inputs = Inputs(("score", Mat(score)), ("gain", Mat(gain)));
            Assert.Equal(ReferenceFormulas.NdcgAtK(score, gain, k), ReferenceInterpreter.Exact(metric, inputs, Options(("k", k))), 12);
        }, iter: Iterations);
    }

    [Fact]
    public void TopKAccuracy_equals_target_among_the_k_largest_logits()
    {
        var metric = Normative("TopKAccuracy");
        var gen = Gen.SelectMany(Gen.Int[1, 5], Gen.Int[2, 5], (n, c) => Gen.Select(
            DistinctScores(c).Array[n], Gen.Int[0, c - 1].Array[n], Gen.Int[1, c]));
        gen.Sample((rows, target, k) =>
        {
            int n = rows.Length, c = rows[0].Length;
            var logit = new double[n, c];
            for (var a = 0; a < n; a++) for (var b = 0; b < c; b++) logit[a, b] = rows[a][b];
            var inputs = Inputs(("logit", Mat(logit)), ("target", Vec(target.Select(t => (double)t).ToArray())));
            Assert.Equal(ReferenceFormulas.TopKAccuracy(logit, target, k), ReferenceInterpreter.Exact(metric, inputs, Options(("k", k))), 12);
        }, iter: Iterations);
    }

    [Fact]
    public void RecallAtK_equals_positives_among_the_first_k_valid_items()
    {
        var metric = Normative("RecallAtK");
        var gen = Gen.SelectMany(Gen.Int[1, 3], Gen.Int[1, 7], (q, i) => Gen.Select(
            DistinctScores(i).Array[q], Gen.Int[0, 2].Array[q * i], Gen.Int[1, 8].Array[1, 3]));
        gen.Sample((rows, kinds, ks) =>
        {
            int q = rows.Length, i = rows[0].Length;
            var sim = new double[q, i];
            bool[,] pos = new bool[q, i], valid = new bool[q, i];
            for (var a = 0; a < q; a++)
            {
                for (var b = 0; b < i; b++)
                {
                    sim[a, b] = rows[a][b];
                    // 0: invalid (like the query itself), 1: valid negative, 2: valid positive.
                    valid[a, b] = kinds[a * i + b] > 0;
                    pos[a, b] = kinds[a * i + b] == 2;
                }
            }
            var inputs = Inputs(("sim", Mat(sim)), ("pos", Mat(ToDouble(pos))), ("valid", Mat(ToDouble(valid))));
            var options = new Dictionary<string, double[]> { ["k"] = ks.Select(k => (double)k).ToArray() };
            Assert.Equal(ReferenceFormulas.RecallAtK(sim, pos, valid, ks), ReferenceInterpreter.Exact(metric, inputs, options), 12);
        }, iter: Iterations);
    }

    [Fact]
    public void F1_matches_every_scikit_learn_fixture()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(FindFixture("confusion_metrics.json")));
        var cases = document.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.True(cases.Count >= 40, $"expected the 44 committed cases, found {cases.Count}");
        foreach (var c in cases)
        {
            var metric = Normative(c.GetProperty("kind").GetString() == "prob" ? "F1AnyLoss" : "F1");
            var score = c.GetProperty("score").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var label = c.GetProperty("label").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            var inputs = Inputs((metric.Inputs[0].Name, Vec(score)), ("label", Vec(label)));
            var options = metric.Name == "F1" ? Options(("threshold", c.GetProperty("threshold").GetDouble())) : null;
            var expected = c.GetProperty("expected").GetProperty("F1").GetDouble();
            var actual = ReferenceInterpreter.Exact(metric, inputs, options);
            Assert.True(Math.Abs(expected - actual) < 1e-12, $"{c.GetProperty("name").GetString()}: sklearn F1 {expected}, interpreter {actual}");
        }
    }

    private static double[,] ToDouble(bool[,] values)
    {
        var result = new double[values.GetLength(0), values.GetLength(1)];
        for (var a = 0; a < values.GetLength(0); a++) for (var b = 0; b < values.GetLength(1); b++) result[a, b] = values[a, b] ? 1 : 0;
        return result;
    }

    /// <summary>tests/fixtures/ is committed beside the test projects; find it from the test output folder upwards.</summary>
    private static string FindFixture(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "fixtures", name);
            if (File.Exists(candidate)) return candidate;
            candidate = Path.Combine(directory.FullName, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"tests/fixtures/{name} not found above {AppContext.BaseDirectory}");
    }
}
