using TorchSharp;
using static TorchSharp.torch;
using Relaxation = MetricLoss.Relaxation;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>
/// The generated Exact, Smooth and Loss of every metric of Ranking.metric and MultiClass.metric agree with the
/// reference interpreter on the same definition, on seeded random small inputs with ties and random options:
/// exact to 1e-12, smooth to 1e-10 in float64 and 1e-5 in float32, with each relaxation.
/// </summary>
public sealed class InterpreterDifferentialTests
{
    private const int Cases = 24;

    public static TheoryData<string, string, string> Rows
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var name in RankingMetric.AllNames)
            foreach (var dtype in new[] { "float64", "float32" })
            foreach (var relaxation in new[] { "Sigmoid", "Linear", "Smoothstep" })
            {
                data.Add(name, dtype, relaxation);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Generated_programs_equal_the_reference_interpreter(string name, string dtypeName, string relaxationName)
    {
        var metric = RankingMetric.Get(name);
        var dtype = dtypeName == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        var relaxation = Enum.Parse<Relaxation>(relaxationName);
        var smoothTolerance = dtype == ScalarType.Float32 ? 1e-5 : 1e-10;
        var random = new Random(StableSeed(name, dtypeName, relaxationName));

        for (var i = 0; i < Cases; i++)
        {
            var (arrays, options) = RandomRankingInputs.Draw(name, random, i);
            var context = $"{name}, {dtypeName}, {relaxationName}, case {i}: {RandomRankingInputs.Describe(arrays, options)}";
            using var scope = torch.NewDisposeScope();
            var inputs = metric.Tensors(arrays, dtype);
            var settings = metric.Options(options, relaxation);

            var exact = metric.Exact(inputs, settings);
            var expectedExact = metric.InterpreterExact(arrays, options);
            Assert.True(Math.Abs(exact - expectedExact) <= 1e-12, $"{context}: Exact {exact:R}, interpreter {expectedExact:R}");

            var smooth = metric.Smooth(inputs, settings);
            Assert.Equal(dtype, smooth.dtype);
            Assert.Equal(0, smooth.dim());
            var expectedSmooth = metric.InterpreterSmooth(arrays, options, relaxation);
            Assert.True(Math.Abs(smooth.to_type(ScalarType.Float64).item<double>() - expectedSmooth) <= smoothTolerance,
                $"{context}: Smooth {smooth.to_type(ScalarType.Float64).item<double>():R}, interpreter {expectedSmooth:R}");

            var loss = metric.Loss(inputs, settings).to_type(ScalarType.Float64).item<double>();
            Assert.True(Math.Abs(loss - (1 - expectedSmooth)) <= smoothTolerance, $"{context}: Loss {loss:R}, 1 − interpreter smooth {1 - expectedSmooth:R}");
        }
    }

    [Fact]
    public void Default_options_are_the_definitions_defaults()
    {
        // Null options and an empty option set mean the same; the defaults are those of the normative examples (docs/language.md).
        var recall = RankingMetric.Get("RecallAtK");
        Assert.Equal(new double[] { 1, 2, 4, 8, 16 }, recall.Info.Options.Single(o => o.Name == "k").Default);
        Assert.Equal(0.01, recall.Info.Options.Single(o => o.Name == "tau_rank").Default.Single());
        Assert.Equal(1.0, recall.Info.Options.Single(o => o.Name == "tau_k").Default.Single());
        Assert.Equal(0.01, RankingMetric.Get("AveragePrecision").Info.Options.Single().Default.Single());
        Assert.Equal(0.05, RankingMetric.Get("RocAuc").Info.Options.Single().Default.Single());
        Assert.Equal(new[] { 10.0, 0.1 }, RankingMetric.Get("NdcgAtK").Info.Options.Select(o => o.Default.Single()));
        Assert.Equal(new[] { 1.0, 1.0 }, RankingMetric.Get("TopKAccuracy").Info.Options.Select(o => o.Default.Single()));

        var random = new Random(5);
        foreach (var name in RankingMetric.AllNames)
        {
            var metric = RankingMetric.Get(name);
            var (arrays, _) = RandomRankingInputs.Draw(name, random, 7);
            using var scope = torch.NewDisposeScope();
            var inputs = metric.Tensors(arrays);
            Assert.Equal(metric.InterpreterExact(arrays), metric.Exact(inputs), 12);
            Assert.Equal(metric.InterpreterSmooth(arrays), metric.Smooth(inputs).item<double>(), 10);
        }
    }

    private static int StableSeed(params string[] parts)
    {
        var hash = 17;
        foreach (var part in parts)
        foreach (var ch in part)
        {
            hash = unchecked(hash * 31 + ch);
        }
        return hash & 0x7fffffff;
    }
}
