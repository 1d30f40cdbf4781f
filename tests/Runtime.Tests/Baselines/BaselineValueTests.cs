using MetricLoss.Baselines;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static MetricLoss.Runtime.Tests.Baselines.BaselineReference;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Baselines;

/// <summary>
/// Values of the baseline losses: tiny examples computed by hand (2-D embeddings on the unit circle, so every
/// cosine is the cosine of an angle difference), then random batches against the float64 loops of
/// <see cref="BaselineReference"/>.
/// </summary>
public sealed class BaselineValueTests
{
    private static double Value(Tensor t) => Tensors.Value(t);

    // ---- Contrastive ------------------------------------------------------------------------------------

    [Fact]
    public void Contrastive_by_hand()
    {
        // A (0°) and B (90°) are class 0, C (180°) class 1. Row A is scaled by 3: the loss normalises it.
        // Positives (A,B), (B,A): D² = 2 − 2·cos 90° = 2, term ½·2 = 1 each → mean 1.
        // Negatives (A,C), (C,A): D = 2; (B,C), (C,B): D = √2. With m = 1.5 only D = √2 < m pushes:
        // ½·(1.5 − √2)² each, 2 of the 4 negative pairs → mean ¼·(1.5 − √2)².
        var x = OnCircle(0, 90, 180);
        x[0] = x[0].Select(v => 3 * v).ToArray();
        using var scope = NewDisposeScope();
        var loss = Contrastive.Loss(Embeddings(x), Labels([0, 0, 1]), new Contrastive.Options { Margin = 1.5 });
        var expected = 1 + 0.25 * Math.Pow(1.5 - Math.Sqrt(2), 2);
        Assert.Equal(expected, Value(loss), 12);
        Assert.Equal(0, loss.dim());
    }

    [Fact]
    public void Contrastive_default_margin_is_one()
    {
        // The same points with m = 1: every negative is at D ≥ √2 > 1, so only the positive term (1) remains.
        using var scope = NewDisposeScope();
        var loss = Contrastive.Loss(Embeddings(OnCircle(0, 90, 180)), Labels([0, 0, 1]));
        Assert.Equal(1.0, Value(loss), 12);
        Assert.Equal(1.0, Contrastive.Options.Default.Margin);
    }

    // ---- Triplet semi-hard ------------------------------------------------------------------------------

    [Fact]
    public void TripletSemiHard_by_hand()
    {
        // A (0°), P (60°) class 0; N (65°), M (180°) class 1. d = 2 − 2·cos(angle difference), α = 0.2.
        // (A, P): d = 1; A's negatives N: 2 − 2cos65° = 1.155, M: 4. Closest farther than 1: N (semi-hard, inside
        //         the band (1, 1.2)) → 1 − (2 − 2cos65°) + 0.2.
        // (P, A): d = 1; P's negatives N: 2 − 2cos5° = 0.0076, M: 2 − 2cos120° = 3. Closest farther: M → 1 − 3 + 0.2 < 0 → 0.
        // (N, M): d = 2 − 2cos115° = 2.845; N's negatives A: 1.155, P: 0.0076, none farther → fallback, the
        //         farthest: A → 2.845 − 1.155 + 0.2.
        // (M, N): d = 2.845; M's negatives A: 4, P: 3. Closest farther: P → 2.845 − 3 + 0.2.
        double D(double degrees) => 2 - 2 * Cos(degrees);
        var expected = ((1 - D(65) + 0.2) + 0 + (D(115) - D(65) + 0.2) + (D(115) - D(120) + 0.2)) / 4;
        Assert.True(1 - D(65) + 0.2 > 0 && D(115) - D(120) + 0.2 > 0, "the example must exercise the semi-hard case");

        using var scope = NewDisposeScope();
        var loss = TripletSemiHard.Loss(Embeddings(OnCircle(0, 60, 65, 180)), Labels([0, 0, 1, 1]));
        Assert.Equal(expected, Value(loss), 12);
        Assert.Equal(0.2, TripletSemiHard.Options.Default.Margin);
    }

