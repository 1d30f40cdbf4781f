using static TorchSharp.torch;

namespace Imbalanced;

/// <summary>One split of a task: float32 features [n, d] and 0/1 float32 labels [n] (1 = the rare class).</summary>
public sealed class Split(Tensor features, Tensor labels, bool[] labelList) : IDisposable
{
    public Tensor Features { get; } = features;
    public Tensor Labels { get; } = labels;
    public IReadOnlyList<bool> LabelList { get; } = labelList;
    public int Count => LabelList.Count;
    public int Positives => LabelList.Count(l => l);

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}

/// <summary>The train, validation and test splits of one task for one seed.</summary>
public sealed record Splits(Split Train, Split Validation, Split Test) : IDisposable
{
    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}

/// <summary>
/// A binary task: the rows (features, is-positive) of its source, and how a seed turns them into splits. The
/// seed decides the subsample and the split, so different seeds are different draws of the data as well as
/// different initialisations.
/// </summary>
public sealed record BinaryTask(string Name, string Description, Func<long, bool, Splits> Make)
{
    /// <summary>Positive rate of the Fashion-MNIST task after subsampling the positives.</summary>
    public const double FashionPositiveRate = 0.03;

    /// <summary>The Fashion-MNIST class that is the positive class: 6, "Shirt", the class most confused with others.</summary>
    public const int FashionPositiveClass = 6;

    /// <summary>The three tasks, loaded lazily (each reads its file when first used).</summary>
    public static IReadOnlyList<BinaryTask> All { get; } =
    [
        new("fashion-shirt",
            "Fashion-MNIST: Shirt (class 6) vs the 9 other classes, positives subsampled to 3 % in every split; 784 pixels / 255; train from the train subset, validation and test halves of the test subset",
            Fashion),
        new("satellite",
            "UCI Satellite (Statlog Landsat): 'damp grey soil' (9.7 %) vs the 5 other soil types; 36 features standardised on train; stratified 60 / 20 / 20 split",
            (seed, quick) => Tabular("satellite.csv.gz", c => c == "damp grey soil", seed, quick)),
        new("letter-h",
            "UCI Letter Recognition: the letter H (3.7 %) vs the 25 others; 16 features standardised on train; stratified 60 / 20 / 20 split",
            (seed, quick) => Tabular("letter_recognition.csv.gz", c => c == "H", seed, quick)),
    ];

    /// <summary>Rows read per file in --quick mode: enough for a few positives in every split.</summary>
    private const int QuickRows = 1500;

    private static Splits Fashion(long seed, bool quick)
    {
        int limit = quick ? QuickRows : int.MaxValue;
        var (trainX, trainC) = CsvFiles.Read("fashion_mnist_train_subset.csv.gz", header: false, limit);
        var (testX, testC) = CsvFiles.Read("fashion_mnist_test_subset.csv.gz", header: false, limit);
        var random = new Random((int)seed);
        bool Positive(string c) => int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) == FashionPositiveClass;
        int[] train = Subsample(trainC.Select(Positive).ToArray(), random);
        int[] heldOut = Subsample(testC.Select(Positive).ToArray(), random);
        var halves = Stratified(heldOut, i => Positive(testC[i]), [0.5], random);
        var (validation, test) = (halves[0], halves[1]);
        Split Build(double[][] x, string[] c, int[] rows) =>
            MakeSplit(rows.Select(r => x[r].Select(v => v / 255).ToArray()).ToArray(), rows.Select(r => Positive(c[r])).ToArray(), null);
        return new Splits(Build(trainX, trainC, train), Build(testX, testC, validation), Build(testX, testC, test));
    }

    /// <summary>All negatives and a random subset of the positives sized for <see cref="FashionPositiveRate"/>.</summary>
    private static int[] Subsample(bool[] positive, Random random)
    {
        var negatives = Enumerable.Range(0, positive.Length).Where(i => !positive[i]).ToArray();
        var positives = Enumerable.Range(0, positive.Length).Where(i => positive[i]).ToArray();
        random.Shuffle(positives);
        int keep = (int)Math.Round(negatives.Length * FashionPositiveRate / (1 - FashionPositiveRate));
        return negatives.Concat(positives.Take(keep)).Order().ToArray();
    }

    private static Splits Tabular(string file, Func<string, bool> positive, long seed, bool quick)
    {
        var (x, c) = CsvFiles.Read(file, header: true, quick ? QuickRows : int.MaxValue);
        var labels = c.Select(positive).ToArray();
        var parts = Stratified(Enumerable.Range(0, x.Length).ToArray(), i => labels[i], [0.6, 0.2], new Random((int)seed));
        var (mean, std) = Standardiser(x, parts[0]);
        Split Build(int[] rows) => MakeSplit(rows.Select(r => x[r]).ToArray(), rows.Select(r => labels[r]).ToArray(), (mean, std));
        return new Splits(Build(parts[0]), Build(parts[1]), Build(parts[2]));
    }

    /// <summary>
    /// Shuffles each class with <paramref name="random"/> and cuts it at the given fractions (the rest is the last
    /// part), so every part keeps the class ratio. Rows come back sorted.
    /// </summary>
    private static int[][] Stratified(int[] rows, Func<int, bool> positive, double[] fractions, Random random)
    {
        var parts = Enumerable.Range(0, fractions.Length + 1).Select(_ => new List<int>()).ToArray();
        foreach (var cls in new[] { true, false })
        {
            var members = rows.Where(r => positive(r) == cls).ToArray();
            random.Shuffle(members);
            int start = 0;
            for (int p = 0; p < fractions.Length; p++)
            {
                int count = (int)Math.Round(members.Length * fractions[p]);
                parts[p].AddRange(members.Skip(start).Take(count));
                start += count;
            }
            parts[^1].AddRange(members.Skip(start));
        }
        return parts.Select(p => p.Order().ToArray()).ToArray();
    }

    /// <summary>Mean and population standard deviation of each column over the training rows only.</summary>
    private static (double[] Mean, double[] Std) Standardiser(double[][] x, int[] trainRows)
    {
        int d = x[0].Length;
        var mean = Enumerable.Range(0, d).Select(c => trainRows.Average(r => x[r][c])).ToArray();
        var std = Enumerable.Range(0, d).Select(c =>
        {
            double v = trainRows.Average(r => (x[r][c] - mean[c]) * (x[r][c] - mean[c]));
            return v > 0 ? Math.Sqrt(v) : 1;
        }).ToArray();
        return (mean, std);
    }

    private static Split MakeSplit(double[][] x, bool[] y, (double[] Mean, double[] Std)? standardise)
    {
        int d = x[0].Length;
        var flat = new float[x.Length * d];
        for (int i = 0; i < x.Length; i++)
            for (int c = 0; c < d; c++)
                flat[i * d + c] = (float)(standardise is var (m, s) ? (x[i][c] - m[c]) / s[c] : x[i][c]);
        return new Split(tensor(flat, new long[] { x.Length, d }), tensor(y.Select(v => v ? 1f : 0f).ToArray()), y);
    }
}
