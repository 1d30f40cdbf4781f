using MetricLoss.Runtime;
using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Training;

/// <summary>
/// SiMix, similarity mixup (Patel, Tolias, Matas, "Recall@k Surrogate Loss with Large Batches and Similarity
/// Mixup", CVPR 2022; docs/surrogates.md §3.6): virtual samples that are convex combinations of two samples of the
/// same class, obtained by mixing <em>similarities</em> rather than forwarding more images.
/// </summary>
/// <remarks>
/// <para>
/// <b>Virtual samples.</b> For every class block of spc samples and every unordered pair (a, b), a &lt; b, of
/// that block there is one virtual sample v = α·x_a + (1 − α)·x_b with its own α ~ U(0, 1), as the official
/// code (<c>src/mixup.py</c> <c>pos_mixup</c>: one <c>np.random.rand()</c> per pair). For a dot-product
/// similarity s(u, w) = u·w, everything follows from the [N, N] matrix S of the originals:
/// s(v, z) = α·s(a, z) + (1 − α)·s(b, z), and s(v, v') is bilinear in (α, α'). With W the [M, N] mixing
/// matrix (a row e_i per original, α e_a + (1 − α) e_b per virtual sample) the mixed matrix is W S Wᵀ; it is
/// computed with four row/column gathers of S, never materialising an embedding (the official code mixes
/// the embeddings instead, issue #10, numerically the same). Mixing is within a class only, and the virtual
/// samples are <b>not re-normalised</b> (as the official code): with unit-norm embeddings s(v, v) &lt; 1.
/// </para>
/// <para>
/// <b>Layout</b> (as the official code: the virtual samples are inserted into their class block, after its
/// originals). Block c (c = 0 … N/spc − 1) of the output has B = spc + spc(spc − 1)/2 rows starting at c·B:
/// first the originals c·spc … c·spc + spc − 1 in their order, then the virtual samples of the pairs
/// (0, 1), (0, 2), …, (0, spc − 1), (1, 2), …, (spc − 2, spc − 1) of the block's positions, in that order. The
/// output is therefore again class-contiguous with equal blocks (spc = 4: blocks of 10; N = 4000 → M = 10 000).
/// spc = 1 gives no virtual sample (M = N, the similarities unchanged).
/// </para>
/// <para>
/// <b>Randomness.</b> The α's are drawn in float64 on the generator's device, one per pair in the layout order
/// (block by block, pairs in the order above), from <c>torch.rand</c> with the given generator, then converted
/// to the similarities' dtype and device: the same generator state gives the same α's whatever the dtype.
/// </para>
/// <para>
/// <b>Masks.</b> Virtual samples are positives of their class: pos[q, z] = class(q) = class(z) and q ≠ z.
/// valid is true everywhere except the diagonal (the query is excluded from its own list), so virtual samples
/// are queries, positives and negatives like the originals, as in the official code.
/// </para>
/// <para>
/// Reading the class labels is one host synchronisation (labels only; the similarity path has none). Memory:
/// the output is M × M.
/// </para>
/// </remarks>
public static class SiMix
{
    /// <summary>Mixes the similarities of a class-contiguous batch; see the class remarks for the exact layout.</summary>
    /// <param name="similarities">[N, N] floating similarities (dot products) of a batch laid out in class blocks.</param>
    /// <param name="classes">[N] integer class labels: equal-size contiguous blocks (the block size spc is the length of the first run).</param>
    /// <param name="generator">The generator the α's are drawn from (advanced by N/spc · spc(spc − 1)/2 draws).</param>
    /// <returns>The enlarged batch; the caller disposes it.</returns>
    /// <exception cref="ArgumentException">Wrong shapes or dtypes, or labels not in equal contiguous blocks.</exception>
    public static SiMixBatch Mix(Tensor similarities, Tensor classes, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(similarities);
        ArgumentNullException.ThrowIfNull(classes);
        ArgumentNullException.ThrowIfNull(generator);
        RequireShapes(similarities, classes);

        using var scope = NewDisposeScope();
        long[] labels = classes.detach().cpu().to_type(ScalarType.Int64).contiguous().data<long>().ToArray();
        int perClass = BlockSize(labels);
        var layout = new SiMixLayout(labels.Length, perClass);
        var device = similarities.device;
        var dtype = similarities.dtype;

        var first = tensor(layout.First, device: device);
        var second = tensor(layout.Second, device: device);
        var virtualRows = tensor(layout.VirtualRows, device: device);
        var alpha = rand(layout.VirtualRows.Length, dtype: ScalarType.Float64, device: generator.device, generator: generator)
            .to(dtype, device);

        // Row weights of W: (1, 0) for an original, (α, 1 − α) for a virtual sample.
        var weightFirst = ones(layout.Size, dtype: dtype, device: device).index_copy_(0, virtualRows, alpha);
        var weightSecond = ones_like(weightFirst).sub_(weightFirst);

        // S Wᵀ column by column: T[u, z] = w1[z]·S[u, first[z]] + w2[z]·S[u, second[z]]   ([N, M])
        var right = similarities.index_select(1, first).mul(weightFirst)
            .add_(similarities.index_select(1, second).mul(weightSecond), KeptScalars.One);
        // W (S Wᵀ) row by row: S'[q, z] = w1[q]·T[first[q], z] + w2[q]·T[second[q], z]   ([M, M])
        var mixed = right.index_select(0, first).mul(weightFirst.unsqueeze(1))
            .add_(right.index_select(0, second).mul(weightSecond.unsqueeze(1)), KeptScalars.One);

        var mixedClasses = tensor(layout.First.Select(i => labels[i]).ToArray(), device: device);
        var notSelf = eye(layout.Size, dtype: ScalarType.Bool, device: device).logical_not_();
        var positives = mixedClasses.unsqueeze(1).eq(mixedClasses.unsqueeze(0)).logical_and_(notSelf);

        return new SiMixBatch(
            mixed.MoveToOuterDisposeScope(),
            positives.MoveToOuterDisposeScope(),
            notSelf.MoveToOuterDisposeScope());
    }

