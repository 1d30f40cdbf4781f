using System;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetricLoss.Training;

/// <summary>
/// Multistage backpropagation: one training step on a batch far larger than fits in activation memory, for a
/// loss that couples every sample of the batch (Patel, Tolias, Matas, "Recall@k Surrogate Loss with Large
/// Batches and Similarity Mixup", CVPR 2022, training with large batches; official code <c>src/main.py</c>
/// <c>train_one_epoch</c>; docs/surrogates.md §3.4).
/// <para>
/// Stage 1 forwards the batch chunk by chunk without an autograd graph and concatenates the embeddings E.
/// Stage 2 makes E a leaf, computes the loss on it and back-propagates to ∂L/∂E (no network activations exist
/// then). Stage 3 forwards every chunk again, this time with the graph, and back-propagates
/// <c>∂L/∂E[chunk]</c> through it, so that the parameter gradients accumulate to exactly those of one
/// full-batch backward. Cost: two forward passes and one backward, about 1.3× a plain step when the network
/// dominates (the paper's figure). Peak activation memory: one chunk (plus E and ∂L/∂E, N × d each, and
/// whatever the loss itself needs).
/// </para>
/// </summary>
/// <remarks>
/// <para>
/// <b>Stage 3 must reproduce stage 1.</b> The gradient is exact only if re-forwarding a chunk gives the
/// embeddings stage 1 gave, which holds for any deterministic model.
/// </para>
/// <para>
/// <b>BatchNorm</b> in training mode normalises each chunk with that chunk's own statistics, in both passes:
/// the two passes agree, so the step is consistent, but the result is that of a network whose BatchNorm
/// sees batches of <c>chunkSize</c> rows, not of a full-batch BatchNorm over all N rows. The running
/// statistics are updated in both passes (twice per chunk per step), as in the official code, which also
/// runs stage 1 in training mode. A last chunk of a single row (N mod chunkSize = 1) makes training-mode
/// BatchNorm fail; choose the chunk size to avoid it.
/// </para>
/// <para>
/// <b>Dropout</b> would draw new masks in stage 3, so the re-forwarded chunk would differ from the one the
/// loss saw and the gradient would be wrong. That is not supported: <see cref="Step"/> throws an
/// <see cref="ArgumentException"/> when the model contains a TorchSharp dropout module
/// (Dropout, Dropout1d/2d/3d, AlphaDropout, FeatureAlphaDropout) in training mode with p &gt; 0. Put such
/// modules in eval mode (<c>module.eval()</c>) or set their p to 0. Dropout called functionally inside a
/// custom <c>forward</c> (or any other randomness there) cannot be detected and must not be used.
/// </para>
/// <para>
/// Gradients accumulate into the parameters' <c>.grad</c> (and into the inputs' if they require grad, and into
/// any other leaf the loss reaches, e.g. learnable proxies); the caller zeroes the gradients before the step
/// and calls <c>optimizer.step()</c> after it, as after a plain <c>loss.backward()</c>.
/// </para>
/// </remarks>
public static class MultistageBackprop
{
    /// <summary>
    /// Runs the three stages on <paramref name="inputs"/> (N rows) and returns the loss value.
    /// </summary>
    /// <param name="model">The embedding network; called on row chunks of <paramref name="inputs"/>, it must return one row per input row.</param>
    /// <param name="inputs">The batch, N rows along dimension 0 (any trailing shape the model accepts).</param>
    /// <param name="lossOfEmbeddings">The loss of the full [N, …] embedding tensor; must return a one-element tensor
    /// that depends on its argument. Its temporaries are disposed after stage 2; it must not keep the tensor it receives.</param>
    /// <param name="chunkSize">Rows per forward chunk (the paper's <c>bs_base</c>, e.g. 200); the last chunk holds the rest.</param>
    /// <returns>The loss value (one host synchronisation per step).</returns>
    /// <exception cref="ArgumentException">Bad arguments, or a dropout module active in the model.</exception>
    /// <exception cref="InvalidOperationException">The loss does not depend on the embeddings, or the model's output
    /// shape changes between chunks or passes.</exception>
    public static double Step(nn.Module<Tensor, Tensor> model, Tensor inputs, Func<Tensor, Tensor> lossOfEmbeddings, long chunkSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(lossOfEmbeddings);
        if (chunkSize < 1) throw new ArgumentOutOfRangeException(nameof(chunkSize), chunkSize, "The chunk size must be at least 1.");
        if (inputs.dim() < 1 || inputs.shape[0] < 1)
            throw new ArgumentException($"The inputs need at least one row along dimension 0; got shape [{string.Join(", ", inputs.shape)}].", nameof(inputs));
        RequireNoActiveDropout(model);

        long rows = inputs.shape[0];
        using var stepScope = NewDisposeScope();
        var embeddings = ForwardWithoutGraph(model, inputs, rows, chunkSize);          // stage 1
        var (value, embeddingGrad) = LossGradient(embeddings, lossOfEmbeddings);        // stage 2
        var shape = embeddings.shape;
        embeddings.Dispose(); // ∂L/∂E keeps its own reference; E itself is no longer needed
        BackwardThroughChunks(model, inputs, embeddingGrad, shape, rows, chunkSize);     // stage 3
        return value;
    }

