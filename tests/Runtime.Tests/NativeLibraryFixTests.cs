using MetricLoss.Native;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static MetricLoss.Runtime.Tests.Infrastructure.NativeLibraryLocations;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// The build marks GLIBCXX_3.4.32 weak in the output copy of libLibTorchSharp.so (build/package/MetricLoss.NativeFix.targets)
/// so that TorchSharp loads on systems whose libstdc++ is older than GCC 13's; see docs/native-library.md.
/// </summary>
public sealed class NativeLibraryFixTests
{
    [OutputCopyNeedsPatchFact]
    public void Output_copy_requires_GLIBCXX_3_4_32_only_weakly()
    {
        var need = ElfVersionNeeds.Find(OutputCopy, LibStdCxx, Glibcxx33432);

        if (need is null)
            return; // this TorchSharp version no longer asks for it: nothing to patch
        Assert.True(need.IsWeak, $"{Glibcxx33432} is not weak in {OutputCopy}");
    }

    [PackageCopyFact]
    public void Output_copy_differs_from_the_package_copy_at_most_in_that_flag()
    {
        if (!File.Exists(OutputCopy))
            return;
        var package = File.ReadAllBytes(PackageCopy);
        var output = File.ReadAllBytes(OutputCopy);
        var flags = ElfVersionNeeds.Find(PackageCopy, LibStdCxx, Glibcxx33432)?.FlagsOffset;

        Assert.Equal(package.Length, output.Length);
        var differences = Enumerable.Range(0, package.Length).Where(i => package[i] != output[i]).ToList();
        Assert.All(differences, i => Assert.True(i == flags || i == flags + 1, $"byte {i} differs"));
    }

    [PackageCopyFact]
    public void NuGet_cache_copy_is_not_patched()
    {
        var need = ElfVersionNeeds.Find(PackageCopy, LibStdCxx, Glibcxx33432);

        Assert.False(need?.IsWeak ?? false, $"{PackageCopy} was modified: {Glibcxx33432} is weak");
    }

    [Fact]
    public void EnsureLoaded_loads_the_backend_and_tensors_work()
    {
        TorchNative.EnsureLoaded();
        TorchNative.EnsureLoaded(); // cached after the first success

        using var values = torch.tensor(new[] { 1f, 2f, 3f });
        using var sum = values.sum();
        Assert.Equal(6f, sum.item<float>());
    }

    [Fact]
    public void EnsureLoaded_is_safe_to_call_concurrently()
    {
        Parallel.For(0, 16, _ => TorchNative.EnsureLoaded());
    }
}

/// <summary>Runs on Linux x64 when the output copy exists and the system libstdc++ lacks GLIBCXX_3.4.32.</summary>
public sealed class OutputCopyNeedsPatchFactAttribute : FactAttribute
{
    public OutputCopyNeedsPatchFactAttribute()
    {
        if (!IsLinuxX64)
            Skip = "Linux x64 only.";
        else if (!File.Exists(OutputCopy))
            Skip = $"{OutputCopy} not found.";
        else if (SystemLibStdCxxProvides(Glibcxx33432) == true)
            Skip = $"The system libstdc++ provides {Glibcxx33432}: the build leaves the library as it is.";
    }
}

/// <summary>Runs on Linux x64 when the NuGet cache holds TorchSharp's libLibTorchSharp.so.</summary>
public sealed class PackageCopyFactAttribute : FactAttribute
{
    public PackageCopyFactAttribute()
    {
        if (!IsLinuxX64)
            Skip = "Linux x64 only.";
        else if (!File.Exists(PackageCopy))
            Skip = $"{PackageCopy} not found.";
    }
}
