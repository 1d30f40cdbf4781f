using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>
/// The body of a chunk: given the leaf tensors (inputs and earlier statements the reduction reads) and a
/// range [start, start + length) of the chunk axis, the reduction's value on that range. A leaf with a slice
/// dimension arrives already narrowed to the chunk; the others arrive whole. Generated code writes these as lambdas
/// (<see cref="ChunkedReduction.Reduce"/>).
/// </summary>
/// <param name="leaves">The leaves, in the order given to <see cref="ChunkedReduction.Reduce"/>.</param>
/// <param name="start">The first position of the chunk along the chunk axis.</param>
/// <param name="length">The number of positions in the chunk (the last chunk may be shorter).</param>
/// <returns>The chunk's part of the result: its rows of it (<see cref="ChunkCombine.Concatenate"/>) or a term of it
/// (<see cref="ChunkCombine.Sum"/>).</returns>
[EditorBrowsable(EditorBrowsableState.Never)]
public delegate Tensor ChunkBody(Tensor[] leaves, long start, long length);

/// <summary>
/// A reduction over a pairwise (or larger) term computed chunk by chunk along one axis, so that no
/// intermediate exceeds the element budget. In the surrogate it is a custom autograd function that keeps
/// nothing but its leaves: backward recomputes each chunk with the graph on and back-propagates it alone
/// (checkpointing; docs/architecture.md "chunk planning": chunking the forward alone does not bound the memory
/// of backward, because autograd would keep every chunk's intermediates).
/// <para>
/// Within the budget, the work is done in blocks (<see cref="BlockLength"/>): when the whole reduction fits the budget
/// its blocks' graphs are kept, as a hand-written loss keeps its graph; otherwise each block is recomputed in backward.
/// </para>
/// <para>
/// Leaves that the body reads only through the chunk's rows (a slice dimension ≥ 0) are handed to it narrowed,
/// and backward takes their gradient with respect to that narrowed view, accumulating it into the rows of the
/// whole gradient. A gradient with respect to the whole leaf would make autograd materialise a dense
/// leaf-sized gradient per chunk (zeros plus the chunk's rows): O(size²) memory traffic per step instead of
/// O(size).
/// </para>
/// <para>Called by generated code (a reduction over axes no input spans, architecture.md "Emit"); public only for that.</para>
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChunkedReduction : autograd.SingleTensorFunction<ChunkedReduction>
{
    /// <summary>The autograd function's name, as it appears in the graph (<c>grad_fn</c>).</summary>
    public override string Name => "MetricLoss.ChunkedReduction";

    /// <summary>Runs the chunks; differentiable through the leaves when <paramref name="differentiable"/>.</summary>
    /// <param name="body">The reduction's value on one range of the chunk axis.</param>
    /// <param name="leaves">The tensors the body reads: inputs and earlier statements.</param>
    /// <param name="slices">Per leaf, the dimension the chunk narrows (the chunk axis), or −1 for a leaf read whole.</param>
    /// <param name="size">The size of the chunk axis.</param>
    /// <param name="chunk">How many positions of the chunk axis the memory budget allows at once (<see cref="ChunkLength"/>).</param>
    /// <param name="budget">That budget, Options.MaxPairwiseElements: it scales the chunk to a CPU block (<see cref="BlockLength"/>).</param>
    /// <param name="dim">The result's dimension along which <see cref="ChunkCombine.Concatenate"/> joins the chunks.</param>
    /// <param name="combine">How the chunks' results make the whole.</param>
    /// <param name="differentiable">False in the exact program: no graph, whatever the leaves require.</param>
    /// <returns>The whole reduction, as the body would give it on the full range [0, <paramref name="size"/>).</returns>
    /// <exception cref="ArgumentException"><paramref name="slices"/> and <paramref name="leaves"/> differ in length.</exception>
    public static Tensor Reduce(ChunkBody body, Tensor[] leaves, long[] slices, long size, long chunk, long budget, long dim, ChunkCombine combine, bool differentiable)
    {
        if (slices.Length != leaves.Length) throw new ArgumentException($"{leaves.Length} leaves but {slices.Length} slice dimensions.", nameof(slices));
        HandedToAutograd.Release();
        if (leaves.Any(l => l.device_type == DeviceType.CPU)) CpuHeap.SteadyThresholds();
        // A graph kept for backward keeps every block's buffers alive anyway: there blocks are as large as the old
        // rule allowed (CpuHeap.KeptBlockBytes), fewer and faster; blocks that are freed at once are small (BlockBytes).
        var keepsGraph = chunk >= size && differentiable && is_grad_enabled() && leaves.Any(l => l.requires_grad);
        var block = BlockLength(leaves, chunk, budget, keepsGraph);
        if (chunk >= size)
        {
            // Everything fits the budget: one graph, kept for backward, as a hand-written loss would keep it. Each
            // block still runs in its own dispose scope, so the intermediates autograd does not keep (a difference
            // before its sigmoid, say) are freed when the block ends, not when the whole call does.
            return Run(body, leaves, slices, size, block, dim, combine);
        }
        if (!differentiable || !leaves.Any(l => l.requires_grad))
        {
            using var noGrad = no_grad();
            return Run(body, leaves, slices, size, block, dim, combine);
        }
        var arguments = new object[] { body, slices, size, block, dim, combine }.Concat(leaves).ToArray();
        var output = apply(arguments);
        // apply wrapped forward's result in a handle of its own and never disposes the one forward returned.
        HandedToAutograd.Release();
        return output;
    }

    /// <summary>
    /// The positions computed at once: the memory chunk, and on the CPU at most what keeps each intermediate within
    /// <see cref="CpuHeap.BlockBytes"/> (2 MiB), so that a block's buffers, all of them together, stay resident in
    /// the heap and the next block reuses them (<see cref="CpuHeap"/>); when the blocks' graphs are kept for backward
    /// (<paramref name="keepsGraph"/>), within <see cref="CpuHeap.KeptBlockBytes"/>. On CUDA the caching allocator
    /// reuses blocks by itself, and fewer, larger kernels are better: there the block is the chunk.
    /// </summary>
    public static long BlockLength(Tensor[] leaves, long chunk, long budget, bool keepsGraph = false)
    {
        var floating = leaves.Where(l => l.is_floating_point()).ToList();
        if (floating.Count == 0 || floating[0].device_type != DeviceType.CPU) return chunk;
        var elementBytes = floating.Max(l => l.element_size());
        var blockElements = (keepsGraph ? CpuHeap.KeptBlockBytes : CpuHeap.BlockBytes) / elementBytes;
        if (blockElements >= budget) return chunk;
        return Math.Max(1, Math.Min(chunk, (long)Math.Floor(chunk * (double)blockElements / budget)));
    }

    /// <summary>The leaves as one chunk's body sees them: sliced leaves narrowed to [start, start + length).</summary>
    private static Tensor[] ChunkLeaves(Tensor[] leaves, long[] slices, long start, long length) =>
        leaves.Select((leaf, k) => slices[k] >= 0 ? leaf.narrow(slices[k], start, length) : leaf).ToArray();

    /// <summary>
    /// The autograd forward (called through <c>apply</c> by <see cref="Reduce"/>): runs the chunks without a graph and
    /// saves the leaves and the layout for <see cref="backward"/>.
    /// </summary>
    /// <param name="ctx">The autograd context.</param>
    /// <param name="vars">body, slices, size, chunk, dim, combine, then the leaves, as <see cref="Reduce"/> packs them.</param>
    /// <returns>The whole reduction.</returns>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (body, slices, size, chunk, dim, combine, leaves) = Unpack(vars);
        ctx.save_for_backward(leaves.ToList());
        ctx.save_data("body", body);
        ctx.save_data("slices", slices);
        ctx.save_data("layout", new[] { size, chunk, dim, (long)combine });
        ctx.save_data("needsGrad", leaves.Select(l => l.requires_grad).ToArray());
        return HandedToAutograd.Keep(Run(body, leaves, slices, size, chunk, dim, combine));
    }

    /// <summary>
    /// The autograd backward: recomputes each chunk with the graph on and back-propagates its part of
    /// <paramref name="gradOutput"/> alone, so at most one chunk's graph exists at a time.
    /// </summary>
    /// <param name="ctx">The context <see cref="forward"/> filled.</param>
    /// <param name="gradOutput">The gradient of the loss with respect to the result.</param>
    /// <returns>One gradient per argument of <see cref="forward"/>: null for the six layout arguments, then one per leaf
    /// (null for a leaf that needs none).</returns>
    /// <remarks>
    /// Every handle this makes outside its blocks' scopes is disposed here or, for the gradients it returns, on the
    /// thread's next call (<see cref="HandedToAutograd"/>): backward runs in the caller's dispose scope, or in none,
    /// and would otherwise leave the saved leaves, the incoming gradient and its own results to the finalizer.
    /// </remarks>
    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        HandedToAutograd.Release();
        var leaves = ctx.get_saved_variables().ToArray();
        try
        {
            var grads = Backward(ctx, leaves, gradOutput);
            var result = new List<Tensor> { null!, null!, null!, null!, null!, null! };
            result.AddRange(grads.Select(g => g is null ? null! : HandedToAutograd.Keep(g)));
            return result;
        }
        finally
        {
            foreach (var leaf in leaves) leaf.Dispose();
            gradOutput.Dispose();
        }
    }

    private static Tensor?[] Backward(autograd.AutogradContext ctx, Tensor[] leaves, Tensor gradOutput)
    {
        var body = (ChunkBody)ctx.get_data("body");
        var slices = (long[])ctx.get_data("slices");
        var layout = (long[])ctx.get_data("layout");
        var needsGrad = (bool[])ctx.get_data("needsGrad");
        var (size, chunk, dim, combine) = (layout[0], layout[1], layout[2], (ChunkCombine)layout[3]);
        // The gradients are allocated before the first block, so that no long-lived buffer is made among the
        // blocks' intermediates (CpuHeap); the blocks add into them (0 + g is g). A leaf no block reaches gets none.
        var grads = leaves.Select((leaf, k) => needsGrad[k] ? zeros_like(leaf) : null).ToArray();
        var reached = new bool[leaves.Length];

        for (var start = 0L; start < size; start += chunk)
        {
            var length = Math.Min(chunk, size - start);
            using var scope = NewDisposeScope();
            using var enabled = enable_grad();
            var inputs = ChunkLeaves(leaves, slices, start, length)
                .Select((leaf, k) => needsGrad[k] ? leaf.detach().requires_grad_(true) : leaf.detach()).ToArray();
            var output = body(inputs, start, length);
            // Each chunk's output is a slice of the result (concatenate) or a term of it (sum).
            var outputGrad = combine == ChunkCombine.Concatenate ? gradOutput.narrow(dim, start, length) : gradOutput;
            var targets = Enumerable.Range(0, inputs.Length).Where(k => needsGrad[k]).ToList();
            var chunkGrads = autograd.grad(new[] { output }, targets.Select(k => inputs[k]).ToList(), new[] { outputGrad }, allow_unused: true);
            for (var t = 0; t < targets.Count; t++)
            {
                var g = chunkGrads[t];
                if (g is null) continue;
                var k = targets[t];
                // The chunks' rows are disjoint: each chunk writes its own rows of a sliced leaf's gradient.
                var target = slices[k] >= 0 ? grads[k]!.narrow(slices[k], start, length) : grads[k]!;
                target.add_(g, KeptScalars.One);
                reached[k] = true;
            }
        }
        for (var k = 0; k < grads.Length; k++)
        {
            if (reached[k]) continue;
            grads[k]?.Dispose();
            grads[k] = null;
        }
        return grads;
    }

    private static Tensor Run(ChunkBody body, Tensor[] leaves, long[] slices, long size, long chunk, long dim, ChunkCombine combine)
    {
        if (size <= chunk)
        {
            using var scope = NewDisposeScope();
            return body(ChunkLeaves(leaves, slices, 0, size), 0, size).MoveToOuterDisposeScope();
        }
        return is_grad_enabled() && leaves.Any(l => l.requires_grad)
            ? RunKeepingParts(body, leaves, slices, size, chunk, dim, combine)
            : RunInto(body, leaves, slices, size, chunk, dim, combine);
    }

    /// <summary>With a graph: the parts are nodes of it and live until backward anyway, so they are combined at the end.</summary>
    private static Tensor RunKeepingParts(ChunkBody body, Tensor[] leaves, long[] slices, long size, long chunk, long dim, ChunkCombine combine)
    {
        var parts = new List<Tensor>();
        for (var start = 0L; start < size; start += chunk)
        {
            var length = Math.Min(chunk, size - start);
            using var scope = NewDisposeScope();
            var part = body(ChunkLeaves(leaves, slices, start, length), start, length);
            parts.Add(part.MoveToOuterDisposeScope());
        }
        try
        {
            return combine == ChunkCombine.Concatenate ? cat(parts, dim) : stack(parts).sum(new long[] { 0 }, false);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    /// <summary>
    /// Without a graph: each block's part is copied into the result and freed with its block, so that nothing made
    /// during a block outlives it (CpuHeap). The result holds the same values as <see cref="RunKeepingParts"/>:
    /// the parts concatenated, or stacked and summed along the new axis.
    /// </summary>
    private static Tensor RunInto(ChunkBody body, Tensor[] leaves, long[] slices, long size, long chunk, long dim, ChunkCombine combine)
    {
        var blocks = (size + chunk - 1) / chunk;
        Tensor? result = null;
        try
        {
            for (var start = 0L; start < size; start += chunk)
            {
                var length = Math.Min(chunk, size - start);
                Tensor part;
                using (var scope = NewDisposeScope())
                {
                    part = body(ChunkLeaves(leaves, slices, start, length), start, length).MoveToOuterDisposeScope();
                }
                using (part)
                {
                    // Allocated once the first block's intermediates are freed, so that it does not sit among them.
                    result ??= combine == ChunkCombine.Concatenate
                        ? empty(part.shape.Select((extent, d) => d == dim ? size : extent).ToArray(), dtype: part.dtype, device: part.device)
                        : empty(new[] { blocks }.Concat(part.shape).ToArray(), dtype: part.dtype, device: part.device);
                    using var slot = combine == ChunkCombine.Concatenate ? result.narrow(dim, start, length) : result.select(0, start / chunk);
                    slot.copy_(part);
                }
            }
            if (combine == ChunkCombine.Concatenate) return result!;
            using (result) return result!.sum(new long[] { 0 }, false);
        }
        catch
        {
            result?.Dispose();
            throw;
        }
    }

    private static (ChunkBody Body, long[] Slices, long Size, long Chunk, long Dim, ChunkCombine Combine, Tensor[] Leaves) Unpack(object[] vars) =>
        ((ChunkBody)vars[0], (long[])vars[1], (long)vars[2], (long)vars[3], (long)vars[4], (ChunkCombine)vars[5], vars.Skip(6).Cast<Tensor>().ToArray());

    /// <summary>
    /// How many positions of the chunk axis fit in the budget: each argument is the shape of one intermediate of
    /// the body without the chunk axis, and the largest of them decides (the others are smaller per position).
    /// </summary>
    public static long ChunkLength(long budget, params long[][] intermediateShapes)
    {
        double perPosition = 1;
        foreach (var shape in intermediateShapes)
        {
            double elements = 1;
            foreach (var size in shape) elements *= size;
            perPosition = Math.Max(perPosition, elements);
        }
        return Math.Max(1, (long)Math.Floor(budget / perPosition));
    }
}
