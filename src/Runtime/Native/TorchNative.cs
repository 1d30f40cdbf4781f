using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using TorchSharp;

namespace MetricLoss.Native;

/// <summary>
/// Makes sure TorchSharp's native backend (LibTorch and LibTorchSharp) is loaded, and explains why when it is not.
/// Generated code calls <see cref="EnsureLoaded"/> before its first tensor operation.
/// </summary>
/// <remarks>
/// TorchSharp reports every load failure as a missing reference to <c>libtorch-cpu-…</c>. On failure this class
/// looks at the application's folders and asks the dynamic loader about each library itself, then reports what is
/// true: no backend package, a library the loader refuses (with the loader's own message), or the GCC 13 symbol
/// version that the MetricLoss build step normally marks weak. See docs/native-library.md.
/// </remarks>
public static class TorchNative
{
    private static readonly object Gate = new();

    // Set once the backend has loaded; volatile so that later calls can skip the lock.
    private static volatile bool s_loaded;

    /// <summary>
    /// Loads TorchSharp's CPU backend if it is not loaded yet. Cheap after the first successful call; thread-safe.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The backend did not load. The message says why and what to do (which package to add, or why the native
    /// fix did not apply to the copy that failed); <see cref="Exception.InnerException"/> is TorchSharp's original exception.
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
        var folders = ApplicationFolders().ToList();
        var fallback = folders.Select(f => Path.Combine(f, "cpu")).ToList();
        var message = NativeLoadDiagnosis.Explain(NativeLoadDiagnosis.CurrentNames(), folders, fallback, TryLoad,
            original.GetBaseException().Message);
        return new InvalidOperationException(message, original);
    }

    private static string? TryLoad(string path)
    {
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return null;
        }
        catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
        {
            return e.Message;
        }
    }

    // Where an application's copies live: next to TorchSharp.dll and the application, directly (RID-specific
    // builds) or under runtimes/<rid>/native/ (portable builds), most specific RID first.
    private static IEnumerable<string> ApplicationFolders()
    {
        var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        var rids = new[]
        {
            RuntimeInformation.RuntimeIdentifier,
            $"{os}-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}",
        }.Distinct(StringComparer.Ordinal).ToArray();
        var roots = new[] { Path.GetDirectoryName(typeof(torch).Assembly.Location), AppContext.BaseDirectory }
            .Where(d => !string.IsNullOrEmpty(d)) // single-file applications have no assembly location
            .Select(d => Path.GetFullPath(d!))
            .Distinct(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            yield return root;
            foreach (var rid in rids)
                yield return Path.Combine(root, "runtimes", rid, "native");
        }
    }
}
