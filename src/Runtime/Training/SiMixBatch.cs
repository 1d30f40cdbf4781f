using System;
using static TorchSharp.torch;

namespace MetricLoss.Training;

/// <summary>
/// A batch enlarged by <see cref="SiMix.Mix"/>: M = N + (N / spc)·spc(spc − 1)/2 samples, the N originals and
/// the virtual ones, laid out class block by class block (see <see cref="SiMix"/> for the order). The three
/// tensors are the inputs of a retrieval loss such as <c>MetricLoss.Catalog.RecallAtK.Loss(sim, pos, valid)</c>.
/// </summary>
/// <param name="Similarities">[M, M], the similarities' dtype and device; differentiable w.r.t. the original similarities.</param>
/// <param name="Positives">bool [M, M]: <c>pos[q, z]</c> = q and z have the same class and q ≠ z.</param>
/// <param name="Valid">bool [M, M]: true except on the diagonal (a query is not in its own list).</param>
/// <remarks>
/// The batch owns its tensors: <see cref="Dispose"/> disposes all three (they are also registered in the dispose
/// scope that was current when <see cref="SiMix.Mix"/> returned, if any). Equality is reference equality: two
/// batches are never compared element by element.
/// </remarks>
public sealed record SiMixBatch(Tensor Similarities, Tensor Positives, Tensor Valid) : IDisposable
{
    /// <summary>Disposes the three tensors.</summary>
    public void Dispose()
    {
        Similarities.Dispose();
        Positives.Dispose();
        Valid.Dispose();
    }

    /// <summary>Reference equality (comparing tensors would compare or synchronise their contents).</summary>
    public bool Equals(SiMixBatch? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
