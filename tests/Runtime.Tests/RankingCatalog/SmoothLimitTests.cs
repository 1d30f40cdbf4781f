using MetricLoss.Dsl.Interpretation;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>
/// Smooth → exact as every temperature → 0, on tie-free inputs, wherever that limit holds; and where it does not.
/// </summary>
/// <remarks>
/// A relaxed comparison σ((a − b)/τ) tends to the hard one only when a ≠ b in the limit. Score comparisons are
/// strict on tie-free scores, but RecallAtK, RetrievalRecallAtK, PrecisionAtK, NdcgAtK (<c>rank &lt;= k</c>) and
/// TopKAccuracy (<c>higher &lt; k</c>) compare a smooth COUNT with the integer k: the count tends to an integer, so
/// an item with rank exactly k (a sample with exactly k classes above its target) sits on the boundary, where
/// σ(0) = ½ for every τ. There the smooth value tends to the exact one with those comparisons counted ½: e.g. the
/// best-ranked positive of RS@1 (rank 1 = k) contributes ½, not 1. The limit tests below therefore use inputs
/// with no item on such a boundary (checked by brute force), and the boundary is tested on its own.
/// </remarks>
public sealed class SmoothLimitTests
{
    private static readonly double[] Temperatures = { 1e-2, 1e-3, 1e-4 };

    /// <summary>Tie-free values: a random permutation of distinct multiples of 0.1 (offset by 0.05 so none is 0).</summary>
    private static double[] Distinct(Random random, int count) =>
        Enumerable.Range(0, count).Select(v => (v - count / 2) * 0.1 + 0.05).OrderBy(_ => random.Next()).ToArray();

    private static DenseArray Rows(Random random, int rows, int columns)
    {
        var data = new List<double>();
        for (var r = 0; r < rows; r++) data.AddRange(Distinct(random, columns));
        return new DenseArray(data.ToArray(), rows, columns);
    }

    /// <summary>1 + the number of items j ≠ i (with valid[j] when given) strictly above item i in the row.</summary>
    private static int Rank(DenseArray score, int row, int i, DenseArray? valid = null)
    {
        var n = score.Shape[1];
        var rank = 1;
        for (var j = 0; j < n; j++)
        {
            if (j != i && (valid is null || valid[row, j] != 0) && score[row, j] > score[row, i]) rank++;
        }
        return rank;
    }

