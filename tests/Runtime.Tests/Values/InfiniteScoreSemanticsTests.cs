using MetricLoss.Catalog;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Runtime.Tests.Infrastructure;
using MetricLoss.Runtime.Tests.RankingCatalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Values;

/// <summary>
/// What an infinite score means (docs/language.md, "Infinite scores"): it is ordered like any other score, two equal
/// infinities are a tie (a difference of 0, relax(0) = ½), and an infinite score gets no gradient. Checked against
/// the reference interpreter, which applies the rule literally (<c>a == b ? 0 : a − b</c>), and against values worked
/// out by hand.
/// </summary>
public sealed class InfiniteScoreSemanticsTests
{
    private const double Inf = double.PositiveInfinity;

    public static TheoryData<string, Relaxation> NonInterpolated
    {
        get
        {
            var data = new TheoryData<string, Relaxation>();
            foreach (var name in CatalogDefinitions.Names.OrderBy(n => n, StringComparer.Ordinal))
            {
                if (CatalogDefinitions.Get(name).IsInterpolated) continue; // the interpreter evaluates those exactly only
                data.Add(name, Relaxation.Sigmoid);
                data.Add(name, Relaxation.Linear);
                data.Add(name, Relaxation.Smoothstep);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(NonInterpolated))]
    public void Smooth_and_exact_equal_the_reference_interpreter_with_infinite_scores(string name, Relaxation relaxation)
    {
        var metric = RankingMetric.Get(name);
        using var scope = NewDisposeScope();
        for (var seed = 0; seed < 3; seed++)
        {
            var arrays = CatalogInputs.Build(metric.Info, seed, infinities: true);
            var inputs = metric.Tensors(arrays);
            var smooth = Tensors.Value(metric.Smooth(inputs, metric.Options(relaxation: relaxation)));
            Assert.Equal(metric.InterpreterSmooth(arrays, relaxation: relaxation), smooth, 9);
            Assert.Equal(metric.InterpreterExact(arrays), metric.Exact(inputs), 9);
        }
    }

    [Fact]
    public void An_infinite_positive_ranks_above_every_negative_and_ties_an_infinite_negative()
    {
        // Pairs of the positive +∞ with the negatives 1, −∞ and +∞: two wins and a tie, 2.5 / 3 — in Exact (ties count
        // half, as scikit-learn's roc_auc_score) and in the surrogate at any temperature: σ(+∞) = 1, and ∞ − ∞ = 0
        // gives σ(0) = ½.
        using var scope = NewDisposeScope();
        var score = Tensors.Scores(new[] { Inf, 1, -Inf, Inf }, ScalarType.Float64, requiresGrad: true);
        var label = Tensors.Labels(new[] { true, false, false, false });
        Assert.Equal(2.5 / 3, RocAuc.Exact(score, label), 12);
        foreach (var tau in new[] { 0.05, 1, 100 })
        {
            var smooth = RocAuc.Smooth(score, label, new RocAuc.Options { Tau = tau });
            Assert.Equal(2.5 / 3, Tensors.Value(smooth), 12);
        }
        // Every pair is decided or infinite: no score can move the value, so the gradient is 0, not NaN.
        RocAuc.Loss(score, label).backward();
        Assert.Equal(new double[] { 0, 0, 0, 0 }, Tensors.Values(score.grad!));
    }

    [Fact]
    public void Average_precision_puts_an_infinite_positive_first()
    {
        // +∞ (positive) first, then 2 (negative), then 1 (positive): precisions 1 and 2/3. At τ = 0.01 every other pair
        // is decided by 100 temperatures, so the surrogate agrees with Exact to σ(−100).
        using var scope = NewDisposeScope();
        var score = Tensors.Scores(new[] { 1, Inf, 2 }, ScalarType.Float32, requiresGrad: true);
        var label = Tensors.Labels(new[] { true, true, false });
        var expected = (1 + 2.0 / 3) / 2;
        Assert.Equal(expected, AveragePrecision.Exact(score, label), 12);
        Assert.Equal(expected, Tensors.Value(AveragePrecision.Smooth(score, label)), 6);
        AveragePrecision.Loss(score, label).backward();
        var gradient = Tensors.Values(score.grad!);
        Assert.Equal(0, gradient[1]); // the infinite score
        Assert.All(gradient, g => Assert.True(double.IsFinite(g)));
    }

    [Fact]
    public void A_target_logit_tied_at_infinity_counts_one_half_above_it()
    {
        // Row 0: the target (+∞) ties another +∞ (½ above it) and beats 0. Row 1: the target −∞ has both others above.
        // Smooth top-1: σ((1 − higher)/τ) with higher = ½ and 2, at τ = 1.
        using var scope = NewDisposeScope();
        var logit = Tensors.Scores(new[] { Inf, Inf, 0, -Inf, 0, 1 }, ScalarType.Float64, requiresGrad: true).reshape(2, 3);
        var target = torch.tensor(new long[] { 0, 0 });
        var expected = (Sigmoid(0.5) + Sigmoid(-1)) / 2;
        Assert.Equal(expected, Tensors.Value(TopKAccuracy.Smooth(logit, target)), 12);
        Assert.Equal(0.5, TopKAccuracy.Exact(logit, target), 12); // ties do not count against the target
    }

    [Fact]
    public void The_interpreter_makes_equal_infinities_a_tie_and_lets_NaN_through()
    {
        // The rule itself, on the language's step(a − b): ½ at ∞ − ∞ in both programs; a NaN operand is not an order.
        var metric = MetricLoss.Dsl.MetricCompiler.Compile(
            "metric S(a: real[n], b: real[n], tau: real = 1) { maximize mean[n](step(a[n] - b[n])); }", null).Metrics.Single();
        var inputs = new Dictionary<string, DenseArray> { ["a"] = DenseArray.Vector(Inf, -Inf, Inf), ["b"] = DenseArray.Vector(Inf, -Inf, 0) };
        Assert.Equal((0.5 + 0.5 + 1) / 3, ReferenceInterpreter.Exact(metric, inputs), 12);
        Assert.Equal((0.5 + 0.5 + 1) / 3, ReferenceInterpreter.Smooth(metric, inputs), 12);
        var nan = new Dictionary<string, DenseArray> { ["a"] = DenseArray.Vector(double.NaN), ["b"] = DenseArray.Vector(0) };
        Assert.True(double.IsNaN(ReferenceInterpreter.Smooth(metric, nan)));
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
