using MetricLoss.Dsl.Interpretation;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>
/// Gradients of the smooth programs with respect to the scores on degenerate inputs: a query with no positives,
/// all scores tied, N = 1, k larger than N. They are always finite (never NaN); they are non-zero wherever the
/// metric depends on the scores, and exactly zero where it cannot (a single item has rank 1 whatever its score;
/// a pairwise metric on one item has no pair; with k ≥ N every item is in the top k, so Precision@k and the hit
/// rate are flat).
/// </summary>
public sealed class DegenerateGradientTests
{
    public enum Expect
    {
        /// <summary>The metric depends on the scores here: some gradient element is non-zero.</summary>
        NonZero,

        /// <summary>The metric is constant in the scores here: the gradient is (numerically) zero.</summary>
        Flat,
    }

    private static DenseArray M(int rows, int columns, params double[] data) => new(data, rows, columns);

    private static DenseArray V(params double[] data) => new(data, data.Length);

    private static Dictionary<string, DenseArray> In(params (string Name, DenseArray Array)[] inputs) =>
        inputs.ToDictionary(p => p.Name, p => p.Array);

    private static readonly IReadOnlyList<(string Metric, string Case, Dictionary<string, DenseArray> Inputs, Dictionary<string, double[]> Options, Expect Expect)> Table = Build();