    /// <summary>Random tie-free inputs and options for the metric, and whether some k-comparison lies on its boundary.</summary>
    private static (Dictionary<string, DenseArray> Inputs, Dictionary<string, double[]> Options, bool OnBoundary) Draw(string metric, Random random)
    {
        var inputs = new Dictionary<string, DenseArray>();
        var options = new Dictionary<string, double[]>();
        var boundary = false;
        DenseArray Bools(int rows, int columns, double rate) =>
            RandomRankingInputs.Matrix(rows, columns, (_, _) => random.NextDouble() < rate ? 1 : 0);
        switch (metric)
        {
            case "RocAuc":
            case "AveragePrecision":
            {
                var n = 2 + random.Next(20);
                inputs["score"] = new DenseArray(Distinct(random, n), n);
                inputs["label"] = RandomRankingInputs.Vector(n, _ => random.Next(2));
                break;
            }
            case "RecallAtK":
            case "RetrievalRecallAtK":
            {
                int q = 1 + random.Next(4), n = 2 + random.Next(14);
                var sim = Rows(random, q, n);
                var valid = Bools(q, n, 0.85);
                var pos = RandomRankingInputs.Matrix(q, n, (a, b) => valid[a, b] != 0 && random.NextDouble() < 0.3 ? 1 : 0);
                inputs["sim"] = sim;
                inputs["pos"] = pos;
                inputs["valid"] = valid;
                var ks = metric == "RecallAtK" ? new[] { 1, 2, 4, 8, 16 } : new[] { 1 + random.Next(5) };
                if (metric == "RetrievalRecallAtK") options["k"] = new[] { (double)ks[0] };
                for (var a = 0; a < q; a++)
                for (var i = 0; i < n; i++)
                {
                    if (pos[a, i] != 0 && ks.Contains(Rank(sim, a, i, valid))) boundary = true;
                }
                options["tau_k"] = new[] { 1.0 }; // replaced by the sweep
                break;
            }
            case "PrecisionAtK":
            case "NdcgAtK":
            case "MeanAveragePrecision":
            case "MeanReciprocalRank":
            {
                int q = 1 + random.Next(4), n = 2 + random.Next(14);
                var score = Rows(random, q, n);
                inputs["score"] = score;
                var relevant = metric == "NdcgAtK"
                    ? RandomRankingInputs.Matrix(q, n, (_, _) => random.Next(3) == 0 ? 0 : 1 + random.Next(3))
                    : Bools(q, n, 0.3);
                inputs[metric == "NdcgAtK" ? "gain" : "label"] = relevant;
                if (metric is "PrecisionAtK" or "NdcgAtK")
                {
                    var k = 1 + random.Next(8);
                    options["k"] = new[] { (double)k };
                    for (var a = 0; a < q; a++)
                    for (var i = 0; i < n; i++)
                    {
                        if (relevant[a, i] != 0 && Rank(score, a, i) == k) boundary = true;
                    }
                }
                break;
            }
            case "TopKAccuracy":
            {
                int n = 1 + random.Next(12), c = 1 + random.Next(6);
                var logit = Rows(random, n, c);
                var target = RandomRankingInputs.Vector(n, _ => random.Next(c));
                var k = 1 + random.Next(c); // k < 1 is refused: `higher < k` would always be false
                inputs["logit"] = logit;
                inputs["target"] = target;
                options["k"] = new[] { (double)k };
                for (var a = 0; a < n; a++)
                {
                    if (Rank(logit, a, (int)target[a]) - 1 == k) boundary = true;
                }
                break;
            }
            case "MacroF1MultiLabel":
            case "MicroF1MultiLabel":
            {
                int n = 1 + random.Next(12), c = 1 + random.Next(6);
                inputs["score"] = Rows(random, n, c); // never exactly the threshold 0
                inputs["label"] = Bools(n, c, 0.4);
                break;
            }
            case "MacroF1MultiClass":
            case "MicroF1MultiClass":
            {
                int n = 1 + random.Next(12), c = 1 + random.Next(6);
                var target = Enumerable.Range(0, n).Select(_ => random.Next(c)).ToArray();
                inputs["logit"] = Rows(random, n, c);
                inputs["label"] = RandomRankingInputs.Matrix(n, c, (a, b) => target[a] == b ? 1 : 0);
                break;
            }
        }
        return (inputs, options, boundary);
    }

    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in RankingMetric.AllNames) data.Add(name);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Smooth_tends_to_exact_as_the_temperatures_tend_to_zero(string name)
    {
        var metric = RankingMetric.Get(name);
        var temperatureOptions = metric.Info.Options.Where(o => o.Name.StartsWith("tau", StringComparison.Ordinal)).Select(o => o.Name).ToArray();
        var random = new Random(name.Length * 101 + name[0]);
        var checkedCases = 0;
        for (var attempt = 0; checkedCases < 12 && attempt < 400; attempt++)
        {
            var (arrays, options, onBoundary) = Draw(name, random);
            if (onBoundary) continue;
            checkedCases++;
            using var scope = torch.NewDisposeScope();
            var inputs = metric.Tensors(arrays);
            var exact = metric.Exact(inputs, metric.Options(options));
            var gaps = new List<double>();
            foreach (var tau in Temperatures)
            {
                foreach (var option in temperatureOptions) options[option] = new[] { tau };
                gaps.Add(Math.Abs(metric.Smooth(inputs, metric.Options(options)).item<double>() - exact));
            }
            var context = $"{name}: {RandomRankingInputs.Describe(arrays, options)}; exact {exact:R}, gaps {string.Join(", ", gaps.Select(g => g.ToString("E2")))}";
            Assert.True(gaps[^1] <= 1e-9, context);
            Assert.True(gaps[^1] <= gaps[0] + 1e-12, context);
        }
        Assert.Equal(12, checkedCases);
    }

    [Fact]
    public void At_the_rank_equals_k_boundary_the_limit_counts_one_half()
    {
        // One query, one positive ranked first among valid items: exact RS@1 = 1, but σ((1 − r̃)/τ_k) → σ(0) = ½.
        var recall = RankingMetric.Get("RecallAtK");
        var arrays = new Dictionary<string, DenseArray>
        {
            ["sim"] = new(new[] { 0.9, 0.5, 0.1 }, 1, 3),
            ["pos"] = new(new[] { 1.0, 0, 0 }, 1, 3),
            ["valid"] = new(new[] { 1.0, 1, 1 }, 1, 3),
        };
        using var scope = torch.NewDisposeScope();
        var inputs = recall.Tensors(arrays);
        foreach (var tau in Temperatures)
        {
            var options = recall.Options(new Dictionary<string, double[]> { ["k"] = new[] { 1.0 }, ["tau_rank"] = new[] { tau }, ["tau_k"] = new[] { tau } });
            Assert.Equal(1.0, recall.Exact(inputs, options), 12);
            Assert.Equal(0.5, recall.Smooth(inputs, options).item<double>(), 6);
        }

        // TopKAccuracy, k = 1, the target second in every row: exact 0, smooth → σ((1 − 1)/τ) = ½.
        var topK = RankingMetric.Get("TopKAccuracy");
        var logit = tensor(new[] { 2.0, 1.0, 0.0, 0.0, 3.0, 1.0 }).reshape(2, 3);
        var target = tensor(new long[] { 1, 2 });
        var topKOptions = topK.Options(new Dictionary<string, double[]> { ["k"] = new[] { 1.0 }, ["tau"] = new[] { 1e-4 } });
        Assert.Equal(0.0, topK.Exact(new[] { logit, target }, topKOptions), 12);
        Assert.Equal(0.5, topK.Smooth(new[] { logit, target }, topKOptions).item<double>(), 6);

        // NdcgAtK, k = 2, the only relevant item at rank 2: exact 1/log2(3), smooth → ½ of it.
        var ndcg = RankingMetric.Get("NdcgAtK");
        var score = tensor(new[] { 0.9, 0.5, 0.1 }).reshape(1, 3);
        var gain = tensor(new[] { 0.0, 1.0, 0.0 }).reshape(1, 3);
        var ndcgOptions = ndcg.Options(new Dictionary<string, double[]> { ["k"] = new[] { 2.0 }, ["tau"] = new[] { 1e-4 } });
        Assert.Equal(1 / Math.Log2(3), ndcg.Exact(new[] { score, gain }, ndcgOptions), 12);
        Assert.Equal(0.5 / Math.Log2(3), ndcg.Smooth(new[] { score, gain }, ndcgOptions).item<double>(), 6);
    }

    [Fact]
    public void With_ties_the_smooth_limit_counts_a_tie_one_half_while_exact_ranks_are_strict()
    {
        // Two tied items, the positive first in storage order: strict rank 1 for both (exact MRR = 1); smooth rank
        // → 1 + σ(0) = 1.5, so smooth MRR → 2/3 however small τ is. (AveragePrecision's `>=` is pessimistic instead.)
        var mrr = RankingMetric.Get("MeanReciprocalRank");
        using var scope = torch.NewDisposeScope();
        var inputs = new[] { tensor(new[] { 0.5, 0.5 }).reshape(1, 2), tensor(new[] { true, false }).reshape(1, 2) };
        var options = mrr.Options(new Dictionary<string, double[]> { ["tau"] = new[] { 1e-6 } });
        Assert.Equal(1.0, mrr.Exact(inputs, options), 12);
        Assert.Equal(2.0 / 3.0, mrr.Smooth(inputs, options).item<double>(), 9);

        var ap = RankingMetric.Get("AveragePrecision");
        var apInputs = new[] { tensor(new[] { 0.5, 0.5 }), tensor(new[] { true, false }) };
        Assert.Equal(0.5, ap.Exact(apInputs), 12);                                       // sklearn: 0.5
        Assert.Equal((1 + 0.0) / 1.5, ap.Smooth(apInputs, ap.Options(new Dictionary<string, double[]> { ["tau"] = new[] { 1e-6 } })).item<double>(), 9);
    }
}
