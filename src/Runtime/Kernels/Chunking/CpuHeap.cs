using System;
using System.Threading;
using static TorchSharp.torch;

namespace MetricLoss.Runtime;

/// <summary>
/// How a chunked reduction keeps its peak resident memory bounded by its blocks on the CPU, where LibTorch allocates
/// every buffer with glibc's <c>posix_memalign</c> (c10/core/impl/alloc_cpu.cpp) and frees it when its tensor is
/// disposed. Three things, measured in docs/benchmarks.md ("Peak memory of the pairwise surrogates"):
/// <list type="number">
/// <item>Nothing made during a block outlives it: no part kept until the end, no native Scalar or tensor handle
/// left to the finalizer (<see cref="KeptScalars"/>, <see cref="HandedToAutograd"/>). glibc 2.36 (Debian 12) does not
/// reuse the hole a freed 64-byte-aligned buffer leaves for a request of the same size: memalign asks for size +
/// alignment + 32 bytes, and the remainders it splits off go to the thread cache, where they never merge
/// (https://sourceware.org/bugzilla/show_bug.cgi?id=14581; glibc's later fix, bug 30723, 2023). A small object
/// that lives on beside such a hole, such as a Scalar waiting for the finalizer, pins it for good: the heap grew by
/// about one block buffer per block, 1.9 GB for smooth RocAuc at N = 20 000 and 14 GB at 60 000, with 97 % of it
/// free (a walk of the heap found free 33 MB holes separated by live 48-byte Scalars).</item>
/// <item>A block's buffers together stay well below glibc's trim threshold (<see cref="BlockBytes"/>). Once nothing
/// pins them, the buffers freed at the end of a block merge back into the top of the heap; above the threshold glibc
/// returns that memory to the system, and the next block faults it in again, page by page (3 to 10 times slower
/// here).</item>
/// <item>The thresholds are the ones a long-running process has (<see cref="SteadyThresholds"/>).</item>
/// </list>
/// </summary>
internal static class CpuHeap
{
    /// <summary>
    /// The bytes of one intermediate of a CPU block. glibc keeps up to 64 MiB free at the top of its heap once its
    /// dynamic thresholds have risen (twice the 32 MiB mmap threshold, mallopt(3)); a body's buffers alive at once,
    /// its backward included, number about ten to twenty, so 2 MiB each keeps a block's working set below that. At
    /// N = 40 000 (docs/benchmarks.md) 2 MiB ran RocAuc as fast as 1 to 8 MiB did, within the noise, and AveragePrecision
    /// 1.5× faster than 1 MiB, whose blocks of 6 positions are too narrow for the vector units where the chunk axis
    /// is the inner one; 4 and 8 MiB were not faster, and peaked higher.
    /// </summary>
    public const long BlockBytes = 2L << 20;

    /// <summary>
    /// The bytes of one intermediate of a CPU block whose graph is kept for backward (the whole reduction within the
    /// budget): its buffers live until backward whatever their size, so there is no heap to keep reusable, and fewer,
    /// larger blocks are faster. Just under glibc's largest mmap threshold (32 MiB), above which every buffer would be
    /// mapped and faulted in afresh; the rule the ranking benchmarks were first measured with (docs/benchmarks.md).
    /// </summary>
    public const long KeptBlockBytes = (32L << 20) - (64L << 10);

    /// <summary>Just under glibc's DEFAULT_MMAP_THRESHOLD_MAX (32 MiB on 64-bit): the largest mapped buffer whose free still raises the thresholds.</summary>
    private const long PrimerBytes = (32L << 20) - (64L << 10);

    private static int _primed;

    /// <summary>
    /// Once per process: frees one mapped buffer of just under 32 MiB. glibc's mmap threshold starts at 128 KiB and
    /// rises to the size of each mapped buffer freed, up to 32 MiB, with the trim threshold at twice it (mallopt(3),
    /// "M_MMAP_THRESHOLD"). A fresh process that has freed no large tensor would otherwise trim the heap after every
    /// block. This sets nothing: where the thresholds were fixed (mallopt, MALLOC_MMAP_THRESHOLD_) glibc ignores the
    /// free, and elsewhere than glibc it is one allocation of untouched memory.
    /// </summary>
    public static void SteadyThresholds()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _primed, 1) == 1) return;
        using var primer = empty(new[] { PrimerBytes }, dtype: ScalarType.Byte);
    }
}
