using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;
using Xunit.Sdk;

namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>
/// A small snapshot helper (Verify.Xunit cannot be restored in this environment).
/// </summary>
/// <remarks>
/// <para>Snapshots live in a <c>Snapshots/</c> folder next to the calling test file. If the
/// compile-time path of that file does not exist on this machine (path maps, a copied build),
/// the folder next to the test project's <c>*.csproj</c> is used instead.</para>
/// <para>File names:</para>
/// <list type="bullet">
/// <item><see cref="Verify"/>: <c>{TestClass}.{TestMethod}[_{parameter}]#{HintName}.verified.cs</c>,
/// where only a trailing <c>.cs</c> is stripped from the hint name, so <c>F1.g.cs</c> gives
/// <c>#F1.g.verified.cs</c>. Stripping only <c>.cs</c> keeps <c>F1.cs</c> and <c>F1.g.cs</c> apart.</item>
/// <item><see cref="VerifyText"/>: <c>{TestClass}.{TestMethod}[_{parameter}].verified.{extension}</c>.</item>
/// </list>
/// <para>Texts are compared after normalisation: LF line ends, no BOM, exactly one trailing newline.
/// On a difference a <c>.received.</c> file is written beside the verified one and the test fails.
/// With <c>SNAPSHOT_ACCEPT=1</c> (ignored when <c>CI=true</c>) the verified files are overwritten instead.</para>
/// </remarks>
public static class Snapshot
{
    private const string SnapshotFolder = "Snapshots";
    private const int MaxChangedDiffLines = 40;
    private const int DiffContextLines = 2;

    // UTF-8 without BOM, so snapshot files are byte-identical on every platform.
    private static readonly Encoding Utf8NoBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    // A fixed set rather than Path.GetInvalidFileNameChars(), which differs between operating systems.
    private static readonly char[] UnsafeFileNameChars = ['/', '\\', ':', '*', '?', '"', '<', '>', '|', '#'];

    /// <summary>Verifies a set of generated files (hint name → source text) against the snapshots of one test.</summary>
    public static void Verify(
        IReadOnlyDictionary<string, string> generatedByHintName,
        [CallerFilePath] string callerFile = "",
        [CallerMemberName] string testName = "",
        string? parameter = null)
    {
        VerifyIn(SnapshotDirectory(callerFile), BaseName(callerFile, testName, parameter), generatedByHintName, AcceptRequested());
    }

    /// <summary>Verifies one text (for example a diagnostics listing) against a snapshot.</summary>
    public static void VerifyText(
        string text,
        string extension = "txt",
        [CallerFilePath] string callerFile = "",
        [CallerMemberName] string testName = "",
        string? parameter = null)
    {
        VerifyTextIn(SnapshotDirectory(callerFile), BaseName(callerFile, testName, parameter), text, extension, AcceptRequested());
    }

    /// <summary>The core of <see cref="Verify"/>, with the folder and accept mode explicit so tests can use a temporary folder.</summary>
    internal static void VerifyIn(string directory, string baseName, IReadOnlyDictionary<string, string> files, bool accept)
    {
        var problems = new List<string>();
        var expectedVerified = new HashSet<string>(StringComparer.Ordinal);

        // Ordinal order keeps the failure message identical from run to run.
        foreach (var hintName in files.Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            var stem = $"{baseName}#{SafeName(StripCsExtension(hintName))}";
            var verifiedPath = Path.Combine(directory, stem + ".verified.cs");
            if (!expectedVerified.Add(Path.GetFileName(verifiedPath)))
            {
                throw new ArgumentException($"Hint name '{hintName}' maps to the same snapshot file as another hint name: {verifiedPath}", nameof(files));
            }

            var problem = CompareOne(verifiedPath, Path.Combine(directory, stem + ".received.cs"), files[hintName], accept);
            if (problem is not null)
            {
                problems.Add(problem);
            }
        }

        // Verified files of this test whose hint name is no longer generated. '#' never occurs in a
        // base name, so "{baseName}#" cannot match the snapshots of another test or parameter.
        foreach (var stale in ListFiles(directory, $"{baseName}#*.verified.cs"))
        {
            if (expectedVerified.Contains(Path.GetFileName(stale)))
            {
                continue;
            }

            if (accept)
            {
                File.Delete(stale);
            }
            else
            {
                problems.Add($"Stale snapshot (its hint name is no longer generated): {stale}");
            }
        }

        if (problems.Count == 0)
        {
            // Received files of hint names that are gone would otherwise linger forever.
            foreach (var received in ListFiles(directory, $"{baseName}#*.received.cs"))
            {
                File.Delete(received);
            }
        }

        ThrowIfAny(problems);
    }

    /// <summary>The core of <see cref="VerifyText"/>, with the folder and accept mode explicit.</summary>
    internal static void VerifyTextIn(string directory, string baseName, string text, string extension, bool accept)
    {
        extension = extension.TrimStart('.');
        var problem = CompareOne(
            Path.Combine(directory, $"{baseName}.verified.{extension}"),
            Path.Combine(directory, $"{baseName}.received.{extension}"),
            text,
            accept);
        ThrowIfAny(problem is null ? [] : [problem]);
    }

