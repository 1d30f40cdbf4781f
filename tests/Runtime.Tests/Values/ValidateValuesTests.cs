using MetricLoss.Catalog;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Runtime.Tests.Infrastructure;
using MetricLoss.Runtime.Tests.RankingCatalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Values;

/// <summary>
/// <see cref="MetricOptions.ValidateValues"/>: null (the default) checks values in Exact only, true in every entry
/// point with Exact's messages, false nowhere. Each catalogue metric is given one bad value per input: NaN in a real
/// input, 0.5 in a label, a position outside its axis (−1 and the axis's size) in an index.
/// </summary>
public sealed class ValidateValuesTests
{
    public static TheoryData<string, string, string> BadValues
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var name in CatalogDefinitions.Names.OrderBy(n => n, StringComparer.Ordinal))
            {
                foreach (var input in RankingMetric.Get(name).Info.Inputs)
                {
                    foreach (var bad in BadValuesOf(input.Type)) data.Add(name, input.Name, bad);
                }
            }
            return data;
        }
    }

    private static IEnumerable<string> BadValuesOf(string type) => type switch
    {
        "real" or "const real" => new[] { "NaN" },
        "bool" => new[] { "0.5" },
        _ when type.StartsWith("index", StringComparison.Ordinal) => new[] { "-1", CatalogInputs.Size.ToString() },
        _ => Array.Empty<string>(),
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void The_surrogate_refuses_a_bad_value_with_Exacts_message_only_when_asked(string name, string input, string bad)
    {
        var metric = RankingMetric.Get(name);
        using var scope = NewDisposeScope();
        var inputs = WithBadValue(metric, input, bad);

        var exact = Assert.ThrowsAny<ArgumentException>(() => metric.Exact(inputs, Options(metric, null)));
        Assert.Equal(input, exact.ParamName);
        Assert.StartsWith($"{name}: input '{input}'", exact.Message);
        foreach (var entry in new Func<IReadOnlyList<Tensor>, MetricOptions, Tensor>[] { metric.Smooth, metric.Loss })
        {
            var checkedError = Assert.ThrowsAny<ArgumentException>(() => entry(inputs, Options(metric, true)));
            Assert.Equal(exact.Message, checkedError.Message);
            Assert.Equal(exact.ParamName, checkedError.ParamName);
            // Unchecked (the default and false): no host sync, so the bad value goes in as given. An index outside
            // its axis may then fail inside LibTorch, which is not an ArgumentException.
            foreach (var unchecked_ in new bool?[] { null, false })
            {
                var error = Record.Exception(() => entry(inputs, Options(metric, unchecked_)));
                Assert.False(error is ArgumentException, $"{name}: ValidateValues = {unchecked_?.ToString() ?? "null"} checked '{input}': {error?.Message}");
            }
        }
    }

    [Fact]
    public void Exact_with_ValidateValues_false_computes_with_the_values_as_given()
    {
        // Accuracy of scores (0.7, −1) against labels (0.5, 0): hard predictions (1, 0); with the label read as the
        // number 0.5, tp = 0.5, tn = 1·1 = 1, fp = 1·0.5 = 0.5, fn = 0, so (tp + tn) / total = 1.5 / 2.
        using var scope = NewDisposeScope();
        var score = tensor(new[] { 0.7, -1 });
        var label = tensor(new[] { 0.5, 0 });
        Assert.ThrowsAny<ArgumentException>(() => Accuracy.Exact(score, label));
        Assert.Equal(0.75, Accuracy.Exact(score, label, new Accuracy.Options { ValidateValues = false }), 12);
    }

    [Fact]
    public void The_default_is_null_and_means_Exact_only()
    {
        var options = new F1.Options();
        Assert.Null(options.ValidateValues);
        Assert.True(options.ChecksValues(exact: true));
        Assert.False(options.ChecksValues(exact: false));
        Assert.True((options with { ValidateValues = true }).ChecksValues(exact: false));
        Assert.False((options with { ValidateValues = false }).ChecksValues(exact: true));
    }

    private static MetricOptions Options(RankingMetric metric, bool? validate)
    {
        var options = metric.Options();
        typeof(MetricOptions).GetProperty(nameof(MetricOptions.ValidateValues))!.SetValue(options, validate);
        typeof(MetricOptions).GetProperty(nameof(MetricOptions.Seed))!.SetValue(options, (long?)1);
        return options;
    }

    /// <summary>Valid inputs with one bad value in <paramref name="input"/>; a label with 0.5 is a float64 tensor.</summary>
    private static List<Tensor> WithBadValue(RankingMetric metric, string input, string bad)
    {
        var arrays = CatalogInputs.Build(metric.Info, seed: 3, infinities: false);
        var array = arrays[input];
        var data = (double[])array.Data.Clone();
        data[1] = double.Parse(bad, System.Globalization.CultureInfo.InvariantCulture);
        arrays[input] = new DenseArray(data, array.Shape);
        var tensors = metric.Tensors(arrays);
        var position = metric.Info.Inputs.ToList().FindIndex(i => i.Name == input);
        if (metric.Info.Inputs[position].Type == "bool")
        {
            tensors[position] = tensor(data, ScalarType.Float64).reshape(array.Shape.Select(s => (long)s).ToArray());
        }
        return tensors;
    }
}