    [Fact]
    public void TripletSemiHard_prefers_the_closest_farther_negative_over_a_harder_one()
    {
        // A (0°), P (90°) class 0 (d = 2); negatives N1 (80°, d = 2 − 2cos80° < 2: hard) and N2 (95°, d slightly
        // above 2: semi-hard). The loss of (A, P) uses N2, not the hard N1: 2 − (2 − 2cos95°) + 0.2.
        // (P, A): d = 2; P's negatives N1: 2 − 2cos10°, N2: 2 − 2cos5°, none farther than 2 → farthest, N1.
        // N1, N2 are a positive pair with d = 2 − 2cos15°: N1's negatives A (2 − 2cos80°), P (2 − 2cos10°);
        // the closest farther is A when 2 − 2cos80° > 2 − 2cos15°, which holds.
        // N2's negatives A (2 − 2cos95°), P (2 − 2cos5°): closest farther than 2 − 2cos15° is A.
        double D(double degrees) => 2 - 2 * Cos(degrees);
        double Hinge(double v) => Math.Max(v, 0);
        var expected = (Hinge(D(90) - D(95) + 0.2) + Hinge(D(90) - D(10) + 0.2)
                        + Hinge(D(15) - D(80) + 0.2) + Hinge(D(15) - D(95) + 0.2)) / 4;
        using var scope = NewDisposeScope();
        var loss = TripletSemiHard.Loss(Embeddings(OnCircle(0, 90, 80, 95)), Labels([0, 0, 1, 1]));
        Assert.Equal(expected, Value(loss), 12);
    }

    // ---- Circle -----------------------------------------------------------------------------------------

    [Fact]
    public void Circle_by_hand()
    {
        // A (0°), P (60°) class 0, N (90°) class 1; m = 0.25, γ = 2.
        // Anchor A: s_p = 0.5, α_p = 1.25 − 0.5 = 0.75, logit_p = −2·0.75·(0.5 − 0.75) = 0.375;
        //           s_n = 0,   α_n = 0 + 0.25 = 0.25,  logit_n = 2·0.25·(0 − 0.25) = −0.125; L = log(1 + e^0.25).
        // Anchor P: s_p = 0.5 (logit_p = 0.375); s_n = cos30°, α_n = cos30° + 0.25, logit_n = 2·α_n·(cos30° − 0.25).
        // Anchor N: no positive → not counted.
        var sn = Cos(30);
        var logitN = 2 * (sn + 0.25) * (sn - 0.25);
        var expected = (Math.Log(1 + Math.Exp(0.25)) + Math.Log(1 + Math.Exp(logitN + 0.375))) / 2;
        using var scope = NewDisposeScope();
        var loss = Circle.Loss(Embeddings(OnCircle(0, 60, 90)), Labels([0, 0, 1]), new Circle.Options { Margin = 0.25, Gamma = 2 });
        Assert.Equal(expected, Value(loss), 12);
    }

    [Fact]
    public void Circle_defaults_are_the_papers_face_recognition_setting()
    {
        Assert.Equal(0.25, Circle.Options.Default.Margin);
        Assert.Equal(256, Circle.Options.Default.Gamma);
    }

