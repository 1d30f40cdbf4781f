namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>How a test passes a mask: the kernels take bool, 0/1 numbers or real weights.</summary>
internal enum MaskKind
{
    Bool,
    Float64,
    Float32,
    Int64,
    /// <summary>Real weights in {0, 0.25, ..., 2}: dyadic, so every sum the kernels form is still exact.</summary>
    Weights,
}

/// <summary>One random batch of rows: values with heavy ties, masks of varied density.</summary>
internal sealed record RankingBatch(long[] Shape, double[] Values, double[] MaskA, double[] MaskB, MaskKind Kind)
{
    public int Rows => (int)Shape.Take(Shape.Length - 1).Aggregate(1L, (a, b) => a * b);

    public int Items => (int)Shape[^1];

    public override string ToString() => $"shape [{string.Join(", ", Shape)}], {Kind} masks";
}

/// <summary>
/// Seeded random inputs for the brute-force comparisons: N from 1 to 60, one to four rows (sometimes two leading
/// axes), values rounded to one decimal (ties everywhere), whole rows tied, rows with ±∞, and masks from empty to full.
/// </summary>
internal static class RankingRandom
{
    public const int SeedCount = 80;

    /// <summary>Seeds 0..59 have N = seed + 1 (every N from 1 to 60); the rest draw N.</summary>
    public static TheoryData<int> Seeds
    {
        get
        {
            var data = new TheoryData<int>();
            for (var seed = 0; seed < SeedCount; seed++) data.Add(seed);
            return data;
        }
    }

    public static RankingBatch Draw(int seed)
    {
        var rng = new Random(seed * 7919 + 17);
        var n = seed < 60 ? seed + 1 : rng.Next(1, 61);
        var rows = 1 + seed % 4;
        var shape = seed % 5 == 0 ? new long[] { 2, rows, n } : new long[] { rows, n };
        var total = shape.Aggregate(1L, (a, b) => a * b);
        var rowCount = (int)(total / n);
        var kind = (MaskKind)(seed % 5);
        var values = new double[total];
        var maskA = new double[total];
        var maskB = new double[total];
        for (var r = 0; r < rowCount; r++)
        {
            FillValues(rng, values.AsSpan(r * n, n));
            FillMask(rng, maskA.AsSpan(r * n, n), kind);
            FillMask(rng, maskB.AsSpan(r * n, n), kind);
        }
        return new RankingBatch(shape, values, maskA, maskB, kind);
    }

    private static void FillValues(Random rng, Span<double> row)
    {
        switch (rng.Next(6))
        {
            case 0: // every value tied
                row.Fill(Math.Round(rng.NextDouble() * 2 - 1, 1));
                break;
            case 1: // three distinct values
                for (var i = 0; i < row.Length; i++) row[i] = rng.Next(3) * 0.1;
                break;
            case 2: // ties and infinities
                for (var i = 0; i < row.Length; i++)
                {
                    var u = rng.Next(10);
                    row[i] = u == 0 ? double.NegativeInfinity : u == 1 ? double.PositiveInfinity : Math.Round(rng.NextDouble() * 2 - 1, 1);
                }
                break;
            default: // 21 distinct values in [-1, 1]
                for (var i = 0; i < row.Length; i++) row[i] = Math.Round(rng.NextDouble() * 2 - 1, 1);
                break;
        }
    }

    private static void FillMask(Random rng, Span<double> row, MaskKind kind)
    {
        var density = new[] { 0.0, 0.2, 0.5, 0.9, 1.0 }[rng.Next(5)];
        for (var i = 0; i < row.Length; i++)
        {
            var on = rng.NextDouble() < density;
            row[i] = !on ? 0 : kind == MaskKind.Weights ? rng.Next(1, 9) * 0.25 : 1;
        }
    }
}
