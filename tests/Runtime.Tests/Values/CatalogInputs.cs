using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Runtime.Tests.Values;

/// <summary>
/// Valid inputs for any catalogue metric, built from its declared inputs (every axis of size <see cref="Size"/>).
/// With infinities, every differentiable input mixes +∞ and −∞ with finite values: each row holds two +∞ and two −∞
/// in its first four places, so that ∞ − ∞ occurs in every pairwise comparison of the row, between a positive and a
/// negative (labels alternate), and against a target (targets point at +∞, +∞, −∞ or a finite logit, row by row).
/// </summary>
public static class CatalogInputs
{
    /// <summary>Every axis gets this size: room for four infinities and two finite scores per row.</summary>
    public const int Size = 6;

    public static Dictionary<string, DenseArray> Build(MetricInfo info, int seed, bool infinities)
    {
        var random = new Random(seed);
        var arrays = new Dictionary<string, DenseArray>(StringComparer.Ordinal);
        foreach (var input in info.Inputs)
        {
            var shape = input.Axes.Select(_ => Size).ToArray();
            var rows = shape.Take(shape.Length - 1).Aggregate(1, (a, b) => a * b);
            var data = new double[rows * Size];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < Size; c++)
                {
                    data[r * Size + c] = Value(input, r, c, random, infinities);
                }
            }
            arrays[input.Name] = new DenseArray(data, shape);
        }
        return arrays;
    }

    private static double Value(MetricInputInfo input, int row, int column, Random random, bool infinities) => input.Type switch
    {
        "real" when infinities && column < 4 => column < 2 ? double.PositiveInfinity : double.NegativeInfinity,
        // Probabilities in [0, 1] fit every catalogue metric: logits, similarities and probabilities alike.
        "real" => Math.Round(random.NextDouble(), 2),
        // Alternating labels: +∞ and −∞ each hold one positive and one negative, and every row has both.
        "bool" => (column + row) % 2 == 0 ? 1 : 0,
        _ when input.Type.StartsWith("index", StringComparison.Ordinal) => (row % 4) switch { 0 => 0, 1 => 1, 2 => 2, _ => 5 },
        // Gains and soft labels: in [0, 1], some zero.
        _ => column % 3 == 2 ? 0 : Math.Round(random.NextDouble(), 1),
    };
}
