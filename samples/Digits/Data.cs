using System.Globalization;
using System.IO.Compression;
using TorchSharp;
using static TorchSharp.torch;

namespace Digits;

/// <summary>One split as tensors: pixels [n, 64] float32 in [0, 1] and labels [n] int64 (0..9).</summary>
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

/// <summary>Loading and stratified splitting of <c>digits.csv.gz</c>.</summary>
public static class Data
{
    public const int Pixels = 64;
    public const int Classes = 10;

    /// <summary>The copy placed beside the program by the project file (never a path into the repository).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>
    /// Reads the gzip-compressed CSV: no header, one image per line, 64 pixel counts (0..16, an 8x8 image in
    /// row-major order) then the digit 0..9.
    /// </summary>
    public static (byte[][] Pixels, int[] Labels) Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var pixels = new List<byte[]>();
        var labels = new List<int>();
        int lineNumber = 0;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var fields = line.Split(',');
            if (fields.Length != Pixels + 1)
                throw new InvalidDataException($"{path}, line {lineNumber}: expected {Pixels + 1} fields, found {fields.Length}.");
            var row = new byte[Pixels];
            for (int p = 0; p < Pixels; p++)
            {
                int value = int.Parse(fields[p], CultureInfo.InvariantCulture);
                if (value is < 0 or > 16)
                    throw new InvalidDataException($"{path}, line {lineNumber}: pixel {p} = {value} is outside 0..16.");
                row[p] = (byte)value;
            }
            int label = int.Parse(fields[Pixels], CultureInfo.InvariantCulture);
            if (label is < 0 or >= Classes)
                throw new InvalidDataException($"{path}, line {lineNumber}: label {label} is outside 0..9.");
            pixels.Add(row);
            labels.Add(label);
        }
        return (pixels.ToArray(), labels.ToArray());
    }

    /// <summary>
    /// A stratified split: each digit's rows are shuffled with the seeded generator and the first
    /// <paramref name="trainFraction"/> of them go to training, so both splits keep the class proportions.
    /// Returns row indices in a fixed, sorted order.
    /// </summary>
    public static (int[] Train, int[] Test) StratifiedSplit(int[] labels, double trainFraction, int seed)
    {
        var rng = new Random(seed); // seeded System.Random is stable across runs and .NET versions
        var train = new List<int>();
        var test = new List<int>();
        for (int digit = 0; digit < Classes; digit++)
        {
            var rows = Enumerable.Range(0, labels.Length).Where(i => labels[i] == digit).ToArray();
            rng.Shuffle(rows);
            int nTrain = (int)Math.Round(rows.Length * trainFraction);
            train.AddRange(rows[..nTrain]);
            test.AddRange(rows[nTrain..]);
        }
        train.Sort();
        test.Sort();
        return (train.ToArray(), test.ToArray());
    }

    /// <summary>The rows as tensors, pixels divided by 16 (a fixed scale, so nothing is fitted on either split).</summary>
    public static Split Build(byte[][] pixels, int[] labels, int[] rows)
    {
        var x = new float[rows.Length * Pixels];
        var y = new long[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            for (int p = 0; p < Pixels; p++)
                x[i * Pixels + p] = pixels[rows[i]][p] / 16f;
            y[i] = labels[rows[i]];
        }
        return new Split(tensor(x, new long[] { rows.Length, Pixels }), tensor(y));
    }
}
