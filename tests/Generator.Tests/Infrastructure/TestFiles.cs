namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>The .metric texts the tests share with the product (catalogue) and the spec (the normative examples of docs/language.md).</summary>
internal static class TestFiles
{
    public static string Catalog(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "catalog", file));

    /// <summary>The repository's root (the folder of Generator.sln), for tests that read its sources and docs.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Generator.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Generator.sln not found above the test folder");
    }

    public static string Normative => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "normative.metric"));

    /// <summary>One metric of the normative examples, as its own text (with the examples' namespace line).</summary>
    public static string NormativeMetric(string name) => MetricOf(Normative, name);

    /// <summary>(file, metric name) of every metric of these catalogue files, for theories that run over the catalogue.</summary>
    public static TheoryData<string, string> CatalogMetrics(params string[] files)
    {
        var data = new TheoryData<string, string>();
        foreach (var file in files)
        foreach (var metric in Hosts.MetricFileHost.Compile(file, Microsoft.CodeAnalysis.Text.SourceText.From(Catalog(file)), null, default).Units)
        {
            data.Add(file, metric.Metric.Name);
        }
        return data;
    }

    /// <summary>One metric of a catalogue file, as its own text (with the catalogue's namespace line).</summary>
    public static string CatalogMetric(string file, string name) => MetricOf(Catalog(file), name);

    private static string MetricOf(string text, string name)
    {
        var start = text.IndexOf("metric " + name + "(", StringComparison.Ordinal);
        var end = text.IndexOf("\n}", start, StringComparison.Ordinal) + 2;
        return "namespace MetricLoss.Catalog;\n\n" + text.Substring(start, end - start) + "\n";
    }
}
