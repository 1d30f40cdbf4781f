using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Dsl.Tests.Interpretation;

public class DenseArrayTests
{
    [Fact]
    public void Elements_are_row_major()
    {
        var array = new DenseArray(new double[] { 0, 1, 2, 3, 4, 5 }, 2, 3);
        Assert.Equal(2, array.Rank);
        Assert.Equal(5.0, array[1, 2]);
        Assert.Equal(3.0, array[1, 0]);
        Assert.Equal(2.0, array[0, 2]);
        Assert.Equal(new[] { 1, 1 }, array.PositionOf(4));
    }

    [Fact]
    public void Matrix_copies_a_two_dimensional_array_row_major()
    {
        var array = DenseArray.Matrix(new double[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        Assert.Equal(new[] { 2, 3 }, array.Shape);
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6 }, array.Data);
    }

    [Fact]
    public void A_scalar_has_no_dimensions_and_one_element()
    {
        var scalar = DenseArray.Scalar(7);
        Assert.Empty(scalar.Shape);
        Assert.Equal(7.0, scalar[Array.Empty<int>()]);
    }

    [Fact]
    public void Bools_become_zero_and_one()
    {
        Assert.Equal(new double[] { 1, 0, 1 }, DenseArray.Bools(true, false, true).Data);
    }

    [Fact]
    public void The_data_length_must_match_the_shape()
    {
        var error = Assert.Throws<ArgumentException>(() => new DenseArray(new double[5], 2, 3));
        Assert.Contains("[2, 3]", error.Message);
        Assert.Contains("6", error.Message);
        Assert.Throws<ArgumentException>(() => new DenseArray(Array.Empty<double>(), -1));
    }

    [Fact]
    public void Indexing_outside_the_shape_throws()
    {
        var array = new DenseArray(new double[6], 2, 3);
        Assert.Throws<IndexOutOfRangeException>(() => array[2, 0]);
        Assert.Throws<IndexOutOfRangeException>(() => array[0, 3]);
        Assert.Throws<IndexOutOfRangeException>(() => array[0]);
    }

    [Fact]
    public void The_shape_is_copied_but_the_data_is_not()
    {
        var shape = new[] { 2 };
        var data = new double[] { 1, 2 };
        var array = new DenseArray(data, shape);
        shape[0] = 5;
        data[1] = 9;
        Assert.Equal(new[] { 2 }, array.Shape);
        Assert.Equal(9.0, array[1]);
    }
}
