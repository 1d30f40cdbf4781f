namespace MetricLoss.Tool.Tests.Infrastructure;

/// <summary>The repository's root folder, found by walking up from the test output to Generator.sln.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "Generator.sln"))) return folder.FullName;
        }
        throw new InvalidOperationException($"no Generator.sln above {AppContext.BaseDirectory}");
    }
}
