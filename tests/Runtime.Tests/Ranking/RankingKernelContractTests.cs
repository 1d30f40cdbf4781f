using MetricLoss.Runtime.Ranking;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// The kernels' contract apart from their values: shape errors are ArgumentExceptions naming the kernel and the
/// argument; results are float64 on the input's device (every available device); inputs are neither modified nor
/// disposed; degenerate rows (N = 1, N = 0, all tied, all masked, k &gt; N) give the definitions' values.
/// </summary>
public sealed class RankingKernelContractTests
{
    private static Tensor V(params double[] values) => Tensors.Scores(values, ScalarType.Float64);

    private static Tensor B(params bool[] values) => Tensors.Labels(values);

    public static TheoryData<string> Misuses => new()
    {
        "CountAbove: mask shape", "CountAbove: 0-dim values", "StepCountAbove: mask shape", "MannWhitney: positive shape",
        "MannWhitney: negative shape", "Precision: positive shape", "AveragePrecision: valid shape", "CountAboveValue: threshold shape",
        "CountAboveValue: mask shape", "CountAboveIndex: index shape", "CountAboveIndex: index dtype", "IdealDcg: negative k",
        "IdealDcg: 0-dim gain", "TieGroups: weight shape", "CountAbove: disposed values", "CountAbove: complex values",
    };

    [Theory]
    [MemberData(nameof(Misuses))]
    public void Wrong_arguments_are_ArgumentExceptions_naming_kernel_and_argument(string misuse)
    {
        using var scope = NewDisposeScope();
        var x = zeros(3, 5, ScalarType.Float64);
        var m = ones(3, 5, ScalarType.Bool);
        var wrong = ones(3, 4, ScalarType.Bool);
        var disposed = zeros(3, 5);
        disposed.Dispose();
        Action call = misuse switch
        {
            "CountAbove: mask shape" => () => RankCounts.CountAbove(x, wrong, true, true),
            "CountAbove: 0-dim values" => () => RankCounts.CountAbove(zeros(Array.Empty<long>()), null, true, true),
            "StepCountAbove: mask shape" => () => RankCounts.StepCountAbove(x, wrong, true),
            "MannWhitney: positive shape" => () => PairwiseRank.MannWhitney(x, wrong, m),
            "MannWhitney: negative shape" => () => PairwiseRank.MannWhitney(x, m, ones(5, 3)),
            "Precision: positive shape" => () => PrecisionAtPositives.Precision(x, ones(15)),
            "AveragePrecision: valid shape" => () => PrecisionAtPositives.AveragePrecision(x, m, wrong),
            "CountAboveValue: threshold shape" => () => ThresholdCounts.CountAboveValue(x, zeros(5), null, true),
            "CountAboveValue: mask shape" => () => ThresholdCounts.CountAboveValue(x, zeros(3), wrong, true),
            "CountAboveIndex: index shape" => () => ThresholdCounts.CountAboveIndex(x, zeros(3, 1, ScalarType.Int64), null, true),
            "CountAboveIndex: index dtype" => () => ThresholdCounts.CountAboveIndex(x, zeros(3), null, true),
            "IdealDcg: negative k" => () => DiscountedGain.IdealDcg(x, -1),
            "IdealDcg: 0-dim gain" => () => DiscountedGain.IdealDcg(zeros(Array.Empty<long>()), 3),
            "TieGroups: weight shape" => () => { using var g = new TieGroups(x); g.CountAbove(wrong, true, false); },
            "CountAbove: disposed values" => () => RankCounts.CountAbove(disposed, null, true, true),
            "CountAbove: complex values" => () => RankCounts.CountAbove(zeros(3, 5, ScalarType.ComplexFloat64), null, true, true),
            _ => throw new ArgumentOutOfRangeException(nameof(misuse)),
        };

        var e = Assert.ThrowsAny<ArgumentException>(call);

        var kernel = misuse[..misuse.IndexOf(':')];
        Assert.Contains(kernel, e.Message);
        Assert.False(string.IsNullOrEmpty(e.ParamName), $"{misuse}: no parameter name in \"{e.Message}\"");
        Assert.Contains($"'{e.ParamName}'", e.Message);
    }

