using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Dsl.Tests.Interpretation;

/// <summary>Compiling metrics and building arguments for the interpreter tests.</summary>
internal static class Kit
{
    private static readonly Lazy<IReadOnlyList<BoundMetric>> NormativeMetrics = new(() =>
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", "normative.metric"));
        var compilation = MetricCompiler.Compile(text, null);
        Assert.Empty(compilation.Diagnostics.Select(d => d.ToString()));
        return compilation.Metrics;
    });

    /// <summary>One of docs/language.md's normative examples, bound.</summary>
    public static BoundMetric Normative(string name) => NormativeMetrics.Value.Single(m => m.Name == name);

    /// <summary>Binds a single metric written for a test; any error diagnostic fails the test.</summary>
    public static BoundMetric Compile(string text)
    {
        var compilation = MetricCompiler.Compile(text, "Tests");
        Assert.Empty(compilation.Diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
        return Assert.Single(compilation.Metrics);
    }

    public static Dictionary<string, DenseArray> Inputs(params (string Name, DenseArray Value)[] inputs) =>
        inputs.ToDictionary(i => i.Name, i => i.Value);

    public static Dictionary<string, double[]> Options(params (string Name, double Value)[] options) =>
        options.ToDictionary(o => o.Name, o => new[] { o.Value });

    public static DenseArray Vec(params double[] values) => DenseArray.Vector(values);

    /// <summary>0/1 labels written as ints, for readability: Labels(1, 0, 1).</summary>
    public static DenseArray Labels(params int[] values) => DenseArray.Vector(values.Select(v => (double)v).ToArray());

    public static DenseArray Mat(double[,] values) => DenseArray.Matrix(values);

    /// <summary>σ, written independently of the interpreter's.</summary>
    public static double Sigmoid(double x) => 1.0 / (1.0 + Math.Exp(-x));

    /// <summary>The linear relaxation clamp(½ + x/4, 0, 1), written independently.</summary>
    public static double LinearRelax(double x) => Math.Clamp(0.5 + x / 4, 0, 1);

    public static InterpreterSettings Linear => new(Relaxation.Linear);

    public static InterpreterSettings Smoothstep => new(Relaxation.Smoothstep);
}
