using System;
using MetricLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Interpolation;

/// <summary>
/// Inverse-distance-weighted interpolation of the exact binary → metric stage through anchors, the interpolant of
/// UniLoss (Liu, Wang, Deng, "A Unified Framework of Surrogate Loss by Refactoring and Interpolation", ECCV 2020;
/// docs/language.md, "Interpolation mode (UniLoss)"):
/// <c>f(b̃) = Σₖ wₖ·vₖ / Σₖ wₖ</c>, <c>wₖ = 1 / (‖(b̃ − aₖ) ⊙ valid‖₂ + ε)</c>, differentiated by autograd.
/// </summary>
/// <remarks>
/// <para>The gradient is autograd's, i.e. the true gradient of the interpolant. The official classification
/// scripts (MNIST AP, CIFAR accuracy) instead hand-write it in numpy with the wrong sign on the second term
/// (docs/surrogates.md §1.5): with all anchor values equal their gradient is non-zero while the true one is 0.
/// This implementation therefore matches the paper's interpolant and the official pose loss, not the official
/// classification behaviour bit for bit.</para>
/// <para><b>Distance at 0.</b> d = √(Σⱼ ((b̃ⱼ − aⱼ)·validⱼ)² + δ) with δ the smallest normal number of the compute
/// dtype (≈ 1.2e-38 in float32, 2.2e-308 in float64). This shifts a distance by at most √δ (≈ 1.1e-19 / 1.5e-154), far
/// below ε and below the rounding of any distance that is not itself ~√δ, so values are unchanged in practice; but
/// where b̃ coincides with an anchor, the norm's gradient (b̃ − a)/d is 0/√δ = 0 instead of 0/0 = NaN (the
/// subgradient 0 of ‖·‖ at 0), and the value there is that anchor's value up to O(ε) (w of that anchor is
/// 1/(√δ + ε) against O(1) for the others).</para>
/// <para><b>Evaluation.</b> The ratio is evaluated as <c>c + Σₖ rₖ·(vₖ − c) / Σₖ rₖ</c> with
/// <c>rₖ = m / (dₖ + ε)</c>, <c>m = minⱼ(dⱼ + ε)</c> and <c>c</c> the value of that nearest anchor, both m and c
/// detached constants. The interpolant is invariant under scaling all weights and shifting all values, so this is
/// the same function with the same autograd gradient, but r ∈ (0, 1] never overflows (wₖ itself reaches 1/√δ when
/// ε = 0) and the largest weight multiplies vₖ − c = 0 exactly, which avoids cancellation near an anchor and
/// makes the gradient exactly 0 when all values are equal. No host sync: the nearest anchor is found with
/// argmin/index_select on the device.</para>
/// </remarks>
public static class IdwInterpolation
{
    /// <summary>The smooth metric at <paramref name="soft"/>: a 0-dim tensor of soft's dtype on soft's device.</summary>
    /// <param name="soft">b̃ ∈ [0, 1]ᴰ, [D], differentiable.</param>
    /// <param name="anchors">a₁..a_K ∈ {0, 1}ᴰ, [K, D] with K ≥ 1; constants (detached).</param>
    /// <param name="values">vₖ = metric(aₖ), [K]; constants (detached).</param>
    /// <param name="valid">[D], bool or numbers: coordinates with validity false/0 do not count in distances (any
    /// non-zero number counts as valid, as in <see cref="AnchorSampler"/>).</param>
    /// <param name="epsilon">ε ≥ 0 of wₖ = 1/(dₖ + ε) (<see cref="UniLossDefaults.Epsilon"/>).</param>
    /// <exception cref="ArgumentNullException">A tensor is null.</exception>
    /// <exception cref="ArgumentException">A shape does not fit: soft is not [D], anchors not [K ≥ 1, D], values not
    /// [K] or valid not [D].</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is negative, NaN or infinite.</exception>
    public static Tensor Interpolate(Tensor soft, Tensor anchors, Tensor values, Tensor valid, double epsilon = UniLossDefaults.Epsilon)
    {
        if (soft is null) throw new ArgumentNullException(nameof(soft));
        if (anchors is null) throw new ArgumentNullException(nameof(anchors));
        if (values is null) throw new ArgumentNullException(nameof(values));
        if (valid is null) throw new ArgumentNullException(nameof(valid));
        if (soft.dim() != 1) throw new ArgumentException($"soft must be a vector [D], got shape [{Shape(soft)}]", nameof(soft));
        var d = soft.shape[0];
        if (anchors.dim() != 2 || anchors.shape[1] != d || anchors.shape[0] < 1)
            throw new ArgumentException($"anchors must be [K ≥ 1, {d}], got [{Shape(anchors)}]", nameof(anchors));
        var k = anchors.shape[0];
        if (values.dim() != 1 || values.shape[0] != k)
            throw new ArgumentException($"values must be [{k}] (one per anchor), got [{Shape(values)}]", nameof(values));
        if (valid.dim() != 1 || valid.shape[0] != d)
            throw new ArgumentException($"valid must be [{d}], got [{Shape(valid)}]", nameof(valid));
        if (!(epsilon >= 0) || double.IsInfinity(epsilon))
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "ε must be finite and ≥ 0");

        using var scope = torch.NewDisposeScope();
        var outputType = soft.dtype;
        var dtype = MetricOps.ComputeType(outputType);
        var device = soft.device;
        var b = MetricOps.Prepare(soft, dtype);
        var a = anchors.detach().to(dtype, device);
        var v = values.detach().to(dtype, device);
        using var zero = 0.0.ToScalar();
        var mask = (valid.dtype == ScalarType.Bool ? valid : valid.detach().ne(zero)).to(dtype, device);  // 0/1, as AnchorSampler reads it

        using var delta = finfo(dtype).tiny.ToScalar();
        using var eps = epsilon.ToScalar();
        var distance = b.unsqueeze(0).sub(a).mul_(mask.unsqueeze(0)).pow(KeptScalars.Two).sum(new long[] { 1 }, false).add(delta, KeptScalars.One).sqrt();
        var shifted = distance.add(eps, KeptScalars.One);                      // dₖ + ε, [K]

        var nearest = shifted.detach().argmin(0, true);                        // [1], int64
        var scale = shifted.detach().index_select(0, nearest);                 // m, [1]
        var baseline = v.index_select(0, nearest);                             // c, [1]
        var ratio = scale.div(shifted);                                        // rₖ ∈ (0, 1], [K]
        var numerator = ratio.mul(v.sub(baseline)).sum();
        var result = numerator.div(ratio.sum()).add(baseline.squeeze(0), KeptScalars.One);
        return (result.dtype == outputType ? result : result.to_type(outputType)).MoveToOuterDisposeScope();
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);
}
