using MetricLoss.Baselines;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Baselines;

/// <summary>
/// The binary-classification and proxy baselines (focal loss, AUC-M square loss, normalised softmax): values
/// against the papers' formulas evaluated in double precision, gradients against float64 central differences
/// and against hand-derived closed forms.
/// </summary>
public sealed class ClassificationBaselineTests
{
    private static (double[] Z, double[] Y) Batch(int seed, int n)
    {
        var random = new Random(seed);
        var z = Enumerable.Range(0, n).Select(_ => 4 * random.NextDouble() - 2).ToArray();
        var y = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 1.0 : 0.0).ToArray();
        return (z, y);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    // Lin et al., ICCV 2017, eq. 5: FL = −α_t (1 − p_t)^γ log p_t, averaged over the batch.
    private static double FocalReference(double[] z, double[] y, double gamma, double alpha) =>
        z.Select((zi, i) =>
        {
            double p = Sigmoid(zi), pt = y[i] == 1 ? p : 1 - p, at = y[i] == 1 ? alpha : 1 - alpha;
            return -at * Math.Pow(1 - pt, gamma) * Math.Log(pt);
        }).Average();

    [Theory]
    [InlineData(2.0, 0.25)]
    [InlineData(0.0, 0.5)]
    [InlineData(1.0, 0.9)]
    public void Focal_value_and_gradient_match_the_paper(double gamma, double alpha)
    {
        var (z, y) = Batch(31, 9);
        var options = new Focal.Options { Gamma = gamma, Alpha = alpha };
        using var scope = NewDisposeScope();
        var labels = tensor(y);
        Assert.Equal(FocalReference(z, y, gamma, alpha), Tensors.Value(Focal.Loss(tensor(z), labels, options)), 12);
        var result = GradientCheck.Compute(x => Focal.Loss(x, labels, options), z);
        GradientCheck.AssertClose(result, context: $"γ {gamma}, α {alpha}");
    }

    [Fact]
    public void Focal_with_gamma_0_and_alpha_one_half_is_half_the_cross_entropy()
    {
        // Hand-derived: d/dz of ½·BCE(σ(z), y) averaged over N is ½(σ(z) − y)/N.
        var (z, y) = Batch(32, 7);
        using var scope = NewDisposeScope();
        var result = GradientCheck.Compute(x => Focal.Loss(x, tensor(y), new Focal.Options { Gamma = 0, Alpha = 0.5 }), z);
        var expected = z.Select((zi, i) => 0.5 * (Sigmoid(zi) - y[i]) / z.Length).ToArray();
        for (int i = 0; i < z.Length; i++) Assert.Equal(expected[i], result.Analytic[i], 12);
    }

