namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>A seeded batch of scores and labels for a catalogue metric.</summary>
public sealed record RandomBatch(double[] Score, bool[] Label)
{
    public int Count => Score.Length;

    public bool HasBothClasses => Label.Any(l => l) && Label.Any(l => !l);

    /// <summary>
    /// Scores around <paramref name="center"/>: Gaussian with the given spread; with <paramref name="tieGrid"/>
    /// &gt; 0 a third of them are snapped to multiples of it (so some tie with each other and with the centre).
    /// </summary>
    public static RandomBatch Draw(Random random, int count, double center, double spread, double positiveRate = 0.5, double tieGrid = 0)
    {
        var score = new double[count];
        var label = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var z = Gaussian(random) * spread;
            if (tieGrid > 0 && random.NextDouble() < 1.0 / 3) z = Math.Round(z / tieGrid) * tieGrid;
            score[i] = center + z;
            label[i] = random.NextDouble() < positiveRate;
        }
        return new RandomBatch(score, label);
    }

    /// <summary>Scores at least <paramref name="margin"/> away from <paramref name="center"/>, at most <paramref name="reach"/>.</summary>
    public static RandomBatch AwayFrom(Random random, int count, double center, double margin, double reach, bool bothClasses = true)
    {
        if (bothClasses && count < 2) throw new ArgumentOutOfRangeException(nameof(count), "two classes need two items");
        while (true)
        {
            var score = new double[count];
            var label = new bool[count];
            for (var i = 0; i < count; i++)
            {
                var magnitude = margin + random.NextDouble() * (reach - margin);
                score[i] = center + (random.NextDouble() < 0.5 ? -magnitude : magnitude);
                label[i] = random.NextDouble() < 0.5;
            }
            var batch = new RandomBatch(score, label);
            if (!bothClasses || batch.HasBothClasses) return batch;
        }
    }

    public float[] ScoreAsFloat() => Score.Select(s => (float)s).ToArray();

    /// <summary>The same batch with scores rounded to float32 (what a float32 tensor holds).</summary>
    public RandomBatch RoundedToFloat() => this with { Score = Score.Select(s => (double)(float)s).ToArray() };

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