    /// <summary>Stage 1: forward chunk by chunk under no_grad into one preallocated [N, …] buffer.</summary>
    private static Tensor ForwardWithoutGraph(nn.Module<Tensor, Tensor> model, Tensor inputs, long rows, long chunkSize)
    {
        using var noGrad = no_grad();
        Tensor? embeddings = null;
        for (long start = 0; start < rows; start += chunkSize)
        {
            long length = Math.Min(chunkSize, rows - start);
            using var chunkScope = NewDisposeScope();
            var output = model.call(inputs.narrow(0, start, length));
            if (embeddings is null)
            {
                RequireRows(output, length, "stage 1");
                var shape = output.shape;
                shape[0] = rows;
                embeddings = empty(shape, dtype: output.dtype, device: output.device).MoveToOuterDisposeScope();
            }
            RequireChunkShape(output, embeddings.shape, length, "stage 1");
            embeddings.narrow(0, start, length).copy_(output);
        }
        return embeddings!;
    }

    /// <summary>Stage 2: the loss on E as a leaf and ∂L/∂E (registered in the caller's scope).</summary>
    private static (double Value, Tensor Gradient) LossGradient(Tensor embeddings, Func<Tensor, Tensor> lossOfEmbeddings)
    {
        using var gradMode = enable_grad();
        embeddings.requires_grad_(true);
        using var scope = NewDisposeScope();
        var loss = lossOfEmbeddings(embeddings)
            ?? throw new InvalidOperationException("The loss function returned null.");
        if (loss.numel() != 1)
            throw new ArgumentException($"The loss must be a one-element tensor; got shape [{string.Join(", ", loss.shape)}].", nameof(lossOfEmbeddings));
        if (!loss.requires_grad)
            throw new InvalidOperationException("The loss does not depend on the embeddings (it does not require grad): there is nothing to back-propagate.");
        loss.backward();
        double value = loss.detach().to_type(ScalarType.Float64).cpu().item<double>();
        var gradient = embeddings.grad
            ?? throw new InvalidOperationException("The loss does not depend on the embeddings: ∂L/∂E is undefined.");
        return (value, gradient.MoveToOuterDisposeScope());
    }

    /// <summary>Stage 3: re-forward each chunk with the graph and back-propagate its slice of ∂L/∂E.</summary>
    private static void BackwardThroughChunks(nn.Module<Tensor, Tensor> model, Tensor inputs, Tensor embeddingGrad, long[] shape, long rows, long chunkSize)
    {
        using var gradMode = enable_grad();
        for (long start = 0; start < rows; start += chunkSize)
        {
            long length = Math.Min(chunkSize, rows - start);
            using var chunkScope = NewDisposeScope();
            var output = model.call(inputs.narrow(0, start, length));
            RequireChunkShape(output, shape, length, "stage 3");
            if (!output.requires_grad) return; // nothing trainable upstream (frozen model, constant inputs)
            output.backward(new[] { embeddingGrad.narrow(0, start, length) });
        }
    }

    private static void RequireRows(Tensor output, long length, string stage)
    {
        if (output.dim() < 1 || output.shape[0] != length)
            throw new InvalidOperationException(
                $"Multistage backpropagation ({stage}): the model returned shape [{string.Join(", ", output.shape)}] for a chunk of {length} rows; it must return one row per input row.");
    }

    private static void RequireChunkShape(Tensor output, long[] fullShape, long length, string stage)
    {
        RequireRows(output, length, stage);
        var shape = output.shape;
        bool same = shape.Length == fullShape.Length;
        for (int d = 1; same && d < shape.Length; d++) same = shape[d] == fullShape[d];
        if (!same)
            throw new InvalidOperationException(
                $"Multistage backpropagation ({stage}): a chunk's output has shape [{string.Join(", ", shape)}], unlike the embeddings [{string.Join(", ", fullShape)}]; the model must map every chunk the same way.");
    }

    /// <summary>Dropout redraws its masks in stage 3, so the re-forwarded embeddings would differ: refuse it.</summary>
    private static void RequireNoActiveDropout(nn.Module<Tensor, Tensor> model)
    {
        foreach (var (name, module) in model.named_modules().Prepend((string.Empty, model)))
        {
            if (!module.training) continue;
            double p = module switch
            {
                Dropout d => d.p,
                Dropout1d d => d.p,
                Dropout2d d => d.p,
                Dropout3d d => d.p,
                AlphaDropout d => d.p,
                FeatureAlphaDropout d => d.p,
                _ => 0,
            };
            if (p > 0)
            {
                string where = string.IsNullOrEmpty(name) ? "the model itself" : $"'{name}'";
                throw new ArgumentException(
                    $"Multistage backpropagation cannot replay dropout: {where} is a {module.GetType().Name} (p = {p}) in training mode, "
                    + "so stage 3 would draw different masks than stage 1 and the gradient would be wrong. "
                    + "Put the dropout modules in eval mode (module.eval()) or set p = 0 for the step.", nameof(model));
            }
        }
    }
}
