using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MetricLoss.Tool.Generation;

/// <summary>A .metric file read from disk, under the path the user gave (diagnostics print that path).</summary>
internal sealed record MetricFile(string Path, string Text)
{
    /// <summary>Reads every file, or fails before any is compiled: a half-checked set would mislead CI.</summary>
    /// <exception cref="UsageException">A path is not a .metric file, is missing, or is given twice.</exception>
    public static IReadOnlyList<MetricFile> ReadAll(IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            // The generator takes only *.metric AdditionalFiles; anything else would be silently skipped.
            if (!path.EndsWith(".metric", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException($"`{path}` is not a .metric file");
            }
            if (!File.Exists(path)) throw new UsageException($"file not found: {path}");
        }
        var duplicate = paths.GroupBy(p => System.IO.Path.GetFullPath(p)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new UsageException($"`{duplicate.First()}` is given twice");
        return paths.Select(p => new MetricFile(p, InputFiles.Read(p, File.ReadAllText))).ToList();
    }
}
