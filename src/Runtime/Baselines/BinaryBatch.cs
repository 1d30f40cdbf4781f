using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Baselines;

/// <summary>
/// What the binary-classification baselines (<see cref="Focal"/>, <see cref="AucMSquare"/>) share: shape-only checks
/// of a batch of scores and 0/1 labels, and the labels as a floating tensor on the scores' device.
/// </summary>
internal static class BinaryBatch
{
    /// <summary>Checks <paramref name="scores"/> (floating, [N]) and <paramref name="labels"/> ([N], bool, integer or floating 0/1).</summary>
    internal static void Validate(string loss, Tensor? scores, Tensor? labels)
    {
        if (scores is null) throw new ArgumentNullException(nameof(scores), $"{loss}: input 'scores' is null.");
        if (labels is null) throw new ArgumentNullException(nameof(labels), $"{loss}: input 'labels' is null.");
        if (scores.IsInvalid) throw new ArgumentException($"{loss}: input 'scores' is a disposed tensor.", nameof(scores));
        if (labels.IsInvalid) throw new ArgumentException($"{loss}: input 'labels' is a disposed tensor.", nameof(labels));
        if (!torch.is_floating_point(scores))
            throw new ArgumentException($"{loss}: input 'scores' must have a floating dtype, but has {scores.dtype}.", nameof(scores));
        if (scores.dim() != 1)
            throw new ArgumentException($"{loss}: input 'scores' must have 1 dimension [N], but has shape [{string.Join(", ", scores.shape)}].", nameof(scores));
        if (labels.dim() != 1 || labels.shape[0] != scores.shape[0])
            throw new ArgumentException(
                $"{loss}: input 'labels' must have shape [{scores.shape[0]}] like 'scores', but has shape [{string.Join(", ", labels.shape)}].", nameof(labels));
    }

    /// <summary>The labels as 0/1 in <paramref name="dtype"/> on the scores' device (inside the caller's scope).</summary>
    internal static Tensor Targets(Tensor labels, Tensor scores, ScalarType dtype) => labels.to(dtype, scores.device);
}
