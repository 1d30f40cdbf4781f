using MetricLoss.Dsl.Interpretation;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>
/// The smooth programs of RecallAtK and AveragePrecision / MeanAveragePrecision against the surrogates of the
/// papers, computed here from their formulas (docs/surrogates.md §3.2 and §4.1) on fixed metric-learning batches:
/// RS@k (Patel, Tolias, Matas, CVPR 2022) and Smooth-AP (Brown, Xie, Kalogeiton, Zisserman, ECCV 2020).
/// </summary>
public sealed class PaperSurrogateTests
{
    private static readonly int[] Ks = { 1, 2, 4, 8, 16 };

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    /// <summary>
    /// A P×K batch: 5 classes × 4 samples, unit embeddings in 6 dimensions, cosine similarities. Every item is a
    /// query; its positives are the 3 other items of its class.
    /// </summary>
    private static (double[,] Sim, int[] Class) Batch(int seed, int classes = 5, int perClass = 4)
    {
        var random = new Random(seed);
        var n = classes * perClass;
        var centres = new double[classes, 6];
        for (var c = 0; c < classes; c++)
        for (var d = 0; d < 6; d++)
        {
            centres[c, d] = 1.2 * Gaussian(random);
        }
        var embedding = new double[n, 6];
        var cls = new int[n];
        for (var x = 0; x < n; x++)
        {
            cls[x] = x / perClass;
            var norm = 0.0;
            for (var d = 0; d < 6; d++)
            {
                embedding[x, d] = centres[cls[x], d] + Gaussian(random);
                norm += embedding[x, d] * embedding[x, d];
            }
            for (var d = 0; d < 6; d++) embedding[x, d] /= Math.Sqrt(norm);
        }
        var sim = new double[n, n];
        for (var a = 0; a < n; a++)
        for (var b = 0; b < n; b++)
        {
            for (var d = 0; d < 6; d++) sim[a, b] += embedding[a, d] * embedding[b, d];
        }
        return (sim, cls);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// RS@k as docs/surrogates.md §3.2 writes it, the query NOT in its own list (Ω = the batch without q):
    /// r̃(q, x) = 1 + Σ_{z ∈ Ω, z ≠ x} σ((s(q,z) − s(q,x))/τ2); R̃@k(q) = min(Σ_{x ∈ P_q} σ((k − r̃)/τ1), k) / min(k, |P_q|);
    /// the value is the mean over q and k of R̃@k (L = 1 − it). With <paramref name="queryInList"/> the query's own
    /// similarity is counted in every rank, as the official code does (§3.2, detail 2).
    /// </summary>
    private static double RsAtK(double[,] sim, int[] cls, double tau2, double tau1, bool queryInList) =>
        RsAtK(sim, cls, tau2, _ => tau1, queryInList);

    private static double RsAtK(double[,] sim, int[] cls, double tau2, Func<int, double> tau1, bool queryInList)
    {
        var n = cls.Length;
        var total = 0.0;
        for (var q = 0; q < n; q++)
        {
            var positives = Enumerable.Range(0, n).Where(x => x != q && cls[x] == cls[q]).ToArray();
            var rank = new Dictionary<int, double>();
            foreach (var x in positives)
            {
                var r = 1.0;
                for (var z = 0; z < n; z++)
                {
                    if (z == x || (z == q && !queryInList)) continue;
                    r += Sigmoid((sim[q, z] - sim[q, x]) / tau2);
                }
                rank[x] = r;
            }
            foreach (var k in Ks)
            {
                var hits = positives.Sum(x => Sigmoid((k - rank[x]) / tau1(k)));
                total += Math.Min(hits, k) / Math.Min(k, positives.Length);
            }
        }
        return total / (n * Ks.Length);
    }

    private static (Tensor Sim, Tensor Pos, Tensor Valid) RetrievalTensors(double[,] sim, int[] cls, bool queryValid, ScalarType dtype)
    {
        var n = cls.Length;
        var flat = new double[n * n];
        var pos = new bool[n * n];
        var valid = new bool[n * n];
        for (var q = 0; q < n; q++)
        for (var x = 0; x < n; x++)
        {
            flat[q * n + x] = sim[q, x];
            pos[q * n + x] = x != q && cls[x] == cls[q];
            valid[q * n + x] = x != q || queryValid;
        }
        return (tensor(flat, ScalarType.Float64).reshape(n, n).to_type(dtype), tensor(pos).reshape(n, n), tensor(valid).reshape(n, n));
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public void RecallAtK_smooth_is_RS_at_k_of_the_paper(int seed)
    {
        var (sim, cls) = Batch(seed);
        var expected = RsAtK(sim, cls, tau2: 0.01, tau1: 1, queryInList: false);
        var metric = RankingMetric.Get("RecallAtK");
        var options = metric.Options(new Dictionary<string, double[]>
        {
            ["k"] = Ks.Select(k => (double)k).ToArray(),
            ["tau_rank"] = new[] { 0.01 },
            ["tau_k"] = new[] { 1.0 },
        });
        Assert.Equal(0.01, (double)options.GetType().GetProperty("TauRank")!.GetValue(options)!);

        using var scope = torch.NewDisposeScope();
        foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
        {
            var (s, p, v) = RetrievalTensors(sim, cls, queryValid: false, dtype);
            var smooth = metric.Smooth(new[] { s, p, v }, options).to_type(ScalarType.Float64).item<double>();
            var loss = metric.Loss(new[] { s, p, v }, options).to_type(ScalarType.Float64).item<double>();
            var tolerance = dtype == ScalarType.Float64 ? 1e-12 : 1e-5;
            Assert.True(Math.Abs(smooth - expected) <= tolerance, $"{dtype}: Smooth {smooth:R}, RS@k {expected:R}");
            Assert.True(Math.Abs(loss - (1 - expected)) <= tolerance, $"{dtype}: Loss {loss:R}, RS@k loss {1 - expected:R}");
        }
    }

    [Fact]
    public void RecallAtK_with_the_query_valid_reproduces_the_official_code_convention()
    {
        // The official code keeps the query in the list its positives are ranked in (≈ +1 on every rank);
        // MetricLoss expresses that with valid[q, q] = true (pos[q, q] stays false).
        var (sim, cls) = Batch(21);
        var official = RsAtK(sim, cls, 0.01, 1, queryInList: true);
        var paper = RsAtK(sim, cls, 0.01, 1, queryInList: false);
        var metric = RankingMetric.Get("RecallAtK");
        using var scope = torch.NewDisposeScope();
        var (s, p, v) = RetrievalTensors(sim, cls, queryValid: true, ScalarType.Float64);
        var smooth = metric.Smooth(new[] { s, p, v }).item<double>();
        Assert.True(Math.Abs(smooth - official) <= 1e-12, $"Smooth {smooth:R}, official-code RS@k {official:R}");
        Assert.True(paper - official > 0.01, $"the conventions must differ visibly here: paper {paper:R}, code {official:R}");
    }

    [Fact]
    public void The_released_codes_k_temperatures_tau1_equal_to_k_are_expressible()
    {
        // The code released with the paper ran with τ1 = k for each k (docs/surrogates.md §3.3). A vector temperature is not
        // a temperature the language accepts, but σ((k − r̃)/k) is the relaxation of rank / k <= 1 with τ = 1.
        const string text = """
            metric RecallAtKTauK(sim: real[q, i], pos: bool[q, i], valid: bool[q, i],
                                 k: int[m] = [1, 2, 4, 8, 16], tau_rank: real = 0.01, tau_k: real = 1) {
                rank[q, i]   = 1 + sum[j != i](valid[q, j] & ((sim[q, j] > sim[q, i]) @ tau_rank));
                hits[q, m]   = sum[i](pos[q, i] & ((rank[q, i] / k[m] <= 1) @ tau_k));
                recall[q, m] = min(hits[q, m], k[m]) / min(k[m], sum[i](pos[q, i]));
                maximize mean[q, m](recall[q, m]);
            }
            """;
        var compilation = MetricLoss.Dsl.MetricCompiler.Compile(text, "Tests");
        Assert.False(compilation.HasErrors, string.Join("; ", compilation.Diagnostics));
        var variant = compilation.Metrics.Single();
        var (sim, cls) = Batch(51);
        var n = cls.Length;
        var arrays = new Dictionary<string, DenseArray>
        {
            ["sim"] = new(Enumerable.Range(0, n * n).Select(e => sim[e / n, e % n]).ToArray(), n, n),
            ["pos"] = new(Enumerable.Range(0, n * n).Select(e => e / n != e % n && cls[e / n] == cls[e % n] ? 1.0 : 0.0).ToArray(), n, n),
            ["valid"] = new(Enumerable.Range(0, n * n).Select(e => e / n != e % n ? 1.0 : 0.0).ToArray(), n, n),
        };
        var expected = RsAtK(sim, cls, 0.01, k => k, queryInList: false);
        Assert.Equal(expected, ReferenceInterpreter.Smooth(variant, arrays), 12);
        // Its exact value is RecallAtK's.
        Assert.Equal(RankingMetric.Get("RecallAtK").InterpreterExact(arrays), ReferenceInterpreter.Exact(variant, arrays), 12);
        Assert.True(Math.Abs(expected - RsAtK(sim, cls, 0.01, 1, queryInList: false)) > 1e-3);
    }

    /// <summary>
    /// Smooth-AP of one query, docs/surrogates.md §4.1: AP_q = (1/|S_P|) Σ_{i ∈ S_P} R(i, S_P) / R(i, S_P ∪ S_N), with
    /// R(i, S) = 1 + Σ_{j ∈ S, j ≠ i} σ((s_j − s_i)/τ), over the retrieval list <paramref name="score"/>.
    /// </summary>
    private static double SmoothAp(double[] score, bool[] positive, double tau)
    {
        var sp = Enumerable.Range(0, score.Length).Where(i => positive[i]).ToArray();
        var all = Enumerable.Range(0, score.Length).ToArray();
        double R(int i, int[] set) => 1 + set.Where(j => j != i).Sum(j => Sigmoid((score[j] - score[i]) / tau));
        return sp.Sum(i => R(i, sp) / R(i, all)) / sp.Length;
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void AveragePrecision_smooth_is_Smooth_AP(int seed)
    {
        var (sim, cls) = Batch(seed);
        var n = cls.Length;
        var metric = RankingMetric.Get("AveragePrecision");
        var meanAp = RankingMetric.Get("MeanAveragePrecision");
        using var scope = torch.NewDisposeScope();
        var lossSum = 0.0;
        var rows = new List<double>();
        var labels = new List<bool>();
        for (var q = 0; q < n; q++)
        {
            // The paper's list: the batch without the query (S_P ∪ S_N).
            var items = Enumerable.Range(0, n).Where(x => x != q).ToArray();
            var score = items.Select(x => sim[q, x]).ToArray();
            var positive = items.Select(x => cls[x] == cls[q]).ToArray();
            var expected = SmoothAp(score, positive, 0.01);
            lossSum += 1 - expected;
            rows.AddRange(score);
            labels.AddRange(positive);
            foreach (var dtype in new[] { ScalarType.Float64, ScalarType.Float32 })
            {
                var smooth = metric.Smooth(new[] { tensor(score, ScalarType.Float64).to_type(dtype), tensor(positive) })
                    .to_type(ScalarType.Float64).item<double>();
                var tolerance = dtype == ScalarType.Float64 ? 1e-12 : 1e-5;
                Assert.True(Math.Abs(smooth - expected) <= tolerance, $"query {q}, {dtype}: Smooth {smooth:R}, Smooth-AP {expected:R}");
            }
        }
        // The batch loss L = (1/N) Σ_q (1 − AP_q) is MeanAveragePrecision's Loss on the N × (N − 1) list matrix.
        var batchLoss = meanAp.Loss(new[] { tensor(rows.ToArray()).reshape(n, n - 1), tensor(labels.ToArray()).reshape(n, n - 1) }).item<double>();
        Assert.True(Math.Abs(batchLoss - lossSum / n) <= 1e-12, $"MeanAveragePrecision Loss {batchLoss:R}, Smooth-AP L {lossSum / n:R}");
    }

    [Fact]
    public void AveragePrecision_with_the_query_as_a_positive_reproduces_the_official_Smooth_AP_code()
    {
        // The official code ranks the whole batch for each query, query included (s(q, q) = 1, a positive),
        // masks only j = i and averages over the whole class block (docs/surrogates.md §4.2). That is AveragePrecision
        // on the full row with the query labelled positive.
        var (sim, cls) = Batch(41);
        var n = cls.Length;
        var metric = RankingMetric.Get("AveragePrecision");
        using var scope = torch.NewDisposeScope();
        var differs = false;
        for (var q = 0; q < n; q++)
        {
            var score = Enumerable.Range(0, n).Select(x => sim[q, x]).ToArray();
            var block = Enumerable.Range(0, n).Select(x => cls[x] == cls[q]).ToArray();
            var official = SmoothAp(score, block, 0.01);
            var smooth = metric.Smooth(new[] { tensor(score), tensor(block) }).item<double>();
            Assert.True(Math.Abs(smooth - official) <= 1e-12, $"query {q}: Smooth {smooth:R}, official Smooth-AP {official:R}");
            var paper = SmoothAp(score.Where((_, x) => x != q).ToArray(), block.Where((_, x) => x != q).ToArray(), 0.01);
            differs |= Math.Abs(official - paper) > 1e-3;
        }
        Assert.True(differs, "the query-in-list convention should change the value");
    }

    [Fact]
    public void Smooth_AP_relaxes_both_ranks_with_the_same_sigmoid_as_the_normative_definition()
    {
        // Hand-checked three-item list: positives a, b and a negative c; s = (0.30, 0.10, 0.20), τ = 0.1.
        double[] score = { 0.30, 0.10, 0.20 };
        bool[] positive = { true, true, false };
        var ra = 1 + Sigmoid(-2) + Sigmoid(-1);         // R(a, all): b and c below a
        var rb = 1 + Sigmoid(2) + Sigmoid(1);           // R(b, all)
        var rapos = 1 + Sigmoid(-2);                    // R(a, S_P)
        var rbpos = 1 + Sigmoid(2);                     // R(b, S_P)
        var expected = (rapos / ra + rbpos / rb) / 2;
        Assert.Equal(expected, SmoothAp(score, positive, 0.1), 14);
        var metric = RankingMetric.Get("AveragePrecision");
        using var scope = torch.NewDisposeScope();
        var options = metric.Options(new Dictionary<string, double[]> { ["tau"] = new[] { 0.1 } });
        Assert.Equal(expected, metric.Smooth(new[] { tensor(score), tensor(positive) }, options).item<double>(), 14);
        Assert.Equal(expected, metric.InterpreterSmooth(
            new Dictionary<string, DenseArray> { ["score"] = DenseArray.Vector(score), ["label"] = DenseArray.Bools(positive) },
            new Dictionary<string, double[]> { ["tau"] = new[] { 0.1 } }), 14);
    }
}
