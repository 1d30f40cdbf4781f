using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>
/// Float64 central differences against autograd (TorchSharp has no gradcheck; docs/torchsharp-rules.md rule 21):
/// ∂f/∂xᵢ ≈ (f(x + h·eᵢ) − f(x − h·eᵢ)) / 2h, compared with <c>torch.autograd.grad</c>.
/// </summary>
public static class GradientCheck
{
    public sealed record Result(double[] Analytic, double[] Numeric)
    {
        public double MaxAbsAnalytic => Analytic.Max(Math.Abs);
    }

    /// <param name="f">A scalar function of a float64 vector, returning a 0-dim tensor.</param>
    public static Result Compute(Func<Tensor, Tensor> f, double[] x, double h = 1e-6)
    {
        using var scope = torch.NewDisposeScope();
        var input = Tensors.Scores(x, ScalarType.Float64, requiresGrad: true);
        var output = f(input);
        if (output.dim() != 0) throw new InvalidOperationException($"f must return a 0-dim tensor, got shape [{string.Join(", ", output.shape)}]");
        var analytic = Tensors.Values(torch.autograd.grad(new[] { output }, new[] { input })[0]);

        var numeric = new double[x.Length];
        using (torch.no_grad())
        {
            for (var i = 0; i < x.Length; i++)
            {
                numeric[i] = (Evaluate(f, x, i, +h) - Evaluate(f, x, i, -h)) / (2 * h);
            }
        }
        return new Result(analytic, numeric);
    }

    /// <summary>Asserts |analytic − numeric| ≤ atol + rtol·|numeric| element by element.</summary>
    public static void AssertClose(Result result, double atol = 1e-6, double rtol = 1e-4, string context = "")
    {
        for (var i = 0; i < result.Numeric.Length; i++)
        {
            var a = result.Analytic[i];
            var n = result.Numeric[i];
            Assert.False(double.IsNaN(a) || double.IsInfinity(a), $"{context}: autograd gradient [{i}] is {a}");
            Assert.True(Math.Abs(a - n) <= atol + rtol * Math.Abs(n),
                $"{context}: gradient [{i}]: autograd {a:R}, central difference {n:R}, difference {Math.Abs(a - n):E3}");
        }
    }

    private static double Evaluate(Func<Tensor, Tensor> f, double[] x, int index, double delta)
    {
        using var scope = torch.NewDisposeScope();
        var shifted = (double[])x.Clone();
        shifted[index] += delta;
        return Tensors.Value(f(Tensors.Scores(shifted, ScalarType.Float64)));
    }
}