    [Fact]
    public void Focal_is_finite_at_extreme_logits_in_float32()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new float[] { -200, 200, -200, 200 }).requires_grad_();
        var value = Focal.Loss(z, tensor(new float[] { 1, 1, 0, 0 }));
        var gradient = torch.autograd.grad(new[] { value }, new[] { z })[0];
        Assert.True(double.IsFinite(Tensors.Value(value)));
        Assert.All(Tensors.Values(gradient), g => Assert.True(double.IsFinite(g)));
    }

    // Yuan et al., ICCV 2021, per-example AUC-M objective, averaged over the batch.
    private static double AucMReference(double[] h, double[] y, double a, double b, double alpha, double p, double m) =>
        h.Select((hi, i) =>
        {
            double pos = y[i], neg = 1 - y[i], q = 1 - p;
            return q * (hi - a) * (hi - a) * pos + p * (hi - b) * (hi - b) * neg
                   + 2 * alpha * (p * q * m + p * hi * neg - q * hi * pos) - p * q * alpha * alpha;
        }).Average();

    [Theory]
    [InlineData(0.3, 0.7, 0.2, 0.25, 1.0)]
    [InlineData(0.0, 0.0, 0.0, 0.1, 0.5)]
    [InlineData(0.9, 0.1, 1.5, 0.5, 1.0)]
    public void AucM_value_and_gradients_in_scores_a_b_alpha_match_the_paper(double a, double b, double alpha, double p, double m)
    {
        var (z, y) = Batch(33, 8);
        var h = z.Select(Sigmoid).ToArray();
        var options = new AucMSquare.Options { Margin = m };
        using var scope = NewDisposeScope();
        var labels = tensor(y);
        Assert.Equal(AucMReference(h, y, a, b, alpha, p, m),
            Tensors.Value(AucMSquare.Loss(tensor(h), labels, tensor(a), tensor(b), tensor(alpha), p, options)), 12);

        // One vector [h..., a, b, α], so the check covers all four inputs.
        var x = h.Concat([a, b, alpha]).ToArray();
        int n = h.Length;
        var result = GradientCheck.Compute(v => AucMSquare.Loss(v.narrow(0, 0, n), labels, v[n], v[n + 1], v[n + 2], p, options), x);
        Assert.True(result.MaxAbsAnalytic > 1e-6);
        GradientCheck.AssertClose(result, context: $"a {a}, b {b}, α {alpha}, p {p}, m {m}");

        // Hand-derived: ∂/∂a = −2(1 − p)·mean((h − a)[y = 1]), ∂/∂α = 2·mean(p(1 − p)m + p·h[y = 0] − (1 − p)·h[y = 1]) − 2p(1 − p)α.
        double q = 1 - p;
        double da = h.Select((hi, i) => -2 * q * (hi - a) * y[i]).Average();
        double dAlpha = h.Select((hi, i) => 2 * (p * q * m + p * hi * (1 - y[i]) - q * hi * y[i])).Average() - 2 * p * q * alpha;
        Assert.Equal(da, result.Analytic[n], 12);
        Assert.Equal(dAlpha, result.Analytic[n + 2], 12);
    }

    [Fact]
    public void AucM_alpha_ascends_and_stays_non_negative()
    {
        using var variables = new AucMSquare.Variables();
        using var scope = NewDisposeScope();
        // Positives scored below negatives: the margin is violated, ∂L/∂α > 0, so α grows.
        var h = tensor(new float[] { 0.2f, 0.8f, 0.7f });
        var y = tensor(new float[] { 1, 0, 0 });
        AucMSquare.Loss(h, y, variables.A, variables.B, variables.Alpha, 1.0 / 3).backward();
        variables.AscendAlpha(0.1);
        Assert.True(Tensors.Value(variables.Alpha) > 0);
        Assert.Equal(0.0, Tensors.Value(variables.Alpha.grad!));

        // Positives far above negatives with a small margin: ∂L/∂α < 0 at α = 0, and the projection keeps α at 0.
        using var fresh = new AucMSquare.Variables();
        var separated = tensor(new float[] { 1f, 0f, 0f });
        AucMSquare.Loss(separated, y, fresh.A, fresh.B, fresh.Alpha, 1.0 / 3, new AucMSquare.Options { Margin = 0.1 }).backward();
        fresh.AscendAlpha(10);
        Assert.Equal(0.0, Tensors.Value(fresh.Alpha));
    }

    // Zhai & Wu, BMVC 2019, eq. 2: cross-entropy on cos(e_i, w_c)/T.
    private static double NormalisedSoftmaxReference(double[][] e, double[][] w, int[] y, double t)
    {
        static double[] Unit(double[] v) { var norm = Math.Sqrt(v.Sum(x => x * x)); return v.Select(x => x / norm).ToArray(); }
        return e.Select((ei, i) =>
        {
            var u = Unit(ei);
            var logits = w.Select(wc => Unit(wc).Zip(u, (a, b) => a * b).Sum() / t).ToArray();
            var max = logits.Max();
            return -(logits[y[i]] - max - Math.Log(logits.Sum(l => Math.Exp(l - max))));
        }).Average();
    }

    [Theory]
    [InlineData(0.05)]
    [InlineData(1.0)]
    public void NormalisedSoftmax_value_and_gradients_match_the_paper(double temperature)
    {
        var random = new Random(34);
        double[][] Draw(int rows) => Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, 4).Select(_ => random.NextDouble() - 0.5).ToArray()).ToArray();
        var e = Draw(6);
        var w = Draw(3);
        int[] y = [0, 1, 2, 0, 1, 2];
        var options = new NormalisedSoftmax.Options { Temperature = temperature };
        using var scope = NewDisposeScope();
        var labels = tensor(y.Select(l => (long)l).ToArray());
        var eFlat = e.SelectMany(r => r).ToArray();
        var wFlat = w.SelectMany(r => r).ToArray();
        Assert.Equal(NormalisedSoftmaxReference(e, w, y, temperature),
            Tensors.Value(NormalisedSoftmax.Loss(tensor(eFlat).reshape(6, 4), tensor(wFlat).reshape(3, 4), labels, options)), 10);

        var x = eFlat.Concat(wFlat).ToArray();
        var result = GradientCheck.Compute(v => NormalisedSoftmax.Loss(v.narrow(0, 0, 24).reshape(6, 4), v.narrow(0, 24, 12).reshape(3, 4), labels, options), x);
        Assert.True(result.MaxAbsAnalytic > 1e-6);
        GradientCheck.AssertClose(result, rtol: temperature < 0.1 ? 1e-3 : 1e-4, context: $"T {temperature}");
    }

    [Fact]
    public void Bad_inputs_and_options_are_named()
    {
        using var scope = NewDisposeScope();
        var z = tensor(new float[] { 0.1f, 0.2f });
        Assert.Contains("'labels'", Assert.Throws<ArgumentException>(() => Focal.Loss(z, tensor(new float[] { 1 }))).Message);
        Assert.Contains("Gamma", Assert.Throws<ArgumentException>(() => Focal.Loss(z, z, new Focal.Options { Gamma = -1 })).Message);
        Assert.Contains("positive rate", Assert.Throws<ArgumentException>(() => AucMSquare.Loss(z, z, z[0], z[0], z[0], 0)).Message);
        Assert.Contains("'proxies'", Assert.Throws<ArgumentException>(() =>
            NormalisedSoftmax.Loss(zeros(2, 3), zeros(2, 4), tensor(new long[] { 0, 1 }))).Message);
    }
}
