using MetricLoss.Runtime.Tests.Infrastructure;
using MetricLoss.Runtime.Tests.RankingCatalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Values;

/// <summary>
/// ±∞ scores in every catalogue metric (docs/language.md, "Infinite scores"): an infinite score is ordered like any
/// other and ∞ − ∞ is a tie, so the surrogate's value and gradient are finite, as <c>Exact</c>'s value is. Before the
/// rule, RocAuc, AveragePrecision, RecallAtK, the list metrics and the interpolated metrics gave NaN here, and
/// TopKAccuracy and RecallAtK a NaN gradient through the masked-out diagonal.
/// </summary>
public sealed class InfiniteScoreTests
{
    public static TheoryData<string, string, Relaxation> Cases
    {
        get
        {
            var data = new TheoryData<string, string, Relaxation>();
            foreach (var name in CatalogDefinitions.Names.OrderBy(n => n, StringComparer.Ordinal))
            {
                foreach (var relaxation in Enum.GetValues<Relaxation>())
                {
                    data.Add(name, "float64", relaxation);
                    data.Add(name, "float32", relaxation);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Loss_and_its_gradient_are_finite_when_scores_mix_in_infinities(string name, string dtypeName, Relaxation relaxation)
    {
        var dtype = dtypeName == "float32" ? ScalarType.Float32 : ScalarType.Float64;
        var metric = RankingMetric.Get(name);
        Assert.Contains(metric.Info.Inputs, i => i.IsDifferentiable);
        using var scope = NewDisposeScope();
        for (var seed = 0; seed < 3; seed++)
        {
            var inputs = metric.Tensors(CatalogInputs.Build(metric.Info, seed, infinities: true), dtype, requiresGrad: true);
            var options = metric.Options(relaxation: relaxation);
            // Interpolation anchors: the same in every run of the test.
            typeof(MetricOptions).GetProperty(nameof(MetricOptions.Seed))!.SetValue(options, (long?)seed);
            var exact = metric.Exact(inputs, options);
            Assert.True(double.IsFinite(exact), $"{name}: Exact is {exact}");

            var smooth = Tensors.Value(metric.Smooth(inputs, options));
            Assert.True(double.IsFinite(smooth), $"{name} ({dtypeName}, {relaxation}): Smooth is {smooth}");
            var loss = metric.Loss(inputs, options);
            Assert.True(double.IsFinite(Tensors.Value(loss)), $"{name} ({dtypeName}, {relaxation}): Loss is {Tensors.Value(loss)}");
            loss.backward();
            foreach (var (input, tensor) in metric.Info.Inputs.Zip(inputs))
            {
                if (!input.IsDifferentiable) continue;
                Assert.NotNull(tensor.grad);
                var gradient = Tensors.Values(tensor.grad!);
                Assert.True(gradient.All(double.IsFinite),
                    $"{name} ({dtypeName}, {relaxation}): the gradient of '{input.Name}' is [{string.Join(", ", gradient)}]");
            }
        }
    }
}
