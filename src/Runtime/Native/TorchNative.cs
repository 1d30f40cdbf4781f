using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using TorchSharp;

namespace MetricLoss.Native;

/// <summary>
/// Makes sure TorchSharp's native backend (libtorch and LibTorchSharp) is loaded, and explains why when it is not.
/// </summary>
/// <remarks>
/// When TorchSharp cannot load its native library it reports that the application "doesn't contain a reference to
/// libtorch-cpu-…", even when the package is there and the real cause is the dynamic loader refusing the file,
/// for example because the system libstdc++ lacks a symbol version it asks for (TorchSharp 0.107.0 asks for
/// GLIBCXX_3.4.32, which Debian 12 does not have). On failure this class loads the library itself through
/// <see cref="NativeLibrary.Load(string)"/> to obtain the loader's own message (dlerror) and reports that instead.
/// See docs/native-library.md.
/// </remarks>
public static class TorchNative
{
    private const string Hint =
        "MetricLoss marks GLIBCXX_3.4.32 weak on build; see docs/native-library.md. If the message names " +
        "GLIBCXX_3.4.32, this copy of the library was not patched (MetricLossSkipNativeFix=true, or it was copied " +
        "from elsewhere, e.g. the NuGet cache).";

    private static readonly object Gate = new();

    // Set once the backend has loaded; volatile so that later calls can skip the lock.
    private static volatile bool s_loaded;

    /// <summary>
    /// Loads TorchSharp's CPU backend if it is not loaded yet. Cheap after the first successful call; thread-safe.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The backend did not load. The message carries the dynamic loader's own error and the path it was for;
    /// <see cref="Exception.InnerException"/> is TorchSharp's original exception.
    /// </exception>
    public static void EnsureLoaded()
    {
        if (s_loaded)
            return;
        lock (Gate)
        {
            if (s_loaded)
                return;
            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
            }
            catch (Exception e)
            {
                // TorchSharp throws NotSupportedException, or TypeInitializationException from torch's static constructor.
                throw Diagnose(e);
            }
            s_loaded = true;
        }
    }

    private static InvalidOperationException Diagnose(Exception original)
    {
        var tried = new List<string>();
        foreach (var path in CandidatePaths())
        {
            if (tried.Contains(path))
                continue;
            tried.Add(path);
            if (!File.Exists(path))
                continue;
            try
            {
                NativeLibrary.Free(NativeLibrary.Load(path));
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                return new InvalidOperationException(
                    $"TorchSharp's native library failed to load: {e.Message}{Environment.NewLine}" +
                    $"Path tried: {path}{Environment.NewLine}{Hint}",
                    original);
            }
        }
        return new InvalidOperationException(
            $"TorchSharp's native backend did not load, and no copy of its native library failed to load on its own. " +
            $"Paths tried: {string.Join(", ", tried)}. Reference TorchSharp-cpu (or libtorch-cpu-linux-x64 on Linux x64). " +
            $"{Hint} TorchSharp said: {original.GetBaseException().Message}",
            original);
    }

    // Where TorchSharp looks: next to TorchSharp.dll, under runtimes/<rid>/native/ of the application, and the cpu/
    // folder TorchSharp consolidates native files into when the regular load fails.
    private static IEnumerable<string> CandidatePaths()
    {
        var file = OperatingSystem.IsWindows() ? "LibTorchSharp.dll"
            : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib"
            : "libLibTorchSharp.so";
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var rids = new[]
        {
            RuntimeInformation.RuntimeIdentifier,
            $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}",
        };
        var torchSharpDirectory = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        foreach (var directory in new[] { torchSharpDirectory, AppContext.BaseDirectory })
        {
            if (string.IsNullOrEmpty(directory))
                continue; // single-file applications have no assembly location
            yield return Path.GetFullPath(Path.Combine(directory, file));
            foreach (var rid in rids)
                yield return Path.GetFullPath(Path.Combine(directory, "runtimes", rid, "native", file));
            yield return Path.GetFullPath(Path.Combine(directory, "cpu", file));
        }
    }
}
