using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>Random interpreter inputs for a bound metric, one array per input in declared order, values with ties.</summary>
internal static class RandomArrays
{
    /// <param name="sizes">The size of every axis the inputs use (and of the axes their indices point into).</param>
    public static Dictionary<string, DenseArray> For(BoundMetric metric, Random random, IReadOnlyDictionary<string, int> sizes)
    {
        var arrays = new Dictionary<string, DenseArray>();
        foreach (var input in metric.Inputs)
        {
            var shape = input.Axes.Select(a => sizes[a]).ToArray();
            var count = shape.Aggregate(1, (a, b) => a * b);
            var data = new double[count];
            for (var i = 0; i < count; i++)
            {
                data[i] = input.Kind switch
                {
                    InputKind.Bool => random.Next(3) == 0 ? 1 : 0,
                    InputKind.Index => random.Next(sizes[input.IndexAxis!]),
                    InputKind.Int => random.Next(5),
                    // Rounded to 1 decimal so ties occur; const reals non-negative (gains).
                    InputKind.ConstReal => Math.Round(random.NextDouble() * 3, 1),
                    _ => Math.Round(random.NextDouble() * 4 - 2, 1),
                };
            }
            arrays[input.Name] = new DenseArray(data, shape);
        }
        return arrays;
    }
}
