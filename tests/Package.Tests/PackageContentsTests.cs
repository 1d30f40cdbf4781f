using System.IO.Compression;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using MetricLoss.Package.Tests.Infrastructure;

namespace MetricLoss.Package.Tests;

/// <summary>What the MetricLoss package holds and declares, read from the .nupkg that `dotnet pack` wrote.</summary>
[Collection(PackageFeedCollection.Name)]
public sealed class PackageContentsTests(PackageFeed feed)
{
    [Fact]
    public void The_package_holds_the_runtime_the_generator_with_its_dependencies_and_the_build_files()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();

        Assert.Subset(entries, new HashSet<string>
        {
            "lib/net10.0/MetricLoss.Runtime.dll",
            "lib/net10.0/MetricLoss.Runtime.xml",
            "analyzers/dotnet/cs/MetricLoss.Generator.dll",
            "analyzers/dotnet/cs/MetricLoss.Dsl.dll",
            "analyzers/dotnet/cs/Sprache.dll",
            "buildTransitive/MetricLoss.props",
            "buildTransitive/MetricLoss.targets",
            "buildTransitive/MetricLoss.NativeFix.targets",
            "README.md",
            "LICENSE",
        });
        // Nothing for the compiler or the application beyond those: no test, sample or Roslyn assembly.
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && !e.StartsWith("lib/net10.0/MetricLoss.Runtime.", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Contains("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.ChangeExtension(feed.PackagePath, ".snupkg")), "no symbols package");
    }

    [Fact]
    public void The_package_depends_on_the_managed_TorchSharp_package_only_and_has_real_metadata()
    {
        var metadata = Nuspec().Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
        Assert.Equal(new[] { "TorchSharp" }, dependencies);
        Assert.Equal("MetricLoss", Value("id"));
        Assert.Equal(feed.Version, Value("version"));
        Assert.Equal("MIT", Value("license"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Contains("source generator", Value("description"));
        Assert.Contains("torchsharp", Value("tags"));
        Assert.StartsWith(feed.Version + ":", Value("releaseNotes"));
    }

    [Fact]
    public void The_package_and_its_assemblies_carry_one_version()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath);
        var expected = System.Version.Parse(feed.Version);

        foreach (var path in new[] { "lib/net10.0/MetricLoss.Runtime.dll", "analyzers/dotnet/cs/MetricLoss.Generator.dll", "analyzers/dotnet/cs/MetricLoss.Dsl.dll" })
        {
            var version = AssemblyVersion(package.GetEntry(path)!);
            Assert.True(version.Major == expected.Major && version.Minor == expected.Minor && version.Build == expected.Build,
                $"{path} has version {version}, the package {feed.Version}");
        }
    }

    [Fact]
    public void Packing_prints_no_warning()
    {
        Assert.DoesNotContain(": warning ", feed.PackOutput);
    }

    private XDocument Nuspec()
    {
        using var package = ZipFile.OpenRead(feed.PackagePath);
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XDocument.Load(stream);
    }

    private static System.Version AssemblyVersion(ZipArchiveEntry entry)
    {
        using var stream = new MemoryStream();
        using (var source = entry.Open()) source.CopyTo(stream);
        stream.Position = 0;
        using var reader = new PEReader(stream);
        return reader.GetMetadataReader().GetAssemblyDefinition().Version;
    }
}
