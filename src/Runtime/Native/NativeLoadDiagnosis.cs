using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace MetricLoss.Native;

/// <summary>
/// Why TorchSharp's native backend did not load, in words that say what to do. A pure function of the
/// application's folders and of what the dynamic loader says about each library, so every case is testable
/// without breaking a real installation.
/// </summary>
/// <remarks>
/// TorchSharp reports every failure as "doesn't contain a reference to libtorch-cpu-…", whether the backend
/// package is missing or the loader refused a file that is there (TorchSharp 0.107's libLibTorchSharp.so asks for
/// GLIBCXX_3.4.32, GCC 13's libstdc++, which Debian 12 and Ubuntu 22.04 lack). The three cases need different
/// actions, so they are told apart here: no LibTorch in the application's folders; a library that the loader
/// refuses (its own message, and for GLIBCXX_3.4.32 why the build's fix did not reach that copy); neither.
/// </remarks>
internal static class NativeLoadDiagnosis
{
    internal const string MissingVersion = "GLIBCXX_3.4.32";

    private const string AddBackend =
        "Add a LibTorch backend package to the application project: `dotnet add package TorchSharp-cpu` (CPU, every " +
        "platform; on Linux x64 `libtorch-cpu-linux-x64` alone is enough and half the download), or " +
        "TorchSharp-cuda-linux / TorchSharp-cuda-windows for NVIDIA GPUs. The MetricLoss package depends on the " +
        "managed TorchSharp package only, so that the application chooses; its build warns (MTRB003) when none is referenced.";

    /// <summary>File names of one platform's libraries.</summary>
    internal sealed record NativeNames(string LibTorchSharp, string LibTorchCpu);

    /// <summary>The names on the running platform.</summary>
    internal static NativeNames CurrentNames() =>
        OperatingSystem.IsWindows() ? new("LibTorchSharp.dll", "torch_cpu.dll")
        : OperatingSystem.IsMacOS() ? new("libLibTorchSharp.dylib", "libtorch_cpu.dylib")
        : new("libLibTorchSharp.so", "libtorch_cpu.so");

    /// <summary>
    /// The explanation. <paramref name="applicationFolders"/> are where the application's own copies live (next to
    /// TorchSharp.dll and under <c>runtimes/&lt;rid&gt;/native</c>, most specific first); <paramref name="fallbackFolders"/>
    /// are folders TorchSharp fills itself from the NuGet cache when its regular load fails (<c>cpu/</c>).
    /// <paramref name="tryLoad"/> loads one library and returns the loader's error, or null when it loads.
    /// </summary>
    internal static string Explain(
        NativeNames names,
        IReadOnlyList<string> applicationFolders,
        IReadOnlyList<string> fallbackFolders,
        Func<string, string?> tryLoad,
        string torchSharpMessage)
    {
        var said = FirstLine(torchSharpMessage);
        var backend = applicationFolders.Select(f => Path.Combine(f, names.LibTorchCpu)).FirstOrDefault(File.Exists);
        if (backend is null)
        {
            return $"TorchSharp's native backend did not load: this application has no LibTorch library " +
                   $"({names.LibTorchCpu} is in none of {string.Join(", ", applicationFolders)}). {AddBackend} " +
                   $"TorchSharp said: {said}";
        }

        var candidates = applicationFolders.Concat(fallbackFolders)
            .Select(f => Path.Combine(f, names.LibTorchSharp))
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var path in candidates)
        {
            var error = tryLoad(path);
            if (error is null)
                continue;
            return error.Contains(MissingVersion, StringComparison.Ordinal)
                ? UnpatchedCopy(path, error)
                : $"TorchSharp's native library failed to load: {error}{Environment.NewLine}Path tried: {path}. " +
                  "TorchSharp 0.107 needs glibc 2.34 and GCC 12's libstdc++ (GLIBCXX_3.4.30) or newer; see " +
                  "docs/native-library.md in the MetricLoss repository.";
        }

        return $"TorchSharp's native backend did not load, although LibTorch ({backend}) is present and " +
               $"{(candidates.Count == 0 ? $"no {names.LibTorchSharp} was found to try" : $"{string.Join(", ", candidates)} loads on its own")}. " +
               $"TorchSharp said: {said}";
    }

    // The loader refused the GLIBCXX_3.4.32 requirement: the MetricLoss build step that marks it weak did not
    // reach this copy. Say which ways that happens, since the message alone cannot tell them apart.
    private static string UnpatchedCopy(string path, string error) =>
        $"TorchSharp's native library failed to load: {error}{Environment.NewLine}Path tried: {path}{Environment.NewLine}" +
        $"This system's libstdc++ lacks {MissingVersion}, which TorchSharp 0.107 asks for (for one symbol it never uses), " +
        "and this copy was not patched by the MetricLoss package's build step, which marks that requirement weak in the " +
        "build output. That happens when: the build ran with MetricLossSkipNativeFix=true; the application was built on a " +
        $"machine whose libstdc++ has {MissingVersion} and then copied here (rebuild with -p:MetricLossForceNativeFix=true); " +
        "the file was copied by something other than the build (from the NuGet cache, by TorchSharp's own fallback into " +
        "cpu/, or into a single-file bundle); or the project does not reference the MetricLoss package, whose build files " +
        "carry the step. A build warning MTRB001 or MTRB002 says why a patch was refused. See docs/native-library.md in " +
        "the MetricLoss repository.";

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(new[] { '\r', '\n' });
        return (end < 0 ? text : text.Substring(0, end)).Trim();
    }
}