    /// <summary>LF line ends, no BOM, exactly one trailing newline.</summary>
    internal static string Normalize(string text)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return text.TrimEnd('\n') + "\n";
    }

    /// <summary>Compares one text with its verified file; returns a problem description, or null when it matches (or was accepted).</summary>
    private static string? CompareOne(string verifiedPath, string receivedPath, string actual, bool accept)
    {
        var received = Normalize(actual);
        var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;

        if (verified == received || accept)
        {
            if (verified != received)
            {
                Write(verifiedPath, received);
            }

            File.Delete(receivedPath); // no-op when absent
            return null;
        }

        Write(receivedPath, received);
        if (verified is null)
        {
            return $"Missing snapshot: {verifiedPath}\n  received: {receivedPath}";
        }

        return $"Snapshot mismatch: {verifiedPath}\n"
            + $"  received: {receivedPath}\n"
            + $"  first difference at line {FirstDifferentLine(verified, received).ToString(CultureInfo.InvariantCulture)}\n"
            + Diff(verified, received);
    }

    private static void ThrowIfAny(IReadOnlyList<string> problems)
    {
        if (problems.Count == 0)
        {
            return;
        }

        var message = new StringBuilder();
        foreach (var problem in problems)
        {
            message.Append(problem.TrimEnd('\n')).Append("\n\n");
        }

        message.Append("Review the .received files, then rerun with SNAPSHOT_ACCEPT=1 to accept them.");
        throw new XunitException(message.ToString());
    }

    /// <summary>1-based number of the first line that differs (one past the end of the shorter text if one is a prefix of the other).</summary>
    internal static int FirstDifferentLine(string verified, string received)
    {
        var a = verified.Split('\n');
        var b = received.Split('\n');
        var i = 0;
        while (i < a.Length && i < b.Length && a[i] == b[i])
        {
            i++;
        }

        return i + 1;
    }

    /// <summary>A unified-style diff ('-' verified, '+' received) with a little context, capped at a few dozen changed lines.</summary>
    private static string Diff(string verified, string received)
    {
        // Whitespace must count: a snapshot differing only in indentation is still a difference.
        var lines = new InlineDiffBuilder(new Differ()).BuildDiffModel(verified.TrimEnd('\n'), received.TrimEnd('\n'), ignoreWhitespace: false).Lines;

        bool IsChange(int index) => lines[index].Type is ChangeType.Inserted or ChangeType.Deleted or ChangeType.Modified;
        bool NearChange(int index)
        {
            for (var j = Math.Max(0, index - DiffContextLines); j <= Math.Min(lines.Count - 1, index + DiffContextLines); j++)
            {
                if (IsChange(j))
                {
                    return true;
                }
            }

            return false;
        }

        var diff = new StringBuilder().Append("  --- verified").Append('\n').Append("  +++ received").Append('\n');
        var changed = 0;
        var skipped = false;
        for (var i = 0; i < lines.Count; i++)
        {
            if (!NearChange(i))
            {
                skipped = true;
                continue;
            }

            if (IsChange(i) && changed == MaxChangedDiffLines)
            {
                var remaining = Enumerable.Range(i, lines.Count - i).Count(IsChange);
                diff.Append("  ... ").Append(remaining.ToString(CultureInfo.InvariantCulture)).Append(" more changed lines").Append('\n');
                break;
            }

            if (skipped)
            {
                diff.Append("  ...").Append('\n');
                skipped = false;
            }

            var prefix = lines[i].Type switch
            {
                ChangeType.Inserted => "+ ",
                ChangeType.Deleted => "- ",
                _ => "  ",
            };
            diff.Append("  ").Append(prefix).Append(lines[i].Text).Append('\n');
            changed += IsChange(i) ? 1 : 0;
        }

        return diff.ToString();
    }

    private static void Write(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text, Utf8NoBom);
    }

    // Ordinal sort: Directory.GetFiles order is file-system dependent.
    private static IEnumerable<string> ListFiles(string directory, string pattern) =>
        Directory.Exists(directory)
            ? Directory.GetFiles(directory, pattern).OrderBy(p => p, StringComparer.Ordinal)
            : [];

    private static bool AcceptRequested() =>
        Environment.GetEnvironmentVariable("SNAPSHOT_ACCEPT") == "1"
        && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string BaseName(string callerFile, string testName, string? parameter)
    {
        // Split on both separators: the caller path may come from a build on another operating system.
        var fileName = callerFile[(callerFile.LastIndexOfAny(['/', '\\']) + 1)..];
        var testClass = Path.GetFileNameWithoutExtension(fileName);
        if (testClass.Length == 0 || testName.Length == 0)
        {
            throw new ArgumentException("The caller file and test name are needed to name a snapshot.");
        }

        var baseName = $"{testClass}.{testName}";
        return string.IsNullOrEmpty(parameter) ? SafeName(baseName) : SafeName($"{baseName}_{parameter}");
    }

    private static string SnapshotDirectory(string callerFile)
    {
        if (callerFile.Length > 0 && File.Exists(callerFile))
        {
            return Path.Combine(Path.GetDirectoryName(callerFile)!, SnapshotFolder);
        }

        // The source path is not on this machine (e.g. a path-mapped deterministic build):
        // fall back to the test project folder, found by walking up from the test binaries.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (dir.EnumerateFiles("*.csproj").Any())
            {
                return Path.Combine(dir.FullName, SnapshotFolder);
            }
        }

        throw new InvalidOperationException($"Cannot find the snapshot folder: '{callerFile}' does not exist and no *.csproj is above {AppContext.BaseDirectory}.");
    }

    private static string StripCsExtension(string hintName) =>
        hintName.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) ? hintName[..^3] : hintName;

    private static string SafeName(string name)
    {
        var chars = name.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (Array.IndexOf(UnsafeFileNameChars, chars[i]) >= 0 || char.IsControl(chars[i]))
            {
                chars[i] = '_';
            }
        }

        return new string(chars);
    }
}
