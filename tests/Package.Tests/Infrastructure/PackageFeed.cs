using System.Reflection;

namespace MetricLoss.Package.Tests.Infrastructure;

/// <summary>
/// A temporary folder outside the repository with the MetricLoss package packed from this build into a local
/// feed, a nuget.config that adds the feed to the machine's sources, and a packages folder of its own. Packages
/// the machine already has (TorchSharp, LibTorch) are read from its global packages folder as a fallback folder,
/// which NuGet never writes to, so nothing lands in the machine's cache and nothing large is downloaded again.
/// Everything is deleted at the end.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    public PackageFeed()
    {
        Root = Directory.CreateTempSubdirectory("metricloss-consumer-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        Packages = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
        Version = Metadata("PackageVersion");
        LibTorchVersion = Metadata("LibTorchVersion");
        TorchSharpVersion = Metadata("TorchSharpVersion");
        try
        {
            PackOutput = Pack("Runtime", PackagePath) + Pack("Tool", ToolPackagePath);
            File.WriteAllText(Path.Combine(Root, "nuget.config"), NuGetConfig(Feed, MachinePackagesFolder()));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Root { get; }
    public string Feed { get; }
    public string Packages { get; }
    public string Version { get; }
    public string LibTorchVersion { get; }
    public string TorchSharpVersion { get; }

    /// <summary>
    /// Adds the CPU backend an application needs. On Linux x64 the Linux LibTorch package alone (what TorchSharp
    /// loads there, and what this repository's own projects restore); elsewhere TorchSharp-cpu, which brings
    /// LibTorch for every platform.
    /// </summary>
    public ConsumerProject WithCpuBackend(ConsumerProject project) =>
        System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier == "linux-x64"
            ? project.Package("libtorch-cpu-linux-x64", LibTorchVersion)
            : project.Package("TorchSharp-cpu", TorchSharpVersion);

    /// <summary>A project that references MetricLoss, as `dotnet add package MetricLoss` writes it.</summary>
    public ConsumerProject NewProject(string name, bool executable) =>
        new ConsumerProject(name, executable).Package("MetricLoss", Version);
    public string PackOutput { get; } = "";
    public string PackagePath => Path.Combine(Feed, $"MetricLoss.{Version}.nupkg");
    public string ToolPackagePath => Path.Combine(Feed, $"MetricLoss.Tool.{Version}.nupkg");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    // Packs one project of src/ from this build's output (the tests' configuration) into the feed.
    private string Pack(string project, string expected)
    {
        var pack = Infrastructure.DotNet.Run(RepositoryRoot, Packages, "pack", Path.Combine(RepositoryRoot, "src", project, project + ".csproj"),
            "--no-build", "-c", Metadata("Configuration"), "-o", Feed, "--disable-build-servers");
        if (pack.ExitCode != 0 || !File.Exists(expected))
            throw new InvalidOperationException($"packing {project} failed: {pack}");
        return pack.Output;
    }

    /// <summary>A new empty project folder under the root.</summary>
    public string NewFolder(string name) => Directory.CreateDirectory(Path.Combine(Root, name)).FullName;

    public CommandResult DotNet(string folder, params string[] arguments) =>
        Infrastructure.DotNet.Run(folder, Packages, arguments);

    public void Dispose()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }

    private static string NuGetConfig(string feed, string machinePackages) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <add key="metricloss-under-test" value="{feed}" />
          </packageSources>
          <fallbackPackageFolders>
            <add key="machine-packages" value="{machinePackages}" />
          </fallbackPackageFolders>
        </configuration>
        """;

    // The machine's global packages folder, as the CLI reports it (NUGET_PACKAGES or the default).
    private static string MachinePackagesFolder()
    {
        var result = Infrastructure.DotNet.RunProgram("dotnet", Path.GetTempPath(), null, "nuget", "locals", "global-packages", "--list");
        const string prefix = "global-packages:";
        var line = result.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        if (result.ExitCode != 0 || line is null)
            throw new InvalidOperationException($"cannot find the global packages folder: {result}");
        return line.Substring(prefix.Length).Trim();
    }

    private static string Metadata(string key) =>
        typeof(PackageFeed).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"assembly metadata {key} is missing");

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Generator.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Generator.sln not found above the test folder");
    }
}

/// <summary>The tests that share one packed feed; they run one after another (builds compete for two cores anyway).</summary>
[CollectionDefinition(Name)]
public sealed class PackageFeedCollection : ICollectionFixture<PackageFeed>
{
    public const string Name = "MetricLoss package";
}
