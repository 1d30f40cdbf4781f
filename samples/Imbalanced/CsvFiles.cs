using System.Globalization;
using System.IO.Compression;

namespace Imbalanced;

/// <summary>Reading the gzip'd CSV files of samples/data (the copies placed beside the program).</summary>
public static class CsvFiles
{
    /// <summary>A file of samples/data as copied beside the program by the project file.</summary>
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "data", name);

    /// <summary>
    /// Rows of numeric features followed by one class field (a number or a name), optionally after a header line.
    /// At most <paramref name="limit"/> rows are read (the --quick mode reads a few hundred).
    /// </summary>
    public static (double[][] Features, string[] Classes) Read(string name, bool header, int limit = int.MaxValue)
    {
        string path = PathOf(name);
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        if (header) reader.ReadLine();
        var features = new List<double[]>();
        var classes = new List<string>();
        int line = header ? 1 : 0;
        while (features.Count < limit && reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var fields = text.Split(',');
            if (features.Count > 0 && fields.Length != features[0].Length + 1)
                throw new InvalidDataException($"{path}, line {line}: {fields.Length} fields, expected {features[0].Length + 1}.");
            var row = new double[fields.Length - 1];
            for (int c = 0; c < row.Length; c++)
                row[c] = double.Parse(fields[c], CultureInfo.InvariantCulture);
            features.Add(row);
            classes.Add(fields[^1]);
        }
        return (features.ToArray(), classes.ToArray());
    }
}
