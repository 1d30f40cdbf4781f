using MetricLoss.Dsl.Interpretation;
using MetricLoss.Runtime.Tests.Infrastructure;
using MetricLoss.Runtime.Tests.RankingCatalog;
using TorchSharp;
using static TorchSharp.torch;
using DslRelaxation = MetricLoss.Dsl.Interpretation.Relaxation;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// Batches of one class in float32: the surrogate's value and gradient are the float64 ones. The lowering's
/// rewrites (docs/architecture.md, "Numerically sound rewrites") must not turn a term that is identically zero on such
/// a batch (TN with no negatives) into a difference of score-dependent sums, whose gradients then cancel only in exact
/// arithmetic: behind a guarded division by a vanishing count the two halves are ±1/ε, and float32 loses everything
/// else. The float64 run of the same generated code is the reference, itself checked against the reference
/// interpreter (central differences of its literal, rewrite-free evaluation).
/// </summary>
public sealed class OneClassPrecisionTests
{
    private static readonly string[] Interpolated = InterpolatedCatalogTests.Names;

    public static TheoryData<string, OneClassKind, MetricLoss.Relaxation> Cases
    {
        get
        {
            var data = new TheoryData<string, OneClassKind, MetricLoss.Relaxation>();
            foreach (var name in CatalogDefinitions.Names.OrderBy(n => n, StringComparer.Ordinal))
            foreach (var kind in Enum.GetValues<OneClassKind>())
            foreach (var relaxation in Enum.GetValues<MetricLoss.Relaxation>())
            {
                data.Add(name, kind, relaxation);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Float32_value_and_gradient_equal_the_float64_reference(string name, OneClassKind kind, MetricLoss.Relaxation relaxation)
    {
        var metric = RankingMetric.Get(name); // any catalogue metric, called through reflection
        var arrays = OneClassBatches.Build(metric.Info, kind);
        var options = metric.Options(relaxation: relaxation);
        // UniLoss metrics draw anchors: the same seed draws the same anchors in both dtypes.
        if (Interpolated.Contains(name)) options = options with { Seed = 11 };
        var context = $"{name}, {kind}, {relaxation}";
        var tau = OneClassBatches.Scale(metric.Info);
        var floor = GradientFloor(tau);

        var (value64, gradient64) = LossAndGradient(metric, arrays, ScalarType.Float64, options);
        var (value32, gradient32) = LossAndGradient(metric, arrays, ScalarType.Float32, options);

        if (!Interpolated.Contains(name))
        {
            // The reference is right: the interpreter's literal float64 evaluation, differentiated numerically.
            var definition = CatalogDefinitions.Get(name);
            var settings = new InterpreterSettings(Enum.Parse<DslRelaxation>(relaxation.ToString()));
            var scoreName = OneClassBatches.ScoreInput(metric.Info);
            Assert.True(Math.Abs(value64 - ReferenceInterpreter.Loss(definition, arrays, null, settings)) <= 1e-10, $"{context}: float64 value {value64:R}");
            var numeric = CentralDifferences(x => ReferenceInterpreter.Loss(definition, With(arrays, scoreName, x), null, settings), arrays[scoreName].Data, 1e-4 * tau);
            AssertClose(gradient64, numeric, relative: 1e-5, floor, $"{context}: float64 gradient against the interpreter's central differences");
        }
        // Values: 1e-4 relative, and 1e-6 absolute for a loss near 0 (float32 rounds a loss of order 1 at about 1e-7).
        Assert.True(Math.Abs(value32 - value64) <= 1e-4 * Math.Abs(value64) + 1e-6, $"{context}: float32 value {value32:R}, float64 {value64:R}");
        AssertClose(gradient32, gradient64, relative: 1e-4, floor, $"{context}: float32 gradient against float64");
    }

    /// <summary>
    /// The audit's case, as stated: <c>BalancedAccuracy.Loss([0.5, −1, 2], [true, true, true])</c> in float32. The catalogue's
    /// balanced accuracy is scikit-learn's, the mean recall over the classes present: with no negatives, TNR's count
    /// Σ(1 − y) is 0, so its quotient is 0 (value and gradient) and the divisor (pos &gt; 0) + (neg &gt; 0) is 1. The metric is
    /// TPR = Σσ(sᵢ)/3: Loss = 1 − mean σ(sᵢ) and ∂Loss/∂sᵢ = −σ′(sᵢ)/3 (not /(2·3): the absent class is not averaged in).
    /// The gradient was exactly 0.
    /// </summary>
    [Fact]
    public void Balanced_accuracy_of_three_positives_has_the_gradient_of_its_true_positive_rate()
    {
        var scores = new[] { 0.5, -1, 2 };
        using var scope = torch.NewDisposeScope();
        var score = Tensors.Scores(scores, ScalarType.Float32, requiresGrad: true);

        var loss = MetricLoss.Catalog.BalancedAccuracy.Loss(score, Tensors.Labels(new[] { true, true, true }));
        loss.backward();

        Assert.Equal(ScalarType.Float32, loss.dtype);
        Assert.Equal(1 - scores.Average(Sigmoid), Tensors.Value(loss), 1e-6);
        AssertClose(Tensors.Values(score.grad!), scores.Select(s => -Sigmoid(s) * (1 - Sigmoid(s)) / 3).ToArray(), relative: 1e-5, floor: 0,
            "∂BalancedAccuracy.Loss/∂s on three positives");
    }

    /// <summary>The same for the AnyLoss form: ŷ = σ(73(p − ½)), ∂Loss/∂pᵢ = −73·σ′(73(pᵢ − ½))/3.</summary>
    [Fact]
    public void Balanced_accuracy_AnyLoss_of_three_positives_has_the_gradient_of_its_true_positive_rate()
    {
        var probabilities = new[] { 0.5, 0.49, 0.52 }.Select(p => (double)(float)p).ToArray();
        using var scope = torch.NewDisposeScope();
        var prob = Tensors.Scores(probabilities, ScalarType.Float32, requiresGrad: true);

        var loss = MetricLoss.Catalog.BalancedAccuracyAnyLoss.Loss(prob, Tensors.Labels(new[] { true, true, true }));
        loss.backward();

        Assert.Equal(1 - probabilities.Average(p => Sigmoid(73 * (p - 0.5))), Tensors.Value(loss), 1e-6);
        AssertClose(Tensors.Values(prob.grad!), probabilities.Select(p => -73 * Sigmoid(73 * (p - 0.5)) * (1 - Sigmoid(73 * (p - 0.5))) / 3).ToArray(),
            relative: 1e-5, floor: 0, "∂BalancedAccuracyAnyLoss.Loss/∂p on three positives");
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static (double Value, double[] Gradient) LossAndGradient(RankingMetric metric, Dictionary<string, DenseArray> arrays, ScalarType dtype, MetricOptions options)
    {
        using var scope = torch.NewDisposeScope();
        var inputs = metric.Tensors(arrays, dtype, requiresGrad: true);
        var score = inputs[metric.Info.Inputs.ToList().FindIndex(i => i.IsDifferentiable)];
        var loss = metric.Loss(inputs, options);
        Assert.Equal(dtype, loss.dtype);
        var gradient = torch.autograd.grad(new[] { loss }, new[] { score })[0];
        return (Tensors.Value(loss), Tensors.Values(gradient));
    }

    /// <summary>
    /// The absolute part of the gradient tolerance, for elements whose true value is 0 or nearly (a flat metric: AP on
    /// an all-positive batch is 1 whatever the scores). Float32 then returns the round-off of the terms that cancelled:
    /// each is a count's weight in the metric (at most about 1 here) times the relaxation's slope, at most 1/(4τ) (σ′ ≤ ¼);
    /// a gradient element sums at most a few dozen of them (one per pair partner), each rounded at u = 2⁻²⁴ ≈ 6e-8, so
    /// the residue stays below 16·u/(4τ) ≈ 1e-6/(4τ) (measured: at most 2e-8/(4τ)). The cancellations this test is about
    /// leave errors of the order of the gradient itself (σ′/3 ≈ 0.07/τ for balanced accuracy), far above it.
    /// </summary>
    private static double GradientFloor(double tau) => 1e-6 / (4 * tau);

    private static void AssertClose(double[] actual, double[] expected, double relative, double floor, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(double.IsFinite(actual[i]), $"{context}: [{i}] is {actual[i]}");
            Assert.True(Math.Abs(actual[i] - expected[i]) <= relative * Math.Abs(expected[i]) + floor,
                $"{context}: [{i}] {actual[i]:R}, expected {expected[i]:R} (all: [{string.Join(", ", actual.Select(a => a.ToString("G6")))}] against [{string.Join(", ", expected.Select(a => a.ToString("G6")))}])");
        }
    }

    /// <summary>(f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, in float64.</summary>
    private static double[] CentralDifferences(Func<double[], double> f, double[] x, double h)
    {
        var result = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[i] += h;
            minus[i] -= h;
            result[i] = (f(plus) - f(minus)) / (2 * h);
        }
        return result;
    }

    private static Dictionary<string, DenseArray> With(Dictionary<string, DenseArray> arrays, string name, double[] data) =>
        new(arrays, StringComparer.Ordinal) { [name] = new DenseArray(data, arrays[name].Shape) };
}
