using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Tool.Evaluation;

/// <summary>
/// Reads a metric's inputs from a CSV whose header names them. The inputs' axes decide the layout:
/// <list type="bullet">
/// <item>over one axis (<c>score: real[n], label: bool[n]</c>): one row per position, one column per input;</item>
/// <item>over two axes [a, b] (<c>score: real[q, i]</c>): long format, one row per (a, b) cell; a column named
/// after the outer axis (<c>q</c>) groups the rows (groups in order of first appearance, the cells of a
/// group in row order, every group the same size); an input over [a] only holds the same value on every
/// row of a group;</item>
/// <item>an input without axes holds the same value on every row.</item>
/// </list>
/// Every cell is checked against its input's type here, with its line, since the interpreter only knows positions.
/// </summary>
internal sealed class InputLayout
{
    private readonly BoundMetric _metric;
    private readonly CsvTable _table;
    private readonly IReadOnlyList<string> _axes;

    private InputLayout(BoundMetric metric, CsvTable table, IReadOnlyList<string> axes)
    {
        _metric = metric;
        _table = table;
        _axes = axes;
    }

    /// <exception cref="UsageException">The metric's inputs have no CSV layout, or the CSV does not fit it.</exception>
    public static Dictionary<string, DenseArray> Read(BoundMetric metric, CsvTable table) =>
        new InputLayout(metric, table, LayoutAxes(metric)).Read();

    /// <summary>The axes of the input with the most of them, provided every input's axes are a prefix of them.</summary>
    private static IReadOnlyList<string> LayoutAxes(BoundMetric metric)
    {
        if (metric.Inputs.Count == 0) return Array.Empty<string>();
        var axes = metric.Inputs.OrderByDescending(i => i.Axes.Count).First().Axes.ToList();
        var fits = axes.Count <= 2 && metric.Inputs.All(i => i.Axes.SequenceEqual(axes.Take(i.Axes.Count)));
        if (!fits)
        {
            throw new UsageException(
                $"eval {metric.Name}: its inputs ({string.Join(", ", metric.Inputs.Select(i => $"`{Signature(i)}`"))}) have no CSV layout: " +
                "a CSV holds inputs over one axis [n], or over two axes [a, b] (long format) with the other inputs over [a] or no axis");
        }
        return axes;
    }

    private Dictionary<string, DenseArray> Read()
    {
        if (_table.Rows.Count == 0 && _metric.Inputs.Count > 0)
        {
            throw new UsageException($"eval {_metric.Name}: {_table.Path} has a header but no rows; expected {Expected()}");
        }
        var columns = _metric.Inputs.ToDictionary(i => i.Name, Column);
        var groups = Groups();
        var sizes = new Dictionary<string, int>();
        if (_axes.Count >= 1) sizes[_axes[0]] = groups.Count;
        if (_axes.Count == 2) sizes[_axes[1]] = groups[0].Count;

        var inputs = new Dictionary<string, DenseArray>();
        foreach (var input in _metric.Inputs)
        {
            // The units of an input are the rows that hold one of its elements each: a row (full rank),
            // a group (an input over the outer axis only) or the whole table (no axis).
            var units = input.Axes.Count == 0 ? new[] { groups.SelectMany(g => g).ToList() }
                : input.Axes.Count == _axes.Count ? groups.SelectMany(g => g).Select(r => (IReadOnlyList<CsvRow>)new[] { r })
                : groups;
            var data = units.Select(unit => UnitValue(input, columns[input.Name], unit, sizes)).ToArray();
            inputs[input.Name] = new DenseArray(data, input.Axes.Select(a => sizes[a]).ToArray());
        }
        return inputs;
    }

    private int Column(BoundInput input)
    {
        var column = _table.IndexOf(input.Name);
        if (column >= 0) return column;
        throw new UsageException(
            $"eval {_metric.Name}: {_table.Path} has no column `{input.Name}` for the input `{Signature(input)}`; expected {Expected()}; " +
            $"the header has {string.Join(", ", _table.Columns.Select(c => $"`{c}`"))}");
    }

