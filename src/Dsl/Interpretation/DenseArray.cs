using System;
using System.Globalization;
using System.Linq;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// A dense, row-major array of doubles: the value of an input or of a statement in the reference
/// interpreter. Labels are 0/1, integer and index inputs hold whole numbers. A scalar has an empty
/// <see cref="Shape"/> and one element.
/// </summary>
public sealed class DenseArray
{
    /// <summary>Wraps <paramref name="data"/> (not copied) as an array of the given shape.</summary>
    /// <exception cref="ArgumentException">A negative dimension, or a data length that is not the product of the shape.</exception>
    public DenseArray(double[] data, params int[] shape)
    {
        Data = data ?? throw new ArgumentNullException(nameof(data));
        // The shape is copied: a caller reusing its params array must not reshape this one.
        Shape = (shape ?? throw new ArgumentNullException(nameof(shape))).ToArray();
        if (Shape.Any(d => d < 0))
        {
            throw new ArgumentException($"a shape cannot have a negative dimension; found {FormatPosition(Shape)}", nameof(shape));
        }
        var length = Shape.Aggregate(1L, (product, d) => product * d);
        if (length != data.Length)
        {
            throw new ArgumentException($"shape {FormatPosition(Shape)} holds {length} elements, but {data.Length} values were given", nameof(data));
        }
    }

    /// <summary>The elements, row-major (the last index varies fastest).</summary>
    public double[] Data { get; }

    /// <summary>The size of each dimension.</summary>
    public int[] Shape { get; }

    /// <summary>The number of dimensions.</summary>
    public int Rank => Shape.Length;

    /// <summary>The element at <paramref name="position"/> (one index per dimension).</summary>
    public double this[params int[] position] => Data[Offset(position)];

    /// <summary>A rank-0 array.</summary>
    public static DenseArray Scalar(double value) => new(new[] { value });

    /// <summary>A rank-1 array of the given values.</summary>
    public static DenseArray Vector(params double[] values) => new(values, values.Length);

    /// <summary>A rank-1 array of 0/1 values, for <c>bool</c> inputs.</summary>
    public static DenseArray Bools(params bool[] values) => Vector(values.Select(v => v ? 1.0 : 0.0).ToArray());

    /// <summary>A rank-2 array, row-major copy of <paramref name="values"/>.</summary>
    public static DenseArray Matrix(double[,] values)
    {
        int rows = values.GetLength(0), columns = values.GetLength(1);
        var data = new double[rows * columns];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++) data[r * columns + c] = values[r, c];
        }
        return new DenseArray(data, rows, columns);
    }

    /// <summary>The row-major offset of <paramref name="position"/> in <see cref="Data"/>.</summary>
    /// <exception cref="IndexOutOfRangeException">Wrong number of indices, or an index outside its dimension.</exception>
    public int Offset(params int[] position)
    {
        if (position.Length != Shape.Length)
        {
            throw new IndexOutOfRangeException($"expected {Shape.Length} indices, found {position.Length}");
        }
        var offset = 0;
        for (var d = 0; d < Shape.Length; d++)
        {
            if ((uint)position[d] >= (uint)Shape[d])
            {
                throw new IndexOutOfRangeException($"index {FormatPosition(position)} is outside shape {FormatPosition(Shape)}");
            }
            offset = offset * Shape[d] + position[d];
        }
        return offset;
    }

    /// <summary>The position of the element at row-major <paramref name="offset"/> (for error messages).</summary>
    public int[] PositionOf(int offset)
    {
        var position = new int[Shape.Length];
        for (var d = Shape.Length - 1; d >= 0; d--)
        {
            position[d] = offset % Shape[d];
            offset /= Shape[d];
        }
        return position;
    }

    public override string ToString() =>
        $"DenseArray{FormatPosition(Shape)} {{ {string.Join(", ", Data.Take(16).Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}{(Data.Length > 16 ? ", ..." : "")} }}";

    internal static string FormatPosition(int[] position) => "[" + string.Join(", ", position) + "]";
}
