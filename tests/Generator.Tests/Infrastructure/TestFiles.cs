namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>The .metric texts the tests share with the product (catalogue) and the spec (normative examples).</summary>
internal static class TestFiles
{
    public static string Catalog(string file) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "catalog", file));

    public static string Normative => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "examples", "normative.metric"));

    /// <summary>One metric of the normative examples, as its own text (with the examples' namespace line).</summary>
    public static string NormativeMetric(string name)
    {
        var text = Normative;
        var start = text.IndexOf("metric " + name + "(", StringComparison.Ordinal);
        var end = text.IndexOf("\n}", start, StringComparison.Ordinal) + 2;
        return "namespace MetricLoss.Catalog;\n\n" + text.Substring(start, end - start) + "\n";
    }
}
