using System.Runtime.InteropServices;

namespace MetricLoss.Benchmarks;

/// <summary>
/// The glibc malloc settings that the memory and timing modes fix (Linux only), in one place. Setting the mmap
/// threshold with mallopt also turns glibc's dynamic threshold off, so the setting holds whatever was freed before.
/// </summary>
internal static class GlibcMalloc
{
    private const int M_TRIM_THRESHOLD = -1;
    private const int M_MMAP_THRESHOLD = -3;

    /// <summary>The peak modes' mmap threshold: every buffer from 64 KiB up is its own mapping, unmapped on free.</summary>
    public const int PeakMmapThreshold = 64 * 1024;

    /// <summary>glibc's default trim threshold, kept by the peak modes.</summary>
    public const int DefaultTrimThreshold = 128 * 1024;

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int parameter, int value);

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    /// <summary>Fixes the mmap and trim thresholds (bytes); false when mallopt refuses either.</summary>
    public static bool SetThresholds(int mmapBytes, int trimBytes) =>
        Mallopt(M_MMAP_THRESHOLD, mmapBytes) == 1 && Mallopt(M_TRIM_THRESHOLD, trimBytes) == 1;

    /// <summary>Returns the heap's free pages to the system, so that reusing them later counts as new memory.</summary>
    public static void Trim() => MallocTrim(0);
}