    private static void RequireShapes(Tensor similarities, Tensor classes)
    {
        if (similarities.dim() != 2 || similarities.shape[0] != similarities.shape[1])
            throw new ArgumentException($"SiMix: the similarities must be a square [N, N] matrix; got [{string.Join(", ", similarities.shape)}].", nameof(similarities));
        if (!similarities.is_floating_point())
            throw new ArgumentException($"SiMix: the similarities must be floating point; got {similarities.dtype}.", nameof(similarities));
        if (similarities.shape[0] == 0)
            throw new ArgumentException("SiMix: the batch is empty.", nameof(similarities));
        if (classes.dim() != 1 || classes.shape[0] != similarities.shape[0])
            throw new ArgumentException($"SiMix: the classes must be [N] = [{similarities.shape[0]}]; got [{string.Join(", ", classes.shape)}].", nameof(classes));
        if (classes.is_floating_point() || classes.is_complex() || classes.dtype == ScalarType.Bool)
            throw new ArgumentException($"SiMix: the classes must be an integer tensor; got {classes.dtype}.", nameof(classes));
    }

    /// <summary>spc: the length of the first run of equal labels; every run must have that length.</summary>
    private static int BlockSize(long[] labels)
    {
        int perClass = 1;
        while (perClass < labels.Length && labels[perClass] == labels[0]) perClass++;
        if (labels.Length % perClass != 0)
            throw new ArgumentException($"SiMix: the batch of {labels.Length} is not a whole number of class blocks of {perClass} (the first block's size).", "classes");
        for (int start = 0; start < labels.Length; start += perClass)
        {
            for (int i = start; i < start + perClass; i++)
            {
                if (labels[i] != labels[start])
                    throw new ArgumentException($"SiMix: the classes must come in contiguous blocks of {perClass} equal labels; position {i} has {labels[i]} inside the block of {labels[start]} starting at {start}.", "classes");
            }
            if (start > 0 && labels[start] == labels[start - 1])
                throw new ArgumentException($"SiMix: the classes must come in contiguous blocks of {perClass}; the block at {start} continues the previous block's class {labels[start]}.", "classes");
        }
        return perClass;
    }
}