    /// <summary>The rows of each position along the outer axis (one row each over one axis; all rows without axes).</summary>
    private List<IReadOnlyList<CsvRow>> Groups()
    {
        if (_axes.Count < 2) return _axes.Count == 1 ? _table.Rows.Select(r => (IReadOnlyList<CsvRow>)new[] { r }).ToList() : new() { _table.Rows };

        var outer = _axes[0];
        var key = _table.IndexOf(outer);
        if (key < 0)
        {
            throw new UsageException($"eval {_metric.Name}: {_table.Path} has no column `{outer}`; expected {Expected()}");
        }
        var groups = new List<(string Key, List<CsvRow> Rows)>();
        var byKey = new Dictionary<string, List<CsvRow>>(StringComparer.Ordinal);
        foreach (var row in _table.Rows)
        {
            var value = row.Cells[key];
            if (value.Length == 0) throw new UsageException($"eval {_metric.Name}: {_table.Path} line {row.Line}, column `{outer}`: empty cell; expected the row's {outer} (any text that names it)");
            if (!byKey.TryGetValue(value, out var rows))
            {
                byKey[value] = rows = new List<CsvRow>();
                groups.Add((value, rows));
            }
            rows.Add(row);
        }
        var first = groups[0];
        var ragged = groups.FirstOrDefault(g => g.Rows.Count != first.Rows.Count);
        if (ragged.Rows is not null)
        {
            throw new UsageException(
                $"eval {_metric.Name}: {_table.Path}: ragged `{outer}` groups: `{outer}` = {first.Key} has {first.Rows.Count} rows (from line {first.Rows[0].Line}) " +
                $"but `{outer}` = {ragged.Key} has {ragged.Rows.Count} (from line {ragged.Rows[0].Line}); every {outer} needs one row per position along {_axes[1]}");
        }
        return groups.Select(g => (IReadOnlyList<CsvRow>)g.Rows).ToList();
    }

    /// <summary>The one value the rows of <paramref name="unit"/> hold for <paramref name="input"/>.</summary>
    private double UnitValue(BoundInput input, int column, IReadOnlyList<CsvRow> unit, IReadOnlyDictionary<string, int> sizes)
    {
        var value = CellValue(input, column, unit[0], sizes);
        foreach (var row in unit.Skip(1))
        {
            var other = CellValue(input, column, row, sizes);
            if (other.Equals(value)) continue;
            var scope = input.Axes.Count == 0 ? "every row" : $"every row of one {_axes[0]}";
            throw Cell(input, row, $"`{input.Name}` has one value for {scope}, but line {unit[0].Line} has {Format(value)} and this one {Format(other)}");
        }
        return value;
    }

    private double CellValue(BoundInput input, int column, CsvRow row, IReadOnlyDictionary<string, int> sizes)
    {
        var text = row.Cells[column];
        if (text.Length == 0) throw Cell(input, row, "empty cell");
        if (input.Kind == InputKind.Bool)
        {
            if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase)) return 1;
            if (string.Equals(text, "false", StringComparison.OrdinalIgnoreCase)) return 0;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw Cell(input, row, $"`{text}` is not a number");
        }
        if (double.IsNaN(value)) throw Cell(input, row, "NaN, which the exact evaluator rejects");
        switch (input.Kind)
        {
            case InputKind.Bool when value is not (0 or 1):
                throw Cell(input, row, $"expected 0 or 1 (or false/true), found `{text}`");
            case InputKind.Int or InputKind.Index when double.IsInfinity(value) || value != Math.Floor(value):
                throw Cell(input, row, $"expected a whole number, found `{text}`");
            case InputKind.Index when value < 0 || (sizes.TryGetValue(input.IndexAxis!, out var size) && value >= size):
                var range = sizes.TryGetValue(input.IndexAxis!, out var n) ? $"from 0 to {n - 1}" : "(0 or more)";
                throw Cell(input, row, $"expected a position along axis `{input.IndexAxis}` {range}, found `{text}`");
        }
        return value;
    }

    private UsageException Cell(BoundInput input, CsvRow row, string problem) =>
        new($"eval {_metric.Name}: {_table.Path} line {row.Line}, column `{input.Name}` ({Type(input)}): {problem}");

    /// <summary>What the CSV should look like, for every message about its shape.</summary>
    private string Expected()
    {
        var names = string.Join(", ", _metric.Inputs.Select(i => $"`{i.Name}`"));
        return _axes.Count switch
        {
            2 => $"long format for inputs over [{_axes[0]}, {_axes[1]}]: one row per ({_axes[0]}, {_axes[1]}) cell, a column `{_axes[0]}` " +
                 $"whose value groups the rows of one {_axes[0]} (its {_axes[1]} positions in row order) and the columns {names}",
            1 => $"one row per position along `{_axes[0]}` and the columns {names}",
            _ => $"the columns {names}",
        };
    }

    private static string Signature(BoundInput input) => $"{input.Name}: {Type(input)}";

    private static string Type(BoundInput input)
    {
        var element = input.Kind switch
        {
            InputKind.Real => "real",
            InputKind.ConstReal => "const real",
            InputKind.Bool => "bool",
            InputKind.Int => "int",
            _ => $"index<{input.IndexAxis}>",
        };
        return input.Axes.Count == 0 ? element : $"{element}[{string.Join(", ", input.Axes)}]";
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
