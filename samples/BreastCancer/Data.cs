using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace BreastCancer;

/// <summary>One split as float32 tensors: features [n, 30] and labels [n] (1 = malignant, 0 = benign).</summary>
public sealed class Split(Tensor features, Tensor labels) : IDisposable
{
    public Tensor Features { get; } = features;
    public Tensor Labels { get; } = labels;
    public long Count => Labels.shape[0];

    public void Dispose()
    {
        Features.Dispose();
        Labels.Dispose();
    }
}

/// <summary>Loading, stratified splitting and standardisation of <c>breast_cancer.csv</c>.</summary>
public static class Data
{
    /// <summary>The copy placed beside the program by the project file (never a path into the repository).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", "breast_cancer.csv");

    /// <summary>
    /// Reads the file (header <c>569,30,malignant,benign</c>, then 30 features and the label per line).
    /// The file labels benign as 1; this sample treats <b>malignant</b> as the positive class, the one
    /// a screening test is judged on, so the returned label is <c>1 − file label</c>.
    /// </summary>
    public static (double[][] Features, bool[] Malignant) Load(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',');
        int rows = int.Parse(header[0], CultureInfo.InvariantCulture);
        int columns = int.Parse(header[1], CultureInfo.InvariantCulture);
        if (lines.Length - 1 != rows)
            throw new InvalidDataException($"{path}: header announces {rows} rows, found {lines.Length - 1}.");

        var features = new double[rows][];
        var malignant = new bool[rows];
        for (int r = 0; r < rows; r++)
        {
            var fields = lines[r + 1].Split(',');
            if (fields.Length != columns + 1)
                throw new InvalidDataException($"{path}, line {r + 2}: expected {columns + 1} fields, found {fields.Length}.");
            features[r] = new double[columns];
            for (int c = 0; c < columns; c++)
                features[r][c] = double.Parse(fields[c], CultureInfo.InvariantCulture);
            malignant[r] = fields[columns] switch
            {
                "0" => true,   // file: 0 = malignant
                "1" => false,  // file: 1 = benign
                var other => throw new InvalidDataException($"{path}, line {r + 2}: label '{other}' is neither 0 nor 1."),
            };
        }
        return (features, malignant);
    }

    /// <summary>
    /// A stratified split: each class is shuffled with the seeded generator and its first
    /// <paramref name="trainFraction"/> goes to training, so both splits keep the 37 % malignant rate.
    /// Returns row indices in a fixed, sorted order.
    /// </summary>
    public static (int[] Train, int[] Test) StratifiedSplit(bool[] labels, double trainFraction, int seed)
    {
        var rng = new Random(seed); // seeded System.Random is stable across runs and .NET versions
        var train = new List<int>();
        var test = new List<int>();
        foreach (var cls in new[] { true, false })
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == cls).ToArray();
            rng.Shuffle(rows);
            int nTrain = (int)Math.Round(rows.Length * trainFraction);
            train.AddRange(rows[..nTrain]);
            test.AddRange(rows[nTrain..]);
        }
        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }

    /// <summary>
    /// Standardises both splits with the <b>training</b> split's mean and standard deviation (population
    /// form, as scikit-learn's StandardScaler), so nothing about the held-out rows leaks into training.
    /// </summary>
    public static (Split Train, Split Test) Prepare(double[][] features, bool[] labels, int[] trainRows, int[] testRows)
    {
        int columns = features[0].Length;
        var mean = new double[columns];
        var std = new double[columns];
        for (int c = 0; c < columns; c++)
        {
            mean[c] = trainRows.Average(r => features[r][c]);
            double variance = trainRows.Average(r => (features[r][c] - mean[c]) * (features[r][c] - mean[c]));
            std[c] = variance > 0 ? Math.Sqrt(variance) : 1; // a constant column stays 0 instead of NaN
        }

        Split Build(int[] rows)
        {
            var x = new float[rows.Length * columns];
            var y = new float[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                for (int c = 0; c < columns; c++)
                    x[i * columns + c] = (float)((features[rows[i]][c] - mean[c]) / std[c]);
                y[i] = labels[rows[i]] ? 1f : 0f; // 0/1 floats: what BCE wants, and the generated losses accept them
            }
            return new Split(tensor(x, new long[] { rows.Length, columns }), tensor(y));
        }

        return (Build(trainRows), Build(testRows));
    }
}
