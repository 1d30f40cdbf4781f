using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Interpolation;

/// <summary>
/// docs/language.md's AccuracyInterpolated lowered by hand onto the interpolation API, the shape generated code should
/// have: Δ[n, c] = logit[n, target[n]] − logit[n, c] flattened row-major to [N·C], validity false at c = target[n],
/// exact tail = mean over n of all over valid c of a[n, c], for all K anchors at once.
/// </summary>
internal static class MulticlassAccuracy
{
    /// <summary>(Δ [N·C], valid [N·C] bool) from logits [N, C] and int64 targets [N].</summary>
    public static (Tensor Delta, Tensor Valid) Comparisons(Tensor logit, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var n = logit.shape[0];
        var c = logit.shape[1];
        var index = target.to(ScalarType.Int64, logit.device).unsqueeze(1);                  // [N, 1]
        var own = logit.gather(1, index);                                                     // [N, 1]
        var delta = own.sub(logit).reshape(n * c);                                            // [N·C]
        var classes = torch.arange(0L, c, 1L, ScalarType.Int64, logit.device).unsqueeze(0);   // [1, C]
        var valid = classes.ne(index).reshape(n * c);                                         // [N·C] bool
        return (delta.MoveToOuterDisposeScope(), valid.MoveToOuterDisposeScope());
    }

    /// <summary>The exact tail for anchors [K, N·C]: [K] accuracies. Validity is applied again (a·v + 1 − v) so
    /// that the tail does not rely on invalid columns holding 1.</summary>
    public static Func<Tensor, Tensor> Tail(long n, long c, Tensor valid) => anchors =>
    {
        var k = anchors.shape[0];
        var v = valid.to(anchors.dtype, anchors.device);
        using var one = 1.0.ToScalar();
        var kept = anchors.mul(v).add_(v.neg().add_(one)).reshape(k, n, c);
        return kept.prod(2).mean(new long[] { 1 });
    };

    /// <summary>Exact accuracy of logits [N, C] against targets [N]: a sample is correct when its target's logit is strictly above every other.</summary>
    public static double Exact(Tensor logit, Tensor target)
    {
        using var scope = torch.NewDisposeScope();
        var (delta, valid) = Comparisons(logit.detach(), target);
        using var zero = 0.0.ToScalar();
        var hard = delta.gt(zero).to_type(ScalarType.Float64).unsqueeze(0);
        return Tail(logit.shape[0], logit.shape[1], valid)(hard).item<double>();
    }
}
