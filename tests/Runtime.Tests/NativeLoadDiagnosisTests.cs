using MetricLoss.Native;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// The message an application gets when TorchSharp's backend does not load: each cause with its own remedy,
/// on fake application folders and a fake loader (a real failure cannot be staged inside a running test host).
/// </summary>
public sealed class NativeLoadDiagnosisTests : IDisposable
{
    private static readonly NativeLoadDiagnosis.NativeNames Linux = new("libLibTorchSharp.so", "libtorch_cpu.so");
    private const string TorchSharpSays = "This application or script uses TorchSharp but doesn't contain a reference to libtorch-cpu-linux-x64, Version=2.10.0.0.\n\nConsider referencing ...";

    private readonly string _root = Directory.CreateTempSubdirectory("metricloss-native-").FullName;
    private readonly string _app;
    private readonly string _native;
    private readonly string _cpu;

    public NativeLoadDiagnosisTests()
    {
        _app = _root;
        _native = Directory.CreateDirectory(Path.Combine(_root, "runtimes", "linux-x64", "native")).FullName;
        _cpu = Path.Combine(_root, "cpu");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Explain(Func<string, string?> tryLoad) =>
        NativeLoadDiagnosis.Explain(Linux, new[] { _app, _native }, new[] { _cpu }, tryLoad, TorchSharpSays);

    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, Array.Empty<byte>());
    }

    [Fact]
    public void Without_LibTorch_in_the_application_it_names_the_packages_to_add()
    {
        Touch(Path.Combine(_native, "libLibTorchSharp.so"));
        // TorchSharp's own fallback may have copied LibTorch from the NuGet cache into cpu/: that is not the application's.
        Touch(Path.Combine(_cpu, "libtorch_cpu.so"));

        var message = Explain(_ => throw new InvalidOperationException("nothing should be loaded"));

        Assert.Contains("this application has no LibTorch library", message);
        Assert.Contains("TorchSharp-cpu", message);
        Assert.Contains("libtorch-cpu-linux-x64", message);
        Assert.Contains("TorchSharp-cuda-linux", message);
        Assert.Contains("MTRB003", message);
        Assert.Contains("TorchSharp said: This application or script uses TorchSharp", message);
        Assert.DoesNotContain("Consider referencing", message); // only TorchSharp's first line
    }

    [Fact]
    public void An_unpatched_copy_is_named_with_the_reasons_the_fix_did_not_reach_it()
    {
        Touch(Path.Combine(_native, "libtorch_cpu.so"));
        var library = Path.Combine(_native, "libLibTorchSharp.so");
        Touch(library);
        var loader = $"/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by {library})";

        var message = Explain(path => path == library ? loader : null);

        Assert.Contains(loader, message);
        Assert.Contains($"Path tried: {library}", message);
        Assert.Contains("MetricLossSkipNativeFix=true", message);
        Assert.Contains("MetricLossForceNativeFix=true", message);
        Assert.DoesNotContain("has no LibTorch", message);
    }

    [Fact]
    public void Another_loader_error_is_reported_as_the_loader_says_with_the_path()
    {
        Touch(Path.Combine(_app, "libtorch_cpu.so"));
        var library = Path.Combine(_app, "libLibTorchSharp.so");
        Touch(library);
        const string loader = "libc.so.6: version `GLIBC_2.34' not found";

        var message = Explain(path => path == library ? loader : null);

        Assert.Contains(loader, message);
        Assert.Contains($"Path tried: {library}", message);
        Assert.DoesNotContain("MetricLossForceNativeFix", message);
    }

    [Fact]
    public void The_first_failing_copy_in_search_order_is_reported()
    {
        Touch(Path.Combine(_native, "libtorch_cpu.so"));
        var good = Path.Combine(_native, "libLibTorchSharp.so");
        var bad = Path.Combine(_cpu, "libLibTorchSharp.so");
        Touch(good);
        Touch(bad);

        var message = Explain(path => path == bad ? "GLIBCXX_3.4.32 not found" : null);

        Assert.Contains($"Path tried: {bad}", message);
    }

    [Fact]
    public void When_every_library_loads_on_its_own_it_says_so_and_keeps_TorchSharps_words()
    {
        Touch(Path.Combine(_native, "libtorch_cpu.so"));
        var library = Path.Combine(_native, "libLibTorchSharp.so");
        Touch(library);

        var message = Explain(_ => null);

        Assert.Contains("is present", message);
        Assert.Contains($"{library} loads on its own", message);
        Assert.Contains("TorchSharp said:", message);
    }
}
