using System.Buffers.Binary;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>One Vernaux entry of an ELF file's .gnu.version_r: a symbol version required from a shared library.</summary>
internal sealed record ElfVersionNeed(string File, string Version, ushort Flags, long FlagsOffset)
{
    public bool IsWeak => (Flags & ElfVersionNeeds.VerFlgWeak) != 0;
}

/// <summary>
/// Reads the version needs of an ELF64 little-endian file, independently of the build step that patches them
/// (build/package/MetricLoss.NativeFix.targets), so that tests can check its result.
/// </summary>
internal static class ElfVersionNeeds
{
    public const ushort VerFlgWeak = 0x2;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    public static IReadOnlyList<ElfVersionNeed> Read(string path)
    {
        var elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != 'E' || elf[2] != 'L' || elf[3] != 'F' || elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException($"{path} is not an ELF64 little-endian file.");

        var sectionHeaders = checked((int)U64(elf, 40));
        int sectionCount = U16(elf, 60);
        var needs = new List<ElfVersionNeed>();
        for (var i = 0; i < sectionCount; i++)
        {
            var header = sectionHeaders + i * 64;
            if (U32(elf, header + 4) != ShtGnuVerneed)
                continue;
            var offset = checked((int)U64(elf, header + 24));
            var strings = checked((int)U64(elf, sectionHeaders + (int)U32(elf, header + 40) * 64 + 24));
            var count = U32(elf, header + 44);

            var entry = offset;
            for (var n = 0; n < count; n++)
            {
                var file = Name(elf, strings + (int)U32(elf, entry + 4));
                var aux = entry + (int)U32(elf, entry + 8);
                for (var a = 0; a < U16(elf, entry + 2); a++)
                {
                    needs.Add(new ElfVersionNeed(file, Name(elf, strings + (int)U32(elf, aux + 8)), U16(elf, aux + 4), aux + 4));
                    aux += (int)U32(elf, aux + 12);
                }
                entry += (int)U32(elf, entry + 12);
            }
        }
        return needs;
    }

    public static ElfVersionNeed? Find(string path, string file, string version) =>
        Read(path).SingleOrDefault(n => n.File == file && n.Version == version);

    private static string Name(byte[] elf, int offset) =>
        Encoding.ASCII.GetString(elf, offset, Array.IndexOf(elf, (byte)0, offset) - offset);

    private static ushort U16(byte[] b, int i) => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(i));
    private static uint U32(byte[] b, int i) => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(i));
    private static ulong U64(byte[] b, int i) => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(i));
}

/// <summary>Where the copies of libLibTorchSharp.so that the tests look at live, and what the system provides.</summary>
internal static class NativeLibraryLocations
{
    public const string LibStdCxx = "libstdc++.so.6";
    public const string Glibcxx33432 = "GLIBCXX_3.4.32";

    private static readonly string[] LibStdCxxDirectories =
    [
        "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
        "/usr/lib64", "/lib64", "/usr/lib", "/lib", "/usr/local/lib64", "/usr/local/lib",
    ];

    public static bool IsLinuxX64 => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>The build output's copy, next to the test assembly.</summary>
    public static string OutputCopy =>
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>The NuGet global packages folder's copy, which the build must leave alone.</summary>
    public static string PackageCopy
    {
        get
        {
            var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
            if (string.IsNullOrEmpty(packages))
                packages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            return Path.Combine(packages, "torchsharp", TorchSharpVersion, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        }
    }

    private static string TorchSharpVersion
    {
        get
        {
            var assembly = typeof(torch).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            if (!string.IsNullOrEmpty(informational))
                return informational.Split('+')[0];
            var version = assembly.GetName().Version!;
            return $"{version.Major}.{version.Minor}.{version.Build}";
        }
    }

    /// <summary>
    /// True when every libstdc++.so.6 in the usual folders contains <paramref name="version"/>, false when one
    /// lacks it, null when none is found: the same rule as the build step.
    /// </summary>
    public static bool? SystemLibStdCxxProvides(string version)
    {
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        bool? provides = null;
        foreach (var directory in LibStdCxxDirectories)
        {
            var path = Path.Combine(directory, LibStdCxx);
            if (!File.Exists(path))
                continue;
            if (File.ReadAllBytes(path).AsSpan().IndexOf(needle) < 0)
                return false;
            provides = true;
        }
        return provides;
    }
}
