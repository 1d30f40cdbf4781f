using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>The batches where one class is missing: every label true, every label false, and a single item of either.</summary>
public enum OneClassKind
{
    AllPositive,
    AllNegative,
    SinglePositive,
    SingleNegative,
}

/// <summary>
/// Inputs of one class for any catalogue metric, built from its declaration (<see cref="MetricInfo.Inputs"/>), so that
/// one test covers the binary, ranking, multi-class and UniLoss metrics alike.
/// </summary>
public static class OneClassBatches
{
    /// <summary>
    /// Offsets from the decision threshold in units of the metric's temperature: within a few τ of it, where every item
    /// has a gradient. No two are within 0.09 of each other or of a difference of 2 or 4 (the kinks of the linear
    /// relaxation of a pairwise comparison), and none is near ±2 (its kinks against the threshold): central differences
    /// never straddle a kink, and float32 rounding never moves a score across one.
    /// </summary>
    private static readonly double[] Offsets = { 0.64, -1.05, 1.52, -0.18, 1.73, -1.26, 0.46, -0.66, 0.84, -0.04, -0.94, -0.79 };

    public static bool IsPositive(OneClassKind kind) => kind is OneClassKind.AllPositive or OneClassKind.SinglePositive;

    public static bool IsSingle(OneClassKind kind) => kind is OneClassKind.SinglePositive or OneClassKind.SingleNegative;

    /// <summary>
    /// The inputs by name: scores around the threshold (rounded to float32, so that float32 and float64 see the same
    /// batch); labels, positives and inclusion masks all true or all false; <c>valid</c> masks all true; gains all 1 or
    /// all 0; class indices all 0. A single item has every axis of size 1.
    /// </summary>
    public static Dictionary<string, DenseArray> Build(MetricInfo info, OneClassKind kind)
    {
        var positive = IsPositive(kind);
        var center = Center(info);
        var scale = Scale(info);
        var inputs = new Dictionary<string, DenseArray>(StringComparer.Ordinal);
        foreach (var input in info.Inputs)
        {
            var shape = input.Axes.Select(a => IsSingle(kind) ? 1 : Size(info, a)).ToArray();
            var count = shape.Aggregate(1, (a, b) => a * b);
            var data = new double[count];
            for (var k = 0; k < count; k++)
            {
                data[k] = input.Type switch
                {
                    "real" when input.IsDifferentiable => (float)(center + scale * Offsets[k % Offsets.Length]),
                    "bool" when input.Name == "valid" => 1,
                    "bool" => positive ? 1 : 0,
                    _ when input.Type.StartsWith("index", StringComparison.Ordinal) => 0,
                    _ => positive ? 1 : 0, // const real gains
                };
            }
            inputs[input.Name] = new DenseArray(data, shape);
        }
        return inputs;
    }

    /// <summary>The differentiable input (every catalogue metric has exactly one, declared first).</summary>
    public static string ScoreInput(MetricInfo info) => info.Inputs.Single(i => i.IsDifferentiable).Name;

    /// <summary>
    /// The temperature of the score comparisons: <c>tau_rank</c> where ranks are relaxed separately, else <c>tau</c>;
    /// a metric without comparisons (SoftDice, SoftJaccard: probabilities) spreads its scores by 0.25 around 0.5, inside
    /// the [0, 1] its clamp keeps.
    /// </summary>
    public static double Scale(MetricInfo info) =>
        (info.Options.FirstOrDefault(o => o.Name == "tau_rank") ?? info.Options.FirstOrDefault(o => o.Name == "tau"))?.Default[0] ?? 0.25;

    private static bool HasComparisons(MetricInfo info) => info.Options.Any(o => o.Name is "tau" or "tau_rank");

    private static double Center(MetricInfo info)
    {
        if (info.Name.EndsWith("AnyLoss", StringComparison.Ordinal) || !HasComparisons(info)) return 0.5;
        return info.Options.FirstOrDefault(o => o.Name == "threshold")?.Default[0] ?? 0;
    }

    /// <summary>Matrices of 3 rows (queries, samples, joints) by 4 columns (items, classes, pixels); vectors of 7 items otherwise.</summary>
    private static int Size(MetricInfo info, string axis)
    {
        if (info.Inputs.Any(i => i.Axes.Count == 2 && i.Axes[0] == axis)) return 3;
        return info.Inputs.Any(i => i.Axes.Count == 2 && i.Axes[1] == axis) ? 4 : 7;
    }
}
