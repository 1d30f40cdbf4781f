using MetricLoss.Dsl.Interpretation;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;
using DslRelaxation = MetricLoss.Dsl.Interpretation.Relaxation;

namespace MetricLoss.Runtime.Tests;

/// <summary>
/// Differential testing against the reference interpreter of src/Dsl (docs/architecture.md, "Testing strategy"):
/// the generated Exact, Smooth and Loss of every catalogue metric agree with the interpreter of the same
/// definition on seeded random inputs (sizes 1..40, ties, float32 and float64) and random option values.
/// </summary>
public sealed class OracleDifferentialTests
{
    private const int CasesPerMetric = 20;

    public static TheoryData<string, string, string> Rows
    {
        get
        {
            var data = new TheoryData<string, string, string>();
            foreach (var metric in CatalogMetrics.All)
            foreach (var dtype in new[] { "float32", "float64" })
            foreach (var relaxation in new[] { "Sigmoid", "Linear", "Smoothstep" })
            {
                data.Add(metric.Name, dtype, relaxation);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Generated_code_agrees_with_the_reference_interpreter(string name, string dtypeName, string relaxationName)
    {
        var metric = CatalogMetrics.Get(name);
        var definition = CatalogDefinitions.Get(name);
        var dtype = dtypeName == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        var relaxation = Enum.Parse<Relaxation>(relaxationName);
        var smoothTolerance = dtype == ScalarType.Float32 ? 1e-5 : 1e-10;
        // A seed stable across processes (HashCode.Combine is salted per process, which made the draws, and so the
        // test, differ from run to run).
        var random = new Random(StableSeed($"{name}/{dtypeName}/{relaxationName}"));

        for (var i = 0; i < CasesPerMetric; i++)
        {
            var (batch, settings) = Draw(metric, random, i);
            if (dtype == ScalarType.Float32) batch = batch.RoundedToFloat();
            var context = $"{name}, {dtypeName}, {relaxationName}, case {i}: n = {batch.Count}, {settings}";
            var inputs = new Dictionary<string, DenseArray>
            {
                [metric.ScoreInput] = DenseArray.Vector(batch.Score),
                [metric.LabelInput] = DenseArray.Bools(batch.Label),
            };
            var options = settings.ToInterpreterOptions();
            var interpreterSettings = new InterpreterSettings((DslRelaxation)Enum.Parse(typeof(DslRelaxation), relaxationName));
            using var scope = torch.NewDisposeScope();
            var score = Tensors.Scores(batch.Score, dtype);
            var label = Tensors.Labels(batch.Label, i % 2 == 0 ? LabelKind.Bool : LabelKind.Float32);

            var exact = metric.Exact(score, label, settings);
            var expectedExact = ReferenceInterpreter.Exact(definition, inputs, options);
            Assert.True(Math.Abs(exact - expectedExact) <= 1e-12, $"{context}: Exact {exact:R}, interpreter {expectedExact:R}");

            var smooth = Tensors.Value(metric.Smooth(score, label, settings with { Relaxation = relaxation }));
            var expectedSmooth = ReferenceInterpreter.Smooth(definition, inputs, options, interpreterSettings);
            Assert.True(Close(smooth, expectedSmooth), $"{context}: Smooth {smooth:R}, interpreter {expectedSmooth:R}");

            var loss = Tensors.Value(metric.Loss(score, label, settings with { Relaxation = relaxation }));
            var expectedLoss = ReferenceInterpreter.Loss(definition, inputs, options, interpreterSettings);
            Assert.True(Close(1 - loss, 1 - expectedLoss), $"{context}: Loss {loss:R}, interpreter {expectedLoss:R}");
        }

        // The G-means end in sqrt(a), whose slope 1/(2√a) turns float32's rounding of a near 0 (the soft counts are
        // 0.5 + (p − ½)/(4τ), where a saturated count is a difference of near-equal terms: ~1e-7) into up to
        // √1e-7 ≈ 3e-4 of the value. There they are compared on the argument a = value², which float32 gets right.
        bool Close(double actual, double expected) =>
            Math.Abs(actual - expected) <= smoothTolerance
            || (dtype == ScalarType.Float32 && name.StartsWith("GMean", StringComparison.Ordinal)
                && Math.Abs(actual * actual - expected * expected) <= 1e-6);
    }

    [Theory]
    [MemberData(nameof(CatalogMetrics.Names), MemberType = typeof(CatalogMetrics))]
    public void Info_agrees_with_the_compiled_definition(string name)
    {
        var info = CatalogMetrics.Get(name).Info;
        var definition = CatalogDefinitions.Get(name);

        Assert.Equal(definition.Name, info.Name);
        Assert.Equal(definition.Namespace, info.Namespace);
        Assert.Equal(definition.Source, info.Source);
        Assert.Equal(definition.Inputs.Select(i => i.Name), info.Inputs.Select(i => i.Name));
        Assert.Equal(definition.Options.Select(o => o.Name), info.Options.Select(o => o.Name));
        Assert.Equal(definition.Options.Select(o => o.Default.ToArray()), info.Options.Select(o => o.Default.ToArray()));
        Assert.Equal(definition.Direction.ToString(), info.Direction.ToString());
    }

    [Fact]
    public void Every_catalogue_definition_has_generated_code_and_vice_versa()
    {
        // The (score, label) metrics are covered here; the ranking and multi-class ones by RankingCatalog, the UniLoss ones by
        // InterpolatedCatalogTests, the soft-label ones by Values.SoftLabelTests.
        var covered = CatalogMetrics.All.Select(m => m.Name).Concat(RankingCatalog.RankingMetric.AllNames).Concat(InterpolatedCatalogTests.Names)
            .Concat(Values.SoftLabelTests.MetricNames);
        Assert.Equal(CatalogDefinitions.Names.OrderBy(n => n), covered.OrderBy(n => n));
    }

    /// <summary>FNV-1a of the text: the same seed in every process.</summary>
    private static int StableSeed(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text) hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7fffffff);
    }

    /// <summary>
    /// A random batch and random options. Scores and thresholds partly lie on a grid of multiples of 1/4 (exact in
    /// float32), so there are ties among the scores and with the threshold.
    /// </summary>
    private static (RandomBatch Batch, MetricSettings Settings) Draw(CatalogMetric metric, Random random, int index)
    {
        var count = index switch { 0 => 1, 1 => 2, 2 => 40, _ => 1 + random.Next(40) };
        var positiveRate = index switch { 3 => 0.0, 4 => 1.0, _ => 0.1 + 0.8 * random.NextDouble() };
        if (metric.IsAnyLoss)
        {
            // Probabilities near 0.5 (where the amplified sigmoid is not saturated), some exactly 0.5.
            var batch = RandomBatch.Draw(random, count, 0.5, 0.08, positiveRate, tieGrid: 0.03125);
            batch = batch with { Score = batch.Score.Select(p => Math.Clamp(p, 0.001, 0.999)).ToArray() };
            var tau = random.NextDouble() < 0.3 ? (double?)null : 0.005 + 0.05 * random.NextDouble();
            return (batch, new MetricSettings(Tau: tau));
        }
        var threshold = random.NextDouble() < 0.3 ? (double?)null : Math.Round(random.NextDouble() * 8 - 4) / 4;
        var scoreBatch = RandomBatch.Draw(random, count, threshold ?? 0, 1.5, positiveRate, tieGrid: 0.25);
        return (scoreBatch, new MetricSettings(
            Threshold: threshold,
            Tau: random.NextDouble() < 0.3 ? null : 0.1 + 2.9 * random.NextDouble(),
            Beta: metric.HasOption("beta") && random.NextDouble() < 0.8 ? 0.25 + 2.75 * random.NextDouble() : null));
    }
}
