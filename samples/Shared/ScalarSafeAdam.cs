using MetricLoss.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetricLoss.Samples;

/// <summary>
/// Adam (D. P. Kingma and J. Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015, Algorithm 1, in the
/// form of PyTorch's <c>torch.optim.Adam</c> without weight decay or amsgrad) whose every Scalar is a field or a
/// <c>using</c> local.
/// </summary>
/// <remarks>
/// Why not TorchSharp's <c>optim.Adam</c>: in TorchSharp 0.107 its step passes temporary Scalars (1 − β₂ to
/// <c>addcmul_</c>, and the like) to LibTorch with nothing keeping them alive, so a garbage collection on another
/// thread can finalize one while LibTorch reads it. With two runs training side by side this crashed the
/// experiments ("Expected false to be true" in <c>Scalar::toFloat</c> under <c>Adam.step</c>); it is the
/// use-after-free that the runtime's own rule (every Scalar kept, tests/Generator.Tests ScalarLifetimeTests)
/// prevents in MetricLoss's code. The update is the same:
/// m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  θ ← θ − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε).
/// </remarks>
public sealed class ScalarSafeAdam : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;
    private readonly double _learningRate;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly Scalar _beta1Scalar;
    private readonly Scalar _oneMinusBeta1;
    private readonly Scalar _beta2Scalar;
    private readonly Scalar _oneMinusBeta2;
    private readonly Scalar _epsilon;
    private int _step;

    /// <summary>Adam over <paramref name="parameters"/> with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8.</summary>
    public ScalarSafeAdam(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8)
    {
        _parameters = parameters.ToArray();
        _m = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _v = _parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        (_learningRate, _beta1, _beta2) = (learningRate, beta1, beta2);
        _beta1Scalar = beta1.ToScalar();
        _oneMinusBeta1 = (1 - beta1).ToScalar();
        _beta2Scalar = beta2.ToScalar();
        _oneMinusBeta2 = (1 - beta2).ToScalar();
        _epsilon = epsilon.ToScalar();
    }

    /// <summary>Sets every parameter's gradient to zero (parameters without a gradient yet are left alone).</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            using var gradient = p.grad;
            gradient?.zero_();
        }
    }

    /// <summary>One Adam update of every parameter that has a gradient.</summary>
    public void Step()
    {
        _step++;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        using var negativeStepSize = (-_learningRate / (1 - Math.Pow(_beta1, _step))).ToScalar();
        using var rootBiasCorrection2 = Math.Sqrt(1 - Math.Pow(_beta2, _step)).ToScalar();
        for (int i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null) continue;
            _m[i].mul_(_beta1Scalar).add_(gradient, _oneMinusBeta1);
            _v[i].mul_(_beta2Scalar).addcmul_(gradient, gradient, _oneMinusBeta2);
            var denominator = _v[i].sqrt().div_(rootBiasCorrection2).add_(_epsilon, KeptScalars.One);
            _parameters[i].addcdiv_(_m[i], denominator, negativeStepSize);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _m.Concat(_v)) t.Dispose();
        _beta1Scalar.Dispose();
        _oneMinusBeta1.Dispose();
        _beta2Scalar.Dispose();
        _oneMinusBeta2.Dispose();
        _epsilon.Dispose();
    }
}