    [Fact]
    public void Circle_at_gamma_256_is_finite_and_matches_the_log_space_reference()
    {
        // logits of several hundred: the naive log(1 + Σ e^… Σ e^…) would overflow in float32.
        var (x, y) = Random(5, 24, 8, 3);
        using var scope = NewDisposeScope();
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            var value = Value(Circle.Loss(Embeddings(x, dtype), Labels(y)));
            Assert.True(double.IsFinite(value));
            var expected = BaselineReference.CircleLoss(x, y);
            Assert.True(Math.Abs(value - expected) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"{dtype}: {value} vs {expected}");
        }
    }

    // ---- Against the loops ------------------------------------------------------------------------------

    [Theory]
    [InlineData(1, 12, 4, 3)]
    [InlineData(2, 30, 6, 5)]
    [InlineData(3, 16, 3, 2)]
    [InlineData(4, 40, 8, 10)]
    public void Random_batches_match_the_reference_loops(int seed, int n, int dim, int classes)
    {
        var (x, y) = Random(seed, n, dim, classes);
        using var scope = NewDisposeScope();
        var e = Embeddings(x);
        var labels = Labels(y);
        Assert.Equal(BaselineReference.ContrastiveLoss(x, y), Value(Contrastive.Loss(e, labels)), 10);
        Assert.Equal(BaselineReference.ContrastiveLoss(x, y, 0.7), Value(Contrastive.Loss(e, labels, new Contrastive.Options { Margin = 0.7 })), 10);
        Assert.Equal(BaselineReference.TripletSemiHardLoss(x, y), Value(TripletSemiHard.Loss(e, labels)), 10);
        Assert.Equal(BaselineReference.TripletSemiHardLoss(x, y, 1.0), Value(TripletSemiHard.Loss(e, labels, new TripletSemiHard.Options { Margin = 1.0 })), 10);
        Assert.Equal(BaselineReference.CircleLoss(x, y), Value(Circle.Loss(e, labels)), 8);
        Assert.Equal(BaselineReference.CircleLoss(x, y, 0.4, 80), Value(Circle.Loss(e, labels, new Circle.Options { Margin = 0.4, Gamma = 80 })), 8);
    }

    [Theory]
    [MemberData(nameof(BaselineLoss.Names), MemberType = typeof(BaselineLoss))]
    public void Float32_agrees_with_float64_and_keeps_its_dtype(string name)
    {
        var loss = BaselineLoss.Get(name);
        var (x, y) = Random(6, 20, 5, 4);
        using var scope = NewDisposeScope();
        var reference = Value(loss.Loss(Embeddings(x), Labels(y)));
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float16, ScalarType.BFloat16 })
        {
            var result = loss.Loss(Embeddings(x, dtype), Labels(y));
            Assert.Equal(dtype, result.dtype);
            var tolerance = dtype == ScalarType.Float32 ? 1e-4 : 5e-2;
            Assert.True(Math.Abs(Value(result) - reference) <= tolerance * Math.Max(1, Math.Abs(reference)),
                $"{name} {dtype}: {Value(result)} vs float64 {reference}");
        }
    }

    [Theory]
    [MemberData(nameof(BaselineLoss.Names), MemberType = typeof(BaselineLoss))]
    public void Any_integer_label_dtype_gives_the_same_value(string name)
    {
        var loss = BaselineLoss.Get(name);
        var (x, y) = Random(7, 15, 4, 3);
        using var scope = NewDisposeScope();
        var e = Embeddings(x);
        var reference = Value(loss.Loss(e, Labels(y)));
        foreach (var dtype in new[] { ScalarType.Int32, ScalarType.Int16, ScalarType.Int8, ScalarType.Byte })
            Assert.Equal(reference, Value(loss.Loss(e, Labels(y).to_type(dtype))), 14);
    }

    [Theory]
    [MemberData(nameof(BaselineLoss.Names), MemberType = typeof(BaselineLoss))]
    public void Output_stays_on_the_embeddings_device(string name)
    {
        var loss = BaselineLoss.Get(name);
        var (x, y) = Random(8, 10, 3, 2);
        foreach (var device in Tensors.AvailableDevices())
        {
            using var scope = NewDisposeScope();
            var result = loss.Loss(Embeddings(x, ScalarType.Float32, device), Labels(y, device));
            Assert.Equal(device.type, result.device_type);
            Assert.Equal(0, result.dim());
        }
    }
}