    [Fact]
    public void Shape_message_names_both_shapes()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentException>(() => RankCounts.CountAbove(zeros(3, 5), ones(3, 4), true, false));
        Assert.Equal("mask", e.ParamName);
        Assert.Contains("[3, 4]", e.Message);
        Assert.Contains("[3, 5]", e.Message);
    }

    [Fact]
    public void Results_are_float64_on_the_inputs_device_and_inputs_are_untouched()
    {
        foreach (var device in Tensors.AvailableDevices())
        foreach (var dtype in new[] { ScalarType.Float32, ScalarType.Float64, ScalarType.Float16, ScalarType.BFloat16, ScalarType.Int64 })
        {
            using var scope = NewDisposeScope();
            var x = tensor(new double[] { 2, 1, 2, 4, 0, 1, 2, 3 }).reshape(2, 4).to(dtype, device);
            var mask = tensor(new[] { true, false, true, true, false, true, true, true }).reshape(2, 4).to(device);
            var maskFloat = mask.to_type(ScalarType.Float64);
            var before = Tensors.Values(x);
            var context = $"{device.type}, {dtype}";

            var results = new (string What, Tensor Result, long[] Shape)[]
            {
                ("CountAbove", RankCounts.CountAbove(x, mask, false, true), new long[] { 2, 4 }),
                ("StepCountAbove", RankCounts.StepCountAbove(x, maskFloat, true), new long[] { 2, 4 }),
                ("MannWhitney", PairwiseRank.MannWhitney(x, mask, maskFloat), new long[] { 2 }),
                ("Precision", PrecisionAtPositives.Precision(x, mask), new long[] { 2, 4 }),
                ("AveragePrecision", PrecisionAtPositives.AveragePrecision(x, mask, maskFloat), new long[] { 2 }),
                ("CountAboveValue", ThresholdCounts.CountAboveValue(x, x.select(-1, 0), mask, true), new long[] { 2 }),
                ("CountAboveIndex", ThresholdCounts.CountAboveIndex(x, tensor(new long[] { 1, 2 }, device: device), mask, false), new long[] { 2 }),
                ("IdealDcg", DiscountedGain.IdealDcg(x, 3), new long[] { 2 }),
            };

            foreach (var (what, result, shape) in results)
            {
                Assert.True(result.dtype == ScalarType.Float64, $"{what}, {context}: dtype {result.dtype}");
                Assert.True(result.device_type == device.type, $"{what}, {context}: device {result.device_type}");
                Assert.Equal(shape, result.shape);
            }
            Assert.Equal(before, Tensors.Values(x));
            Assert.Equal(new double[] { 1, 0, 1, 1, 0, 1, 1, 1 }, Tensors.Values(maskFloat));
            // Every dtype holds these values exactly, so every dtype gives the same counts.
            Assert.Equal(new double[] { 2, 3, 2, 0, 3, 2, 1, 0 }, Tensors.Values(results[0].Result));
        }
    }

    /// <summary>A mask on the CPU is moved to the values' device (and works on the CPU itself).</summary>
    [Fact]
    public void Masks_move_to_the_values_device()
    {
        foreach (var device in Tensors.AvailableDevices())
        {
            using var scope = NewDisposeScope();
            var x = V(0.3, 0.1, 0.2).to(device);
            var counts = RankCounts.CountAbove(x, B(true, true, false), strict: true, excludeSelf: true);
            Assert.Equal(new double[] { 0, 1, 1 }, Tensors.Values(counts));
        }
    }

    [Fact]
    public void N_equal_1()
    {
        using var scope = NewDisposeScope();
        var x = V(0.7).reshape(1, 1);
        var on = B(true).reshape(1, 1);
        Assert.Equal(new double[] { 0 }, Tensors.Values(RankCounts.CountAbove(x, on, strict: true, excludeSelf: false)));
        Assert.Equal(new double[] { 1 }, Tensors.Values(RankCounts.CountAbove(x, on, strict: false, excludeSelf: false)));
        Assert.Equal(new double[] { 0 }, Tensors.Values(RankCounts.CountAbove(x, on, strict: false, excludeSelf: true)));
        Assert.Equal(new double[] { 0.5 }, Tensors.Values(RankCounts.StepCountAbove(x, on, excludeSelf: false)));
        Assert.Equal(new double[] { 0.5 }, Tensors.Values(PairwiseRank.MannWhitney(x, on, on)));
        Assert.Equal(new double[] { 1 }, Tensors.Values(PrecisionAtPositives.AveragePrecision(x, on)));
        Assert.Equal(new double[] { 0 }, Tensors.Values(ThresholdCounts.CountAboveIndex(x, zeros(1, ScalarType.Int64), null, strict: false)));
        Assert.Equal(new double[] { 0.7 }, Tensors.Values(DiscountedGain.IdealDcg(x, 10)), new ToleranceComparer(1e-15));
    }

    [Fact]
    public void N_equal_0_gives_empty_counts_and_zero_sums()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 0, ScalarType.Float64);
        var m = zeros(2, 0, ScalarType.Bool);
        Assert.Equal(new long[] { 2, 0 }, RankCounts.CountAbove(x, m, true, true).shape);
        Assert.Equal(new long[] { 2, 0 }, RankCounts.StepCountAbove(x, null, false).shape);
        Assert.Equal(new double[] { 0, 0 }, Tensors.Values(PairwiseRank.MannWhitney(x, m, m)));
        Assert.Equal(new double[] { 0, 0 }, Tensors.Values(PrecisionAtPositives.AveragePrecision(x, m)));
        Assert.Equal(new double[] { 0, 0 }, Tensors.Values(ThresholdCounts.CountAboveValue(x, zeros(2), null, true)));
        Assert.Equal(new double[] { 0, 0 }, Tensors.Values(DiscountedGain.IdealDcg(x, 3)));
    }

    [Fact]
    public void All_tied()
    {
        using var scope = NewDisposeScope();
        var x = full(1, 6, 0.25, ScalarType.Float64);
        var label = B(true, false, false, true, false, false).reshape(1, 6);
        Assert.All(Tensors.Values(RankCounts.CountAbove(x, null, strict: true, excludeSelf: true)), c => Assert.Equal(0, c));
        Assert.All(Tensors.Values(RankCounts.CountAbove(x, null, strict: false, excludeSelf: true)), c => Assert.Equal(5, c));
        Assert.All(Tensors.Values(RankCounts.StepCountAbove(x, label, excludeSelf: false)), c => Assert.Equal(1, c));
        // RocAuc of all-tied scores is ½; AP is the positive rate (every threshold takes everything).
        Assert.Equal(new[] { 0.5 }, Tensors.Values(RankingCompositions.RocAuc(x, label)));
        Assert.Equal(2.0 / 6, Tensors.Values(PrecisionAtPositives.AveragePrecision(x, label))[0], 1e-15);
    }

    [Fact]
    public void All_masked()
    {
        using var scope = NewDisposeScope();
        var x = V(0.1, 0.5, 0.3, 0.5).reshape(2, 2);
        var none = zeros(2, 2, ScalarType.Bool);
        Assert.All(Tensors.Values(RankCounts.CountAbove(x, none, strict: false, excludeSelf: false)), c => Assert.Equal(0, c));
        Assert.All(Tensors.Values(RankCounts.StepCountAbove(x, none, excludeSelf: true)), c => Assert.Equal(0, c));
        Assert.Equal(new double[] { 0, 0 }, Tensors.Values(PairwiseRank.MannWhitney(x, none, ones(2, 2))));
        Assert.Equal(new double[] { 0, 0 }, Tensors.Values(PrecisionAtPositives.AveragePrecision(x, none)));
        Assert.Equal(new double[] { 0, 0 }, Tensors.Values(PrecisionAtPositives.AveragePrecision(x, ones(2, 2), none)));
        Assert.Equal(new double[] { 0, 0 }, Tensors.Values(ThresholdCounts.CountAboveValue(x, zeros(2), none, false)));
    }

    [Fact]
    public void K_beyond_N_takes_every_item_and_k_0_takes_none()
    {
        using var scope = NewDisposeScope();
        var gain = V(1, 3, 2).reshape(1, 3);
        var all = 3 / Math.Log2(2) + 2 / Math.Log2(3) + 1 / Math.Log2(4);
        Assert.Equal(all, Tensors.Values(DiscountedGain.IdealDcg(gain, 3))[0], 1e-15);
        Assert.Equal(all, Tensors.Values(DiscountedGain.IdealDcg(gain, 1000))[0], 1e-15);
        Assert.Equal(0, Tensors.Values(DiscountedGain.IdealDcg(gain, 0))[0]);
        // TopKAccuracy with k at or beyond the class count is 1.
        Assert.Equal(1.0, RankingCompositions.TopKAccuracy(gain, tensor(new long[] { 0 }), 5).item<double>());
    }

    private sealed class ToleranceComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance;

        public int GetHashCode(double value) => 0;
    }
}
