using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>
/// Tensors that a custom autograd function hands to TorchSharp and TorchSharp never disposes: the result of forward
/// (apply wraps it in a handle of its own) and the gradients backward returns (the native node copies them once
/// backward has returned: TorchSharp's <c>CSharpNode::apply</c>, src/Native/LibTorchSharp/THSAutograd.cpp). They
/// cannot be disposed before the function returns, and backward runs in the caller's dispose scope or in none, so
/// they would be left to the finalizer: 10 000 backward calls of a chunked reduction outside any scope left 80 000
/// handles. They are kept here, per thread, and disposed by the thread's next call of the function (or of
/// <see cref="ChunkedReduction.Reduce"/>), when the native side is done with them.
/// </summary>
internal static class HandedToAutograd
{
    [ThreadStatic]
    private static List<Tensor>? _pending;

    /// <summary><paramref name="tensor"/>, to be disposed by the next <see cref="Release"/> on this thread.</summary>
    public static Tensor Keep(Tensor tensor)
    {
        (_pending ??= new List<Tensor>()).Add(tensor);
        return tensor;
    }

    /// <summary>Disposes what this thread handed over before (a tensor that a dispose scope freed already is skipped).</summary>
    public static void Release()
    {
        if (_pending is not { Count: > 0 } pending) return;
        foreach (var tensor in pending) tensor.Dispose();
        pending.Clear();
    }
}
