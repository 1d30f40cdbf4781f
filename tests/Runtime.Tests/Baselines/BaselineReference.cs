using MetricLoss.Baselines;
using MetricLoss.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Baselines;

/// <summary>One baseline loss under test: its name and a call with the options a test chooses.</summary>
public sealed record BaselineLoss(string Name, Func<Tensor, Tensor, Tensor> Loss)
{
    public override string ToString() => Name;

    public static BaselineLoss Get(string name) => name switch
    {
        "Contrastive" => new(name, (e, y) => Contrastive.Loss(e, y)),
        "TripletSemiHard" => new(name, (e, y) => TripletSemiHard.Loss(e, y)),
        "Circle" => new(name, (e, y) => Circle.Loss(e, y)),
        // Circle with a small γ: at the default γ = 256 its value is a near-hinge, awkward for central differences.
        "Circle(γ=4)" => new(name, (e, y) => Circle.Loss(e, y, new Circle.Options { Gamma = 4 })),
        _ => throw new ArgumentException(name),
    };

    public static TheoryData<string> Names => new() { "Contrastive", "TripletSemiHard", "Circle" };
}

/// <summary>
/// Straightforward float64 loops over pairs, written from the papers' formulas independently of the
/// vectorised implementations (no masks, no sorting, no log-sum-exp tricks).
/// </summary>
public static class BaselineReference
{
    public static double[][] Normalise(double[][] x) =>
        x.Select(row =>
        {
            var norm = Math.Max(Math.Sqrt(row.Sum(v => v * v)), 1e-12);
            return row.Select(v => v / norm).ToArray();
        }).ToArray();

    public static double Cosine(double[] a, double[] b) => a.Zip(b, (u, v) => u * v).Sum();

    /// <summary>Hadsell et al. with separately averaged positive and negative pair terms.</summary>
    public static double ContrastiveLoss(double[][] embeddings, int[] labels, double margin = 1.0)
    {
        var e = Normalise(embeddings);
        double pull = 0, push = 0;
        int positives = 0, negatives = 0;
        for (var a = 0; a < e.Length; a++)
        {
            for (var b = 0; b < e.Length; b++)
            {
                if (a == b) continue;
                var squared = Math.Max(2 - 2 * Cosine(e[a], e[b]), 0);
                if (labels[a] == labels[b])
                {
                    pull += 0.5 * squared;
                    positives++;
                }
                else
                {
                    var gap = Math.Max(margin - Math.Sqrt(squared), 0);
                    push += 0.5 * gap * gap;
                    negatives++;
                }
            }
        }
        return (positives > 0 ? pull / positives : 0) + (negatives > 0 ? push / negatives : 0);
    }

    /// <summary>FaceNet's semi-hard triplet loss; fallback: the farthest negative.</summary>
    public static double TripletSemiHardLoss(double[][] embeddings, int[] labels, double margin = 0.2)
    {
        var e = Normalise(embeddings);
        double D(int a, int b) => Math.Max(2 - 2 * Cosine(e[a], e[b]), 0);
        double total = 0;
        var pairs = 0;
        for (var a = 0; a < e.Length; a++)
        {
            var negatives = Enumerable.Range(0, e.Length).Where(n => labels[n] != labels[a]).ToArray();
            if (negatives.Length == 0) continue;
            for (var p = 0; p < e.Length; p++)
            {
                if (p == a || labels[p] != labels[a]) continue;
                var dap = D(a, p);
                var farther = negatives.Where(n => D(a, n) > dap).ToArray();
                var dan = farther.Length > 0 ? farther.Min(n => D(a, n)) : negatives.Max(n => D(a, n));
                total += Math.Max(dap - dan + margin, 0);
                pairs++;
            }
        }
        return pairs > 0 ? total / pairs : 0;
    }

    /// <summary>Circle loss, eq. 6 of Sun et al. written directly as log(1 + Σ_n e^… · Σ_p e^…) in log space.</summary>
    /// <param name="alphasFrom">
    /// When given, α_p and α_n are computed from these embeddings instead (held fixed): the function whose
    /// derivative the loss's gradient is, since the loss detaches the α factors.
    /// </param>
    public static double CircleLoss(double[][] embeddings, int[] labels, double margin = 0.25, double gamma = 256, double[][]? alphasFrom = null)
    {
        var e = Normalise(embeddings);
        var f = Normalise(alphasFrom ?? embeddings);
        double total = 0;
        var anchors = 0;
        for (var a = 0; a < e.Length; a++)
        {
            var pos = new List<double>();
            var neg = new List<double>();
            for (var b = 0; b < e.Length; b++)
            {
                if (b == a) continue;
                var s = Cosine(e[a], e[b]);
                var fixedS = Cosine(f[a], f[b]);
                if (labels[b] == labels[a])
                    pos.Add(-gamma * Math.Max(1 + margin - fixedS, 0) * (s - (1 - margin)));
                else
                    neg.Add(gamma * Math.Max(fixedS + margin, 0) * (s - margin));
            }
            if (pos.Count == 0 || neg.Count == 0) continue;
            var x = LogSumExp(neg) + LogSumExp(pos);
            total += x > 30 ? x + Math.Log(1 + Math.Exp(-x)) : Math.Log(1 + Math.Exp(x));
            anchors++;
        }
        return anchors > 0 ? total / anchors : 0;
    }

    private static double LogSumExp(List<double> values)
    {
        var max = values.Max();
        return max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }

    /// <summary>Seeded Gaussian embeddings and labels from <paramref name="classes"/> classes.</summary>
    public static (double[][] Embeddings, int[] Labels) Random(int seed, int n, int dim, int classes)
    {
        var random = new Random(seed);
        var x = new double[n][];
        for (var i = 0; i < n; i++)
        {
            x[i] = new double[dim];
            for (var j = 0; j < dim; j++)
            {
                // Box-Muller
                x[i][j] = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            }
        }
        var labels = Enumerable.Range(0, n).Select(_ => random.Next(classes)).ToArray();
        return (x, labels);
    }

    public static Tensor Embeddings(double[][] x, ScalarType dtype = ScalarType.Float64, Device? device = null, bool requiresGrad = false)
    {
        TorchNative.EnsureLoaded();
        var flat = x.SelectMany(r => r).ToArray();
        var t = torch.tensor(flat, new long[] { x.Length, x[0].Length }, ScalarType.Float64).to(dtype, device ?? CPU);
        return requiresGrad ? t.requires_grad_(true) : t;
    }

    public static Tensor Labels(int[] labels, Device? device = null)
    {
        TorchNative.EnsureLoaded();
        var t = torch.tensor(labels.Select(l => (long)l).ToArray(), ScalarType.Int64);
        return device is null ? t : t.to(device);
    }

    /// <summary>Points on the unit circle (2-D embeddings) at the given angles in degrees.</summary>
    public static double[][] OnCircle(params double[] degrees) =>
        degrees.Select(d => new[] { Math.Cos(d * Math.PI / 180), Math.Sin(d * Math.PI / 180) }).ToArray();

    public static double Cos(double degrees) => Math.Cos(degrees * Math.PI / 180);
}
