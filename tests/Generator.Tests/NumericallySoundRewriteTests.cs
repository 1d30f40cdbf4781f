using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// The lowering's rewrites are numerically sound (docs/architecture.md, "Numerically sound rewrites"): definitions
/// written to give each rewrite a term that is identically 0 on a one-class batch (a negation distributed over a sum,
/// a separable pairwise sum, a shared count, a per-class count), divided by a vanishing count, score-dependent or
/// constant. In float32 the generated surrogate's value and gradient equal the float64 ones, and those equal the
/// reference interpreter's literal evaluation (its gradient by central differences).
/// </summary>
public class NumericallySoundRewriteTests
{
    public static TheoryData<string, string> Definitions => new()
    {
        {
            // Balanced accuracy on the confusion matrix: its TNR divides by TN + FP, which depends on the scores and
            // vanishes on a batch without negatives. TN and FP must be 0 there with a zero gradient, not two score
            // sums whose ±1/ε gradients swallow TPR's.
            "ScoreDenominators", """
            metric ScoreDenominators(score: real[n], label: bool[n], tau: real = 1) {
                pred[n] = score[n] > 0;
                tp = sum[n](pred[n] & label[n]);
                tn = sum[n](!pred[n] & !label[n]);
                fp = sum[n](pred[n] & !label[n]);
                fn = sum[n](!pred[n] & label[n]);
                maximize (tp / (tp + fn) + tn / (tn + fp)) / 2;
            }
            """
        },
        {
            // A numerator that does not vanish with its class, over a count of that class: 0 where the class is absent.
            "ConstantDenominators", """
            metric ConstantDenominators(score: real[n], label: bool[n], tau: real = 1) {
                predicted = sum[n](score[n] > 0);
                maximize predicted / sum[n](!label[n]) / 4 + sum[n](label[n] & (score[n] > 0)) / sum[n](label[n]);
            }
            """
        },
        {
            // Separable pairwise sums with negations on either side, over a pair count that vanishes with a class.
            "SeparablePairs", """
            metric SeparablePairs(score: real[n], label: bool[n], tau: real = 1) {
                wins = sum[i, j](label[i] & !label[j] & (score[i] > 0) & !(score[j] > 0));
                pairs = sum[i, j](label[i] & !label[j]);
                maximize wins / pairs + sum[i, j](!(score[i] > 0) & label[j]) / (1 + sum[n](label[n]) * sum[n](label[n]));
            }
            """
        },
        {
            // Per-class rates over [n, c]: a column of one class divides its empty count by zero.
            "PerClassRates", """
            metric PerClassRates(score: real[n, c], label: bool[n, c], tau: real = 1) {
                pred[n, c] = score[n, c] > 0;
                tn[c] = sum[n](!pred[n, c] & !label[n, c]);
                fp[c] = sum[n](pred[n, c] & !label[n, c]);
                tp[c] = sum[n](pred[n, c] & label[n, c]);
                maximize mean[c](tn[c] / (tn[c] + fp[c]) + tp[c] / sum[n](label[n, c]) + tn[c] / sum[n](!label[n, c]));
            }
            """
        },
    };

    /// <summary>Scores within a few τ of the threshold (exact in float32): every item has a gradient.</summary>
    private static readonly double[] Scores = { 0.5, -1, 2, -0.25, 1.25, -1.5, 0.75, -0.5 };

    [Theory]
    [MemberData(nameof(Definitions))]
    public void Float32_value_and_gradient_equal_float64_and_the_interpreter_on_one_class_batches(string name, string text)
    {
        var metric = CompiledMetric.Compile(text, name);
        var matrix = metric.Bound.Inputs[0].Axes.Count == 2;
        foreach (var (batch, labels) in Batches(matrix))
        {
            var context = $"{name}, {batch}";
            var shape = matrix ? new[] { 4, 2 } : new[] { labels.Length };
            var scores = Scores.Take(labels.Length).ToArray();
            var arrays = new Dictionary<string, DenseArray>
            {
                ["score"] = new(scores, shape),
                ["label"] = new(labels.Select(l => l ? 1.0 : 0.0).ToArray(), shape),
            };
            var (value32, gradient32) = SmoothAndGradient(metric, scores, labels, shape, float32);
            var (value64, gradient64) = SmoothAndGradient(metric, scores, labels, shape, float64);

            Assert.Equal(ReferenceInterpreter.Smooth(metric.Bound, arrays), value64, 12);
            var numeric = CentralDifferences(metric, arrays, scores, shape);
            AssertClose(gradient64, numeric, 1e-6, $"{context}: float64 against the interpreter");
            Assert.True(Math.Abs(value32 - value64) <= 1e-6, $"{context}: float32 value {value32:R}, float64 {value64:R}");
            // 1e-4 relative; the floor is float32 round-off in elements that are truly 0 (a few terms of at most
            // σ′/τ = ¼ rounded at 6e-8 each), far below the errors a cancelled gradient leaves (its whole size, ≳ 0.01 here).
            AssertClose(gradient32, gradient64, 1e-4, $"{context}: float32 against float64", floor: 1e-6);
        }
    }

