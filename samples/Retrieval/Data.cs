using System.Globalization;
using System.IO.Compression;
using static TorchSharp.torch;

namespace Retrieval;

/// <summary>One split: pixels as float32 [n, 64] in [0, 1] and digit labels int64 [n], rows sorted by label.</summary>
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

/// <summary>Loading <c>digits.csv.gz</c> (UCI optical digits, scikit-learn's copy) and the class-disjoint split.</summary>
public static class Data
{
    /// <summary>The copy placed beside the program by the project file.</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "data", "digits.csv.gz");

    /// <summary>
    /// Reads the gzip-compressed CSV: no header, 1797 lines of 64 pixel counts (0..16, an 8×8 image in row-major
    /// order) followed by the digit label 0..9.
    /// </summary>
    public static (float[][] Pixels, int[] Labels) Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var pixels = new List<float[]>();
        var labels = new List<int>();
        int line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var fields = text.Split(',');
            if (fields.Length != 65)
                throw new InvalidDataException($"{path}, line {line}: expected 65 fields (64 pixels and a label), found {fields.Length}.");
            var row = new float[64];
            for (int c = 0; c < 64; c++)
                row[c] = float.Parse(fields[c], CultureInfo.InvariantCulture);
            int label = (int)double.Parse(fields[64], CultureInfo.InvariantCulture);
            if (label is < 0 or > 9)
                throw new InvalidDataException($"{path}, line {line}: label {label} is not a digit.");
            pixels.Add(row);
            labels.Add(label);
        }
        return (pixels.ToArray(), labels.ToArray());
    }

    /// <summary>
    /// The zero-shot retrieval split of metric learning: training classes and test classes are disjoint. Rows
    /// whose label satisfies <paramref name="select"/> are kept, sorted by label (stable, so the file order within
    /// a class is kept), and pixels are scaled by 1/16 into [0, 1].
    /// </summary>
    public static Split Take(float[][] pixels, int[] labels, Func<int, bool> select)
    {
        var rows = Enumerable.Range(0, labels.Length).Where(i => select(labels[i])).OrderBy(i => labels[i]).ToArray();
        var flat = new float[rows.Length * 64];
        for (int r = 0; r < rows.Length; r++)
            for (int c = 0; c < 64; c++)
                flat[r * 64 + c] = pixels[rows[r]][c] / 16f;
        var labelList = rows.Select(i => labels[i]).ToArray();
        return new Split(
            tensor(flat, new long[] { rows.Length, 64 }),
            tensor(labelList.Select(l => (long)l).ToArray()),
            labelList);
    }
}
