using System;
using System.Globalization;
using System.IO;

namespace MetricLoss.Benchmarks;

/// <summary>
/// The process's resident memory as Linux reports it, for the peak-memory modes: native tensor memory is
/// invisible to BenchmarkDotNet's MemoryDiagnoser, so peaks are read from /proc/self/status (VmHWM).
/// </summary>
internal static class ProcessMemory
{
    /// <summary>Resets VmHWM to the current VmRSS (writing "5" to clear_refs) and returns that value (kB).</summary>
    public static long ResetPeak()
    {
        File.WriteAllText("/proc/self/clear_refs", "5");
        return ReadStatus("VmHWM");
    }

    /// <summary>A field of /proc/self/status in kB (VmHWM, VmRSS).</summary>
    public static long ReadStatus(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
            {
                // "VmHWM:\t  123456 kB"; from 10 GB on no space is left after the tab.
                var parts = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                return long.Parse(parts[1], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/proc/self/status has no {field}.");
    }

    public static double Megabytes(long kilobytes) => kilobytes * 1024 / 1e6;
}
