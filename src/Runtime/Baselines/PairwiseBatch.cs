using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Baselines;

/// <summary>
/// What the three pair-based baselines share: shape-only input checks, the upcast of half precision, the
/// L2-normalised embeddings' cosine-similarity matrix and the positive / negative pair masks of a batch.
/// </summary>
/// <remarks>
/// Everything is created inside the caller's dispose scope; nothing is kept between calls. The checks read
/// shapes and dtypes only, never values, so a loss call never synchronises with the device.
/// </remarks>
internal static class PairwiseBatch
{
    /// <summary>
    /// Checks <paramref name="embeddings"/> (floating, [N, d]) and <paramref name="labels"/> (integer, [N]).
    /// Errors are <see cref="ArgumentException"/>s naming the loss and the input.
    /// </summary>
    internal static void Validate(string loss, Tensor? embeddings, Tensor? labels)
    {
        if (embeddings is null)
        {
            throw new ArgumentNullException(nameof(embeddings), $"{loss}: input 'embeddings' is null.");
        }
        if (labels is null)
        {
            throw new ArgumentNullException(nameof(labels), $"{loss}: input 'labels' is null.");
        }
        if (embeddings.IsInvalid)
        {
            throw new ArgumentException($"{loss}: input 'embeddings' is a disposed tensor.", nameof(embeddings));
        }
        if (labels.IsInvalid)
        {
            throw new ArgumentException($"{loss}: input 'labels' is a disposed tensor.", nameof(labels));
        }
        if (embeddings.dtype is not (ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64))
        {
            throw new ArgumentException(
                $"{loss}: input 'embeddings' must have a floating dtype (float16, bfloat16, float32 or float64), but has {embeddings.dtype}.",
                nameof(embeddings));
        }
        if (embeddings.dim() != 2)
        {
            throw new ArgumentException(
                $"{loss}: input 'embeddings' must have 2 dimensions [N, d], but has shape [{string.Join(", ", embeddings.shape)}].",
                nameof(embeddings));
        }
        if (labels.dtype is not (ScalarType.Byte or ScalarType.Int8 or ScalarType.Int16 or ScalarType.Int32 or ScalarType.Int64))
        {
            throw new ArgumentException(
                $"{loss}: input 'labels' must have an integer dtype (class ids), but has {labels.dtype}.", nameof(labels));
        }
        if (labels.dim() != 1)
        {
            throw new ArgumentException(
                $"{loss}: input 'labels' must have 1 dimension [N], but has shape [{string.Join(", ", labels.shape)}].",
                nameof(labels));
        }
        if (labels.shape[0] != embeddings.shape[0])
        {
            throw new ArgumentException(
                $"{loss}: input 'labels' has {labels.shape[0]} entries, but 'embeddings' has {embeddings.shape[0]} rows; they must match.",
                nameof(labels));
        }
    }

    /// <summary>Checks that an option is a finite number inside its allowed range.</summary>
    internal static void RequireOption(string loss, string option, double value, double minimum, bool strict)
    {
        bool ok = !double.IsNaN(value) && !double.IsInfinity(value) && (strict ? value > minimum : value >= minimum);
        if (!ok)
        {
            throw new ArgumentException(
                $"{loss}: option {option} must be a finite number {(strict ? ">" : ">=")} {minimum}, found {value}.", option);
        }
    }

    /// <summary>float16 / bfloat16 are computed in float32 (docs/torchsharp-rules.md rule 8); other dtypes as they are.</summary>
    internal static ScalarType ComputeType(ScalarType input) =>
        input is ScalarType.Float16 or ScalarType.BFloat16 ? ScalarType.Float32 : input;

    /// <summary>
    /// The batch's pairwise view, inside the caller's scope: <c>Similarity[a, b] = ⟨ê_a, ê_b⟩</c> of the
    /// L2-normalised embeddings (cosine similarity, in [−1, 1]) in <paramref name="dtype"/>;
    /// <c>Positive[a, b]</c> = same label and a ≠ b; <c>Negative[a, b]</c> = different label (bool masks).
    /// </summary>
    internal static (Tensor Similarity, Tensor Positive, Tensor Negative) Build(Tensor embeddings, Tensor labels, ScalarType dtype)
    {
        var device = embeddings.device;
        long n = embeddings.shape[0];
        var x = embeddings.dtype == dtype ? embeddings.alias() : embeddings.to_type(dtype);
        // ‖x‖ is clamped below by 1e-12 (torch's default), so an all-zero row stays finite with a zero gradient.
        var unit = nn.functional.normalize(x, p: 2.0, dim: 1);
        var similarity = unit.matmul(unit.t());

        var y = labels.to(device);
        var same = y.unsqueeze(1).eq(y.unsqueeze(0));
        var self = eye(n, n, ScalarType.Bool, device);
        var positive = same.logical_and(self.logical_not());
        var negative = same.logical_not();
        return (similarity, positive, negative);
    }

    /// <summary>
    /// Σ(values · mask) / max(Σ mask, 1): a mean over the selected entries that is 0 (and keeps the graph,
    /// with a zero gradient) when nothing is selected, so degenerate batches give 0 instead of NaN.
    /// </summary>
    internal static Tensor MaskedMean(Tensor values, Tensor mask)
    {
        var weights = mask.to_type(values.dtype);
        using var one = 1.0.ToScalar();
        return values.mul(weights).sum().div(weights.sum().clamp_min(one));
    }
}
