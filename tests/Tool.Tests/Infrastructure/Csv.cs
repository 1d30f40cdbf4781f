using System.Globalization;
using System.Text;

namespace MetricLoss.Tool.Tests.Infrastructure;

/// <summary>Writes CSV text from columns of numbers, round-trip, as the tests' prediction files.</summary>
internal static class Csv
{
    public static string Columns(params (string Name, IReadOnlyList<double> Values)[] columns)
    {
        var text = new StringBuilder(string.Join(",", columns.Select(c => c.Name))).Append('\n');
        for (var row = 0; row < columns[0].Values.Count; row++)
        {
            text.Append(string.Join(",", columns.Select(c => c.Values[row].ToString("R", CultureInfo.InvariantCulture)))).Append('\n');
        }
        return text.ToString();
    }

    public static double Parse(string text) => double.Parse(text.Trim(), CultureInfo.InvariantCulture);
}
