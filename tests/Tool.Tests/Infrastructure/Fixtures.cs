using System.Text.Json;

namespace MetricLoss.Tool.Tests.Infrastructure;

/// <summary>The scikit-learn reference values of tests/fixtures (see its README), copied to the test output.</summary>
internal static class Fixtures
{
    public static JsonElement Load(params string[] path) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine([AppContext.BaseDirectory, "fixtures", .. path]))).RootElement;

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    public static double[][] Matrix(JsonElement array) => array.EnumerateArray().Select(Doubles).ToArray();
}