    private static List<(string, string, Dictionary<string, DenseArray>, Dictionary<string, double[]>, Expect)> Build()
    {
        var none = new Dictionary<string, double[]>();
        Dictionary<string, double[]> K(params double[] k) => new() { ["k"] = k };
        var list = new List<(string, string, Dictionary<string, DenseArray>, Dictionary<string, double[]>, Expect)>();
        foreach (var binary in new[] { "RocAuc", "AveragePrecision" })
        {
            list.Add((binary, "no positives", In(("score", V(0.3, -0.2, 0.8)), ("label", V(0, 0, 0))), none, Expect.Flat));
            list.Add((binary, "all tied", In(("score", V(0.5, 0.5, 0.5, 0.5)), ("label", V(1, 0, 1, 0))), none, Expect.NonZero));
            list.Add((binary, "N = 1", In(("score", V(0.7)), ("label", V(1))), none, Expect.Flat));
            list.Add((binary, "one positive", In(("score", V(0.2, 0.4, 0.1)), ("label", V(0, 1, 0))), none, Expect.NonZero));
        }

        foreach (var retrieval in new[] { "RecallAtK", "RetrievalRecallAtK" })
        {
            var sim = M(2, 5, 0.9, 0.1, 0.4, 0.3, 0.7, 0.2, 0.8, 0.5, 0.6, 0.1);
            var valid = M(2, 5, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1);
            list.Add((retrieval, "a query with no positives", In(("sim", sim), ("pos", M(2, 5, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0)), ("valid", valid)), none, Expect.NonZero));
            list.Add((retrieval, "no positives at all", In(("sim", sim), ("pos", M(2, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), ("valid", valid)), none, Expect.Flat));
            list.Add((retrieval, "all tied", In(("sim", M(2, 5, Enumerable.Repeat(0.5, 10).ToArray())), ("pos", M(2, 5, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0)), ("valid", valid)), none, Expect.NonZero));
            list.Add((retrieval, "N = 1", In(("sim", M(1, 1, 0.4)), ("pos", M(1, 1, 1)), ("valid", M(1, 1, 1))), none, Expect.Flat));
            var big = retrieval == "RecallAtK" ? K(50, 100) : K(50);
            list.Add((retrieval, "k larger than N", In(("sim", sim), ("pos", M(2, 5, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0)), ("valid", valid)), big, Expect.Flat));
        }
        // RS@k with its default K = {1, 2, 4, 8, 16} on 5 items: the k ≥ N terms are flat, k = 1, 2, 4 are not.
        list.Add(("RecallAtK", "some k larger than N (default K)", In(
            ("sim", M(1, 5, 0.1, 0.4, 0.3, 0.7, 0.2)), ("pos", M(1, 5, 1, 0, 1, 0, 0)), ("valid", M(1, 5, 1, 1, 1, 1, 1))), none, Expect.NonZero));

        foreach (var listwise in new[] { "MeanAveragePrecision", "PrecisionAtK", "MeanReciprocalRank" })
        {
            var score = M(2, 4, 0.3, 0.9, 0.1, 0.5, 0.2, 0.6, 0.4, 0.8);
            var k = listwise == "PrecisionAtK" ? K(2) : none;
            list.Add((listwise, "a query with no positives", In(("score", score), ("label", M(2, 4, 1, 0, 0, 0, 0, 0, 0, 0))), k, Expect.NonZero));
            list.Add((listwise, "no positives at all", In(("score", score), ("label", M(2, 4, 0, 0, 0, 0, 0, 0, 0, 0))), k, Expect.Flat));
            list.Add((listwise, "all tied", In(("score", M(2, 4, Enumerable.Repeat(0.0, 8).ToArray())), ("label", M(2, 4, 1, 0, 0, 1, 0, 1, 0, 0))), k, Expect.NonZero));
            list.Add((listwise, "N = 1", In(("score", M(1, 1, 0.4)), ("label", M(1, 1, 1))), listwise == "PrecisionAtK" ? K(1) : none, Expect.Flat));
            if (listwise == "PrecisionAtK")
            {
                list.Add((listwise, "k larger than N", In(("score", score), ("label", M(2, 4, 1, 0, 1, 0, 0, 1, 0, 0))), K(50), Expect.Flat));
            }
        }

        var ndcgScore = M(2, 4, 0.3, 0.9, 0.1, 0.5, 0.2, 0.6, 0.4, 0.8);
        list.Add(("NdcgAtK", "a query with no relevant item", In(("score", ndcgScore), ("gain", M(2, 4, 2, 0, 1, 0, 0, 0, 0, 0))), none, Expect.NonZero));
        list.Add(("NdcgAtK", "no relevant item at all", In(("score", ndcgScore), ("gain", M(2, 4, 0, 0, 0, 0, 0, 0, 0, 0))), none, Expect.Flat));
        list.Add(("NdcgAtK", "all tied", In(("score", M(1, 4, 0, 0, 0, 0)), ("gain", M(1, 4, 3, 0, 1, 0))), none, Expect.NonZero));
        list.Add(("NdcgAtK", "N = 1", In(("score", M(1, 1, 0.4)), ("gain", M(1, 1, 2))), none, Expect.Flat));
        // k ≥ N: the cut is flat but the discount 1/log2(1 + rank) still depends on the scores.
        list.Add(("NdcgAtK", "k larger than N", In(("score", ndcgScore), ("gain", M(2, 4, 2, 0, 1, 0, 0, 3, 0, 1))), K(50), Expect.NonZero));

        list.Add(("TopKAccuracy", "all tied", In(("logit", M(2, 3, 0, 0, 0, 0, 0, 0)), ("target", V(0, 2))), none, Expect.NonZero));
        list.Add(("TopKAccuracy", "N = 1", In(("logit", M(1, 3, 0.2, 0.9, -0.4)), ("target", V(1))), none, Expect.NonZero));
        list.Add(("TopKAccuracy", "one class", In(("logit", M(3, 1, 0.2, 0.9, -0.4)), ("target", V(0, 0, 0))), none, Expect.Flat));
        // k > C: σ((k − higher)/τ) with k − higher ≥ 3 at τ = 1: small but non-zero.
        list.Add(("TopKAccuracy", "k larger than C", In(("logit", M(2, 3, 0.2, 0.9, -0.4, 1, 0, 2)), ("target", V(0, 2))), K(5), Expect.NonZero));

        foreach (var f1 in new[] { "MacroF1MultiLabel", "MicroF1MultiLabel" })
        {
            // No positive label: tp = 0 exactly, so F1 = 0 / (fp + fn) is 0 whatever the scores.
            list.Add((f1, "no positives", In(("score", M(2, 2, 0.3, -0.2, 0.1, 0.4)), ("label", M(2, 2, 0, 0, 0, 0))), none, Expect.Flat));
            list.Add((f1, "a class with no positives", In(("score", M(2, 2, 0.3, -0.2, 0.1, 0.4)), ("label", M(2, 2, 1, 0, 0, 0))), none, Expect.NonZero));
            list.Add((f1, "all tied at the threshold", In(("score", M(2, 2, 0, 0, 0, 0)), ("label", M(2, 2, 1, 0, 0, 1))), none, Expect.NonZero));
            list.Add((f1, "N = 1", In(("score", M(1, 1, 0.4)), ("label", M(1, 1, 1))), none, Expect.NonZero));
        }
        foreach (var f1 in new[] { "MacroF1MultiClass", "MicroF1MultiClass" })
        {
            list.Add((f1, "all tied", In(("logit", M(2, 3, 0, 0, 0, 0, 0, 0)), ("label", M(2, 3, 1, 0, 0, 0, 0, 1))), none, Expect.NonZero));
            list.Add((f1, "N = 1", In(("logit", M(1, 3, 0.2, 0.9, -0.4)), ("label", M(1, 3, 0, 1, 0))), none, Expect.NonZero));
            list.Add((f1, "one class", In(("logit", M(2, 1, 0.2, 0.9)), ("label", M(2, 1, 1, 1))), none, Expect.Flat));
        }
        return list;
    }

    public static TheoryData<int, string, string> Rows
    {
        get
        {
            var data = new TheoryData<int, string, string>();
            for (var i = 0; i < Table.Count; i++)
            {
                data.Add(i, Table[i].Metric, Table[i].Case);
                data.Add(i, Table[i].Metric, Table[i].Case + " (float32)");
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Gradients_are_finite_and_non_zero_where_the_metric_depends_on_the_scores(int index, string metricName, string caseName)
    {
        var (name, _, arrays, options, expect) = Table[index];
        Assert.Equal(name, metricName);
        var dtype = caseName.EndsWith("(float32)", StringComparison.Ordinal) ? ScalarType.Float32 : ScalarType.Float64;
        var metric = RankingMetric.Get(name);
        using var scope = torch.NewDisposeScope();
        var inputs = metric.Tensors(arrays, dtype, requiresGrad: true);
        var score = inputs[0];
        var loss = metric.Loss(inputs, metric.Options(options));
        var lossValue = loss.to_type(ScalarType.Float64).item<double>();
        Assert.True(double.IsFinite(lossValue), $"{name}, {caseName}: loss is {lossValue}");
        loss.backward();
        Assert.NotNull(score.grad);
        var grad = score.grad!.to_type(ScalarType.Float64);
        Assert.True(grad.isfinite().all().item<bool>(), $"{name}, {caseName}: gradient has NaN/Inf: {string.Join(", ", grad.data<double>().ToArray())}");
        var magnitude = grad.abs().max().item<double>();
        if (expect == Expect.NonZero)
        {
            Assert.True(magnitude > 0, $"{name}, {caseName}: the gradient is zero where the metric depends on the scores");
        }
        else
        {
            Assert.True(magnitude <= 1e-12, $"{name}, {caseName}: expected a flat metric, largest gradient {magnitude:E3}");
        }

        // The smooth value also agrees with the reference interpreter on these inputs.
        var smooth = metric.Smooth(metric.Tensors(arrays), metric.Options(options)).item<double>();
        Assert.Equal(metric.InterpreterSmooth(arrays, options), smooth, 10);
    }
}