    /// <summary>The audit's case, written as in the catalogue: ∂Loss/∂sᵢ = −σ′(sᵢ)/3 on three positives.</summary>
    [Fact]
    public void Balanced_accuracy_of_positives_only_has_the_gradient_of_its_true_positive_rate()
    {
        var metric = CompiledMetric.Compile("""
            metric BalancedAccuracy(score: real[n], label: bool[n], threshold: real = 0, tau: real = 1) {
                pred[n] = score[n] > threshold;
                pos = sum[n](label[n]);
                neg = sum[n](!label[n]);
                tp = sum[n](pred[n] & label[n]);
                tn = sum[n](!pred[n] & !label[n]);
                maximize (tp / pos + tn / neg) / ((pos > 0) + (neg > 0));
            }
            """, "BalancedAccuracy");
        var scores = new[] { 0.5, -1, 2 };

        var (value, gradient) = SmoothAndGradient(metric, scores, new[] { true, true, true }, new[] { 3 }, float32);

        Assert.Equal(scores.Average(Sigmoid), value, 6);
        for (var i = 0; i < scores.Length; i++)
        {
            var expected = Sigmoid(scores[i]) * (1 - Sigmoid(scores[i])) / 3; // ∂Smooth/∂sᵢ; ∂Loss/∂sᵢ is its negation
            Assert.True(Math.Abs(gradient[i] - expected) <= 1e-6 * expected, $"[{i}]: {gradient[i]:R}, expected {expected:R}");
        }
    }

    /// <summary>
    /// A denominator that is a number (an option) and 0: the quotient is 0, and the loss stays connected to the scores
    /// (a zero gradient), so that backward works as for any other batch.
    /// </summary>
    [Fact]
    public void A_constant_zero_divisor_is_refused_before_any_program_runs()
    {
        // A number denominator of 0 would reach DivideByConstant(a, 0d); the binder refuses it first (MTR0122),
        // and Options refuses an option value that makes it 0 (DerivedOptionChecks), so no program divides by it.
        var refused = Assert.Throws<InvalidOperationException>(() => CompiledMetric.Compile("""
            metric PerK(score: real[n], label: bool[n], k: real = 0, tau: real = 1) {
                maximize sum[n](label[n] & (score[n] > 0)) / k;
            }
            """, "PerK"));
        Assert.Contains("MTR0122", refused.Message);
    }

    private static IEnumerable<(string Name, bool[] Labels)> Batches(bool matrix)
    {
        if (matrix)
        {
            // [4, 2]: column 0 all positive, column 1 all negative; then every label true, then every label false.
            yield return ("one class per column", new[] { true, false, true, false, true, false, true, false });
            yield return ("all positive", Enumerable.Repeat(true, 8).ToArray());
            yield return ("all negative", Enumerable.Repeat(false, 8).ToArray());
            yield break;
        }
        yield return ("all positive", Enumerable.Repeat(true, 8).ToArray());
        yield return ("all negative", Enumerable.Repeat(false, 8).ToArray());
        yield return ("one positive item", new[] { true });
        yield return ("one negative item", new[] { false });
        yield return ("both classes", new[] { true, false, false, true, true, false, true, true });
    }

    private static (double Value, double[] Gradient) SmoothAndGradient(CompiledMetric metric, double[] scores, bool[] labels, int[] shape, ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var longShape = shape.Select(s => (long)s).ToArray();
        var score = tensor(scores, dtype: float64).reshape(longShape).to_type(dtype).requires_grad_(true);
        var label = tensor(labels).reshape(longShape);
        var smooth = metric.Smooth(new[] { score, label });
        Assert.Equal(dtype, smooth.dtype);
        var gradient = torch.autograd.grad(new[] { smooth }, new[] { score })[0];
        return (smooth.to_type(float64).item<double>(), gradient.to_type(float64).reshape(-1).data<double>().ToArray());
    }

    private static double[] CentralDifferences(CompiledMetric metric, Dictionary<string, DenseArray> arrays, double[] scores, int[] shape)
    {
        const double h = 1e-6;
        var result = new double[scores.Length];
        for (var i = 0; i < scores.Length; i++)
        {
            double At(double delta)
            {
                var shifted = (double[])scores.Clone();
                shifted[i] += delta;
                return ReferenceInterpreter.Smooth(metric.Bound, new Dictionary<string, DenseArray>(arrays) { ["score"] = new(shifted, shape) });
            }
            result[i] = (At(h) - At(-h)) / (2 * h);
        }
        return result;
    }

    private static void AssertClose(double[] actual, double[] expected, double relative, string context, double floor = 1e-8)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= relative * Math.Abs(expected[i]) + floor,
                $"{context}: [{i}] {actual[i]:R}, expected {expected[i]:R} (all [{string.Join(", ", actual.Select(a => a.ToString("G6")))}] against [{string.Join(", ", expected.Select(e => e.ToString("G6")))}])");
        }
    }

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
