using System.Globalization;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Retrieval;

/// <summary>One split: pixels as float32 [n, d] in [0, 1] and class labels int64 [n], rows sorted by label.</summary>
public sealed class Split(Tensor pixels, Tensor labels, int[] labelList) : IDisposable
{
    public Tensor Pixels { get; } = pixels;
    public Tensor Labels { get; } = labels;

    /// <summary>The labels on the host, for the batch sampler and for reporting.</summary>
    public IReadOnlyList<int> LabelList { get; } = labelList;

    public long Count => LabelList.Count;

    public void Dispose()
    {
        Pixels.Dispose();
        Labels.Dispose();
    }
}

/// <summary>Loading <c>digits.csv.gz</c> (UCI optical digits, scikit-learn's copy) or the Fashion-MNIST subsets, and the class-disjoint split.</summary>
public static class Data
{
    /// <summary>The copy placed beside the program by the project file.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>
    /// Reads the gzip-compressed CSV: no header, 1797 lines of 64 pixel counts (0..16, an 8×8 image in row-major
    /// order) followed by the digit label 0..9.
    /// </summary>
    public static (float[][] Pixels, int[] Labels) Load(string path) => Load(path, 64, 9, int.MaxValue);

    /// <summary>
    /// The Fashion-MNIST subset files (<c>fashion_mnist_{train|test}_subset.csv.gz</c>, see samples/data/README.md):
    /// no header, 784 pixel values 0..255 (28×28, row-major) then the class 0..9. At most <paramref name="limit"/>
    /// rows are read (the --quick mode): the classes are interleaved in the files' order, so the first rows hold all
    /// ten classes.
    /// </summary>
    public static (float[][] Pixels, int[] Labels) LoadFashion(string file, int limit = int.MaxValue) =>
        Load(Path.Combine(AppContext.BaseDirectory, "data", file), 784, 9, limit);

    private static (float[][] Pixels, int[] Labels) Load(string path, int width, int maxLabel, int limit)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var pixels = new List<float[]>();
        var labels = new List<int>();
        int line = 0;
        while (pixels.Count < limit && reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var fields = text.Split(',');
            if (fields.Length != width + 1)
                throw new InvalidDataException($"{path}, line {line}: expected {width + 1} fields ({width} pixels and a label), found {fields.Length}.");
            var row = new float[width];
            for (int c = 0; c < width; c++)
                row[c] = float.Parse(fields[c], CultureInfo.InvariantCulture);
            int label = (int)double.Parse(fields[width], CultureInfo.InvariantCulture);
            if (label < 0 || label > maxLabel)
                throw new InvalidDataException($"{path}, line {line}: label {label} is not a class 0..{maxLabel}.");
            pixels.Add(row);
            labels.Add(label);
        }
        return (pixels.ToArray(), labels.ToArray());
    }

    /// <summary>
    /// The zero-shot retrieval split of metric learning: training classes and test classes are disjoint. Rows
    /// whose label satisfies <paramref name="select"/> are kept, sorted by label (stable, so the file order within
    /// a class is kept), and pixels are divided by <paramref name="maximum"/> (16 for digits, 255 for Fashion-MNIST)
    /// into [0, 1].
    /// </summary>
    public static Split Take(float[][] pixels, int[] labels, Func<int, bool> select, float maximum = 16f)
    {
        int d = pixels[0].Length;
        var rows = Enumerable.Range(0, labels.Length).Where(i => select(labels[i])).OrderBy(i => labels[i]).ToArray();
        var flat = new float[rows.Length * d];
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < d; c++)
                flat[r * d + c] = pixels[rows[r]][c] / maximum;
        var labelList = rows.Select(i => labels[i]).ToArray();
        return new Split(
            tensor(flat, new long[] { rows.Length, d }),
            tensor(labelList.Select(l => (long)l).ToArray()),
            labelList);
    }
}
