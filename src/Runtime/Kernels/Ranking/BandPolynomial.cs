using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Ranking;

/// <summary>
/// A relaxation that is a polynomial P(u) = Σ_k c_k·u^k on a band (−a, a) of u = (x_j − x_i)/τ, 0 below it and 1 above
/// it: the form that lets <see cref="SortedRankSums"/> sum it over a sorted row without pairs (issue 15). The linear
/// ramp is ½ + u/4 on (−2, 2); the cubic smoothstep is ½ + u/4 − u³/108 on (−3, 3) (<see cref="Relaxation"/>).
/// </summary>
internal sealed class BandPolynomial
{
    private BandPolynomial(double halfWidth, double[] coefficients)
    {
        HalfWidth = halfWidth;
        Coefficients = coefficients;
    }

    /// <summary>a: the polynomial holds on (−a, a); the relaxation is 0 at and below −a, 1 at and above a.</summary>
    public double HalfWidth { get; }

    /// <summary>c_0 … c_D, P(u) = Σ_k c_k·u^k.</summary>
    public double[] Coefficients { get; }

    /// <summary>The degree D (trailing zero coefficients included).</summary>
    public int Degree => Coefficients.Length - 1;

    /// <summary>The polynomial of a relaxation, or null for σ, which is not piecewise polynomial.</summary>
    public static BandPolynomial? Of(Relaxation relaxation) => relaxation switch
    {
        // clamp(½ + u/4, 0, 1) (Relaxation.Linear).
        Relaxation.Linear => new BandPolynomial(2, new[] { 0.5, 0.25 }),
        // The Hermite cubic 3s² − 2s³ of s = (u + 3)/6, expanded: ½ + u/4 − u³/108 (Relaxation.Smoothstep).
        Relaxation.Smoothstep => new BandPolynomial(3, new[] { 0.5, 0.25, 0, -1.0 / 108 }),
        _ => null,
    };

    /// <summary>P′(u) on the same band.</summary>
    public BandPolynomial Derivative() =>
        new(HalfWidth, Degree == 0 ? new[] { 0.0 } : Enumerable.Range(1, Degree).Select(k => k * Coefficients[k]).ToArray());

    /// <summary>P(−u) on the same band: the coefficients of odd powers change sign.</summary>
    public BandPolynomial Reflected() =>
        new(HalfWidth, Coefficients.Select((c, k) => k % 2 == 0 ? c : -c).ToArray());

    /// <summary>
    /// The coefficients of w^p in P(w + d), for p = 0 … D, as tensors shaped like <paramref name="shift"/>:
    /// T_p(d) = Σ_{k ≥ p} c_k·C(k, p)·d^(k − p) (the binomial expansion), each by Horner's rule in d.
    /// </summary>
    public Tensor[] ShiftedCoefficients(Tensor shift)
    {
        var result = new Tensor[Degree + 1];
        for (var p = 0; p <= Degree; p++)
        {
            // b_m = c_(p+m)·C(p + m, p), m = 0 … D − p; T_p = Σ_m b_m·d^m.
            var b = Enumerable.Range(0, Degree - p + 1).Select(m => Coefficients[p + m] * Binomial(p + m, p)).ToArray();
            using var leading = b[^1].ToScalar();
            var value = full_like(shift, leading);
            for (var m = b.Length - 2; m >= 0; m--)
            {
                using var coefficient = b[m].ToScalar();
                value.mul_(shift).add_(coefficient, KeptScalars.One);
            }
            result[p] = value;
        }
        return result;
    }

    private static double Binomial(int n, int k)
    {
        double result = 1;
        for (var i = 1; i <= k; i++) result = result * (n - k + i) / i;
        return result;
    }
}
