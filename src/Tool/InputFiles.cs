using System;
using System.IO;

namespace MetricLoss.Tool;

/// <summary>Reading the user's files: every failure is a usage error that names the file, never a stack trace.</summary>
internal static class InputFiles
{
    /// <summary>Checks that <paramref name="path"/> is an existing file, then reads it with <paramref name="read"/>.</summary>
    public static T Read<T>(string path, Func<string, T> read)
    {
        if (Directory.Exists(path)) throw new UsageException($"`{path}` is a directory; expected a file");
        if (!File.Exists(path)) throw new UsageException($"file not found: {path}");
        try
        {
            return read(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Unreadable, or gone between the check and the read.
            throw new UsageException($"cannot read {path}: {exception.Message}");
        }
    }
}
