using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// Wrong shapes, dtypes, label values and option values are ArgumentExceptions whose message names the metric
/// and the input or option (docs/architecture.md, "Generated API"), from every entry point.
/// </summary>
public sealed class BadInputTests
{
    private enum Entry { Exact, Smooth, Loss, Criterion }

    private static readonly Entry[] AllEntries = { Entry.Exact, Entry.Smooth, Entry.Loss, Entry.Criterion };

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Length_mismatch_names_the_metric_both_inputs_and_the_axis(string name)
    {
        var metric = CatalogMetrics.Get(name);
        foreach (var entry in AllEntries)
        {
            using var scope = torch.NewDisposeScope();
            var error = Call(metric, entry, Scores(5), Tensors.Labels(new bool[4]));

            AssertNames(error, metric, metric.ScoreInput, metric.LabelInput, "'n'");
            Assert.Contains("5", error.Message);
            Assert.Contains("4", error.Message);
        }
        var spanError = Assert.ThrowsAny<ArgumentException>(() => metric.Exact(new[] { 1f, 2f, 3f }, new[] { true, false }));
        AssertNames(spanError, metric, metric.ScoreInput, metric.LabelInput, "'n'");
        spanError = Assert.ThrowsAny<ArgumentException>(() => metric.Exact(new[] { 1.0 }, new[] { true, false }));
        AssertNames(spanError, metric, metric.ScoreInput, metric.LabelInput, "'n'");
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Wrong_rank_names_the_metric_and_the_input(string name)
    {
        var metric = CatalogMetrics.Get(name);
        foreach (var entry in AllEntries)
        {
            using var scope = torch.NewDisposeScope();
            var matrixScore = Scores(6).reshape(2, 3);
            var matrixLabel = Tensors.Labels(new bool[6]).reshape(2, 3);

            AssertNames(Call(metric, entry, matrixScore, matrixLabel), metric, metric.ScoreInput);
            AssertNames(Call(metric, entry, Scores(6), matrixLabel), metric, metric.LabelInput);
            AssertNames(Call(metric, entry, Scores(1).reshape(Array.Empty<long>()), Tensors.Labels(new bool[1])), metric, metric.ScoreInput);
        }
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Integer_scores_are_rejected_naming_the_input(string name)
    {
        var metric = CatalogMetrics.Get(name);
        foreach (var entry in AllEntries)
        foreach (var dtype in new[] { ScalarType.Int64, ScalarType.Int32, ScalarType.Bool })
        {
            using var scope = torch.NewDisposeScope();
            var error = Call(metric, entry, Scores(4).to_type(dtype), Tensors.Labels(new[] { true, false, true, false }));

            AssertNames(error, metric, metric.ScoreInput);
            Assert.Contains("dtype", error.Message);
        }
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Numeric_labels_are_accepted_and_mean_the_same_as_bool(string name)
    {
        var metric = CatalogMetrics.Get(name);
        var labels = new[] { true, false, true, true, false, false, true };
        using var scope = torch.NewDisposeScope();
        var score = Tensors.Scores(metric.IsAnyLoss ? new[] { 0.6, 0.4, 0.45, 0.7, 0.55, 0.3, 0.52 } : new[] { 1.0, -1, -0.5, 2, 0.5, -2, 0.1 }, ScalarType.Float64);
        var reference = metric.Exact(score, Tensors.Labels(labels));
        var referenceSmooth = Tensors.Value(metric.Smooth(score, Tensors.Labels(labels)));

        foreach (var kind in Tensors.LabelKinds)
        {
            Assert.Equal(reference, metric.Exact(score, Tensors.Labels(labels, kind)), 15);
            Assert.Equal(referenceSmooth, Tensors.Value(metric.Smooth(score, Tensors.Labels(labels, kind))), 12);
        }
        var int32 = Tensors.Labels(labels, LabelKind.Int64).to_type(ScalarType.Int32);
        Assert.Equal(reference, metric.Exact(score, int32), 15);
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Exact_rejects_labels_other_than_0_and_1(string name)
    {
        var metric = CatalogMetrics.Get(name);
        foreach (var bad in new[] { 2.0, 0.5, -1.0, double.NaN })
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64 })
        {
            using var scope = torch.NewDisposeScope();
            var label = torch.tensor(new[] { 1.0, 0.0, bad, 1.0 }).to_type(dtype);

            AssertNames(Call(metric, Entry.Exact, Scores(4), label), metric, metric.LabelInput);
        }
        using (torch.NewDisposeScope())
        {
            var intLabel = torch.tensor(new long[] { 0, 1, 3, 1 });
            AssertNames(Call(metric, Entry.Exact, Scores(4), intLabel), metric, metric.LabelInput);
        }
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Exact_rejects_NaN_scores(string name)
    {
        var metric = CatalogMetrics.Get(name);
        using var scope = torch.NewDisposeScope();
        var values = new[] { 0.2, double.NaN, 0.7 };
        var labels = new[] { true, false, true };

        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Float16 })
        {
            AssertNames(Call(metric, Entry.Exact, Tensors.Scores(values, dtype), Tensors.Labels(labels)), metric, metric.ScoreInput);
        }
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => metric.Exact(values, labels)), metric, metric.ScoreInput);
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => metric.Exact(new[] { 0.2f, float.NaN }, new[] { true, false })), metric, metric.ScoreInput);
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Empty_inputs_are_rejected(string name)
    {
        var metric = CatalogMetrics.Get(name);
        foreach (var entry in AllEntries)
        {
            using var scope = torch.NewDisposeScope();
            var error = Call(metric, entry, Tensors.Scores(Array.Empty<double>(), ScalarType.Float32), Tensors.Labels(Array.Empty<bool>()));

            AssertNames(error, metric, metric.ScoreInput);
            Assert.Contains("empty", error.Message);
        }
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => metric.Exact(Array.Empty<double>(), Array.Empty<bool>())), metric, metric.ScoreInput);
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => metric.Exact(Array.Empty<float>(), Array.Empty<bool>())), metric, metric.ScoreInput);
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Null_and_disposed_tensors_are_rejected_naming_the_input(string name)
    {
        var metric = CatalogMetrics.Get(name);
        foreach (var entry in AllEntries)
        {
            using var scope = torch.NewDisposeScope();
            var nullScore = Call(metric, entry, null!, Tensors.Labels(new bool[3]));
            Assert.IsType<ArgumentNullException>(nullScore);
            AssertNames(nullScore, metric, metric.ScoreInput);
            Assert.Equal(metric.ScoreInput, nullScore.ParamName);

            var nullLabel = Call(metric, entry, Scores(3), null!);
            Assert.IsType<ArgumentNullException>(nullLabel);
            AssertNames(nullLabel, metric, metric.LabelInput);

            var disposed = Scores(3);
            disposed.Dispose();
            AssertNames(Call(metric, entry, disposed, Tensors.Labels(new bool[3])), metric, metric.ScoreInput);
        }
    }

    public static TheoryData<string, string> BadOptions
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var metric in CatalogMetrics.All)
            {
                foreach (var option in new[] { "Tau=0", "Tau=-1", "Tau=NaN", "Tau=Infinity", "Epsilon=0", "Epsilon=-1", "Epsilon=NaN" }) data.Add(metric.Name, option);
                if (metric.HasOption("threshold"))
                {
                    foreach (var option in new[] { "Threshold=NaN", "Threshold=Infinity" }) data.Add(metric.Name, option);
                }
                if (metric.HasOption("beta"))
                {
                    foreach (var option in new[] { "Beta=NaN", "Beta=-Infinity" }) data.Add(metric.Name, option);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_option_values_are_rejected_naming_the_metric_and_the_option(string name, string option)
    {
        var metric = CatalogMetrics.Get(name);
        var (property, text) = (option.Split('=')[0], option.Split('=')[1]);
        var value = double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
        var settings = property switch
        {
            "Tau" => new MetricSettings(Tau: value),
            "Epsilon" => new MetricSettings(Epsilon: value),
            "Threshold" => new MetricSettings(Threshold: value),
            _ => new MetricSettings(Beta: value),
        };
        foreach (var entry in AllEntries)
        {
            using var scope = torch.NewDisposeScope();
            var error = Call(metric, entry, Scores(4), Tensors.Labels(new[] { true, false, true, false }), settings);

            AssertNames(error, metric, property);
            Assert.Equal(property, error.ParamName);
        }
        AssertNames(Assert.ThrowsAny<ArgumentException>(() => metric.Exact(new[] { 0.1, 0.9 }, new[] { true, false }, settings)), metric, property);
    }

    [Fact]
    public void Undefined_relaxation_is_rejected()
    {
        var metric = CatalogMetrics.Get("F1");
        using var scope = torch.NewDisposeScope();

        var error = Call(metric, Entry.Smooth, Scores(3), Tensors.Labels(new bool[3]), new MetricSettings(Relaxation: (Relaxation)42));

        AssertNames(error, metric, "Relaxation");
    }

    [Fact]
    public void Non_positive_MaxPairwiseElements_is_rejected()
    {
        using var scope = torch.NewDisposeScope();
        var score = Scores(3);
        var label = Tensors.Labels(new bool[3]);

        var error = Assert.ThrowsAny<ArgumentException>(() => Catalog.Mcc.Smooth(score, label, new Catalog.Mcc.Options { MaxPairwiseElements = 0 }));

        Assert.Contains("Mcc", error.Message);
        Assert.Contains("MaxPairwiseElements", error.Message);
    }

    private static Tensor Scores(int count) => Tensors.Scores(Enumerable.Range(0, count).Select(i => 0.1 * i).ToArray(), ScalarType.Float32);

    private static ArgumentException Call(CatalogMetric metric, Entry entry, Tensor score, Tensor label, MetricSettings? settings = null) =>
        Assert.ThrowsAny<ArgumentException>(() =>
        {
            switch (entry)
            {
                case Entry.Exact:
                    metric.Exact(score, label, settings);
                    break;
                case Entry.Smooth:
                    metric.Smooth(score, label, settings);
                    break;
                case Entry.Loss:
                    metric.Loss(score, label, settings);
                    break;
                default:
                    using (var criterion = metric.Criterion(settings)) criterion.call(score, label);
                    break;
            }
        });

    private static void AssertNames(ArgumentException error, CatalogMetric metric, params string[] names)
    {
        Assert.Contains(metric.Name, error.Message);
        foreach (var n in names) Assert.Contains(n, error.Message);
    }
}
