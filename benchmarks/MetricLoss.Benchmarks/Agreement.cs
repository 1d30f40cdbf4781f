using System;
using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Benchmarks;

/// <summary><c>--check</c>: each comparison computes the same function (value and gradient), so the timings compare like with like.</summary>
public static class Agreement
{
    public static int Run()
    {
        MetricLoss.Native.TorchNative.EnsureLoaded();
        bool ok = true;
        foreach (var n in new long[] { 1_000, 100_000 })
        {
            ok &= Compare("F1", n, false, HandWritten.SoftF1Loss, (s, y) => F1.Loss(s, y));
            ok &= Compare("F1AnyLoss", n, true, (s, y) => HandWritten.AnyLossF1Loss(s, y), (s, y) => F1AnyLoss.Loss(s, y));
            ok &= Compare("Mcc", n, false, HandWritten.SoftMccLoss, (s, y) => Mcc.Loss(s, y));
            using var inputs = new Inputs(n, false, false);
            var a = HandWritten.ExactF1(inputs.Score, inputs.Label);
            var b = F1.Exact(inputs.Score, inputs.Label);
            var c = HandWritten.ExactF1(inputs.Score.data<float>().ToArray(), inputs.Label.data<bool>().ToArray());
            bool same = Math.Abs(a - b) < 1e-12 && Math.Abs(a - c) < 1e-12;
            Console.WriteLine($"Exact F1   N={n,7}: torch {a:G10} generated {b:G10} loop {c:G10} {(same ? "ok" : "MISMATCH")}");
            ok &= same;
        }
        return ok ? 0 : 1;
    }

    private static bool Compare(string name, long n, bool probabilities, Func<Tensor, Tensor, double, double, double, Tensor> hand, Func<Tensor, Tensor, Tensor> generated)
        => Compare(name, n, probabilities, (s, y) => hand(s, y, 0, 1, 1e-8), generated);

    private static bool Compare(string name, long n, bool probabilities, Func<Tensor, Tensor, Tensor> hand, Func<Tensor, Tensor, Tensor> generated)
    {
        using var inputs = new Inputs(n, probabilities, requiresGrad: true);
        using var scope = NewDisposeScope();
        var lh = hand(inputs.Score, inputs.Target);
        var gh = autograd.grad(new[] { lh }, new[] { inputs.Score })[0];
        var lg = generated(inputs.Score, inputs.Target);
        var gg = autograd.grad(new[] { lg }, new[] { inputs.Score })[0];
        double dv = Math.Abs(lh.item<float>() - lg.item<float>());
        double scale = gh.abs().max().item<float>();
        double dg = gh.sub(gg).abs().max().item<float>();
        bool ok = dv <= 1e-5 && dg <= 1e-4 * Math.Max(scale, 1e-12);
        Console.WriteLine($"{name,-10} N={n,7}: loss {lh.item<float>():G7} vs {lg.item<float>():G7}, max |Δgrad| {dg:G3} (max |grad| {scale:G3}) {(ok ? "ok" : "MISMATCH")}");
        return ok;
    }
}
