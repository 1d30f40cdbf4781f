using MetricLoss.Runtime.Ranking;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// Rows long enough (N = 200,000) for the radix path of the row sort (one row of floats on an x64 CPU with more than
/// one LibTorch thread; see RowSort in src/Runtime/Kernels/Ranking), on values that stress its integer keys: heavy
/// ties, −0 next to +0, ±∞, subnormals, ±double.MaxValue. Checked against a managed reference (Array.Sort and
/// prefix sums, O(N log N)) and against the same row stacked twice, which takes the plain <c>torch.sort</c> path.
/// </summary>
public sealed class LargeRowTests
{
    private const int N = 200_000;

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void Counts_of_one_long_row_equal_the_managed_reference(ScalarType dtype)
    {
        using var threads = new AtLeastTwoThreads();
        var (values, weight) = Draw(new Random(7));
        var seen = RankingTensors.AsSeenIn(values, dtype);
        var reference = new SortedReference(seen, weight);
        using var scope = NewDisposeScope();
        var x = RankingTensors.Values(values, new long[] { N }, dtype);
        var w = RankingTensors.Values(weight, new long[] { N });
        var shape = new long[] { N };

        foreach (var strict in new[] { true, false })
        foreach (var excludeSelf in new[] { true, false })
        {
            var expected = Enumerable.Range(0, N).Select(i => reference.CountAbove(i, strict, excludeSelf)).ToArray();
            Assert.True(expected.SequenceEqual(RankingTensors.Read(RankCounts.CountAbove(x, w, strict, excludeSelf), shape)),
                $"{dtype}: CountAbove strict {strict}, excludeSelf {excludeSelf}");
        }
        var step = Enumerable.Range(0, N).Select(i => reference.StepCountAbove(i)).ToArray();
        Assert.True(step.SequenceEqual(RankingTensors.Read(RankCounts.StepCountAbove(x, w, excludeSelf: true), shape)), $"{dtype}: StepCountAbove");
    }

    [Fact]
    public void MannWhitney_and_AveragePrecision_of_one_long_row_equal_the_managed_reference()
    {
        using var threads = new AtLeastTwoThreads();
        var (values, weight) = Draw(new Random(8));
        var label = weight.Select(v => v > 1 ? 1.0 : 0.0).ToArray();
        var negative = label.Select(l => 1 - l).ToArray();
        using var scope = NewDisposeScope();
        var x = RankingTensors.Values(values, new long[] { N });
        var l = RankingTensors.Mask(label, new long[] { N }, MaskKind.Bool);

        // wins = Σ_{pos i} (negatives strictly below + ½ tied) = Σ_{pos i} (N⁻ − StepCountAbove over negatives).
        var byNegative = new SortedReference(values, negative);
        var negatives = negative.Sum();
        var wins = Enumerable.Range(0, N).Where(i => label[i] != 0).Sum(i => negatives - byNegative.StepCountAbove(i) - 0.5 * negative[i]);
        Assert.Equal(wins, PairwiseRank.MannWhitney(x, l, MetricOps.Not(l.to_type(ScalarType.Float64))).item<double>());

        // AP = mean over positives of (positives ≥ s_i) / (items ≥ s_i).
        var byLabel = new SortedReference(values, label);
        var byItem = new SortedReference(values, Enumerable.Repeat(1.0, N).ToArray());
        var ap = Enumerable.Range(0, N).Where(i => label[i] != 0)
            .Average(i => byLabel.CountAbove(i, strict: false, excludeSelf: false) / byItem.CountAbove(i, strict: false, excludeSelf: false));
        Assert.Equal(ap, PrecisionAtPositives.AveragePrecision(x, l).item<double>(), 1e-12);
    }

    /// <summary>
    /// The radix path ([N]) and the plain sort ([2, N]: two rows) agree exactly. With NaN (unsupported: the exact
    /// evaluators reject it) both sort every NaN last, each in a group of its own, so they agree at every other item;
    /// the NaN items' own counts depend on the unspecified order among the NaNs.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Radix_path_equals_the_plain_sort_path(bool withNaN)
    {
        using var threads = new AtLeastTwoThreads();
        var (values, weight) = Draw(new Random(9));
        if (withNaN)
        {
            for (var i = 0; i < N; i += 997) values[i] = double.NaN;
        }
        var keep = values.Select(v => !double.IsNaN(v)).ToArray();
        using var scope = NewDisposeScope();
        var x = RankingTensors.Values(values, new long[] { N });
        var w = RankingTensors.Values(weight, new long[] { N });
        var x2 = stack(new[] { x, x });
        var w2 = stack(new[] { w, w });
        foreach (var strict in new[] { true, false })
        {
            var one = RankCounts.CountAbove(x, w, strict, excludeSelf: true);
            var two = RankCounts.CountAbove(x2, w2, strict, excludeSelf: true);
            Assert.True(Same(one, two[0], keep) && Same(one, two[1], keep), $"strict {strict}");
        }
        Assert.True(Same(RankCounts.StepCountAbove(x, w, false), RankCounts.StepCountAbove(x2, w2, false)[1], keep));
        if (!withNaN)
        {
            Assert.Equal(PairwiseRank.MannWhitney(x2, w2, w2)[0].item<double>(), PairwiseRank.MannWhitney(x, w, w).item<double>());
        }
    }

    private static bool Same(Tensor a, Tensor b, bool[] keep)
    {
        var (x, y) = (Infrastructure.Tensors.Values(a), Infrastructure.Tensors.Values(b));
        return Enumerable.Range(0, x.Length).All(i => !keep[i] || x[i] == y[i]);
    }

    /// <summary>Heavy ties (3-decimal normals) mixed with the keys' edge cases; weights in {0, 0.5, 1, 1.5, 2}.</summary>
    private static (double[] Values, double[] Weight) Draw(Random rng)
    {
        var special = new[]
        {
            0.0, -0.0, double.PositiveInfinity, double.NegativeInfinity, double.Epsilon, -double.Epsilon, 2.5e-310, -2.5e-310,
            double.MaxValue, -double.MaxValue, 1e308, -1e308, 1e-300, -1e-300, 1.0, -1.0, 0.5, -0.5, 1 + 2.220446049250313e-16,
        };
        var values = new double[N];
        var weight = new double[N];
        for (var i = 0; i < N; i++)
        {
            values[i] = rng.Next(10) == 0
                ? special[rng.Next(special.Length)]
                : Math.Round(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()), 3);
            weight[i] = rng.Next(5) * 0.5;
        }
        return (values, weight);
    }

    /// <summary>Counts by sorting in managed code: Σ_j w_j·[x_j &gt; x_i] etc. from the weight of each distinct value.</summary>
    private sealed class SortedReference
    {
        private readonly double[] _values;
        private readonly double[] _weight;
        private readonly double[] _distinct;   // increasing
        private readonly double[] _above;      // weight strictly above each distinct value
        private readonly double[] _tied;       // weight equal to each distinct value

        public SortedReference(double[] values, double[] weight)
        {
            _values = values;
            _weight = weight;
            var sorted = values.Select((v, i) => (Value: v, Weight: weight[i])).ToArray();
            Array.Sort(sorted, (a, b) => a.Value.CompareTo(b.Value)); // -0.0 and +0.0 compare equal
            var distinct = new List<double>();
            var tied = new List<double>();
            foreach (var (value, w) in sorted)
            {
                if (distinct.Count == 0 || distinct[^1] != value)
                {
                    distinct.Add(value);
                    tied.Add(0);
                }
                tied[^1] += w;
            }
            _distinct = distinct.ToArray();
            _tied = tied.ToArray();
            _above = new double[_tied.Length];
            for (var g = _tied.Length - 2; g >= 0; g--) _above[g] = _above[g + 1] + _tied[g + 1];
        }

        public double CountAbove(int i, bool strict, bool excludeSelf)
        {
            var g = Group(_values[i]);
            var count = strict ? _above[g] : _above[g] + _tied[g];
            return excludeSelf && !strict ? count - _weight[i] : count;
        }

        /// <summary>Σ_{j≠i} w_j·step(x_j − x_i).</summary>
        public double StepCountAbove(int i)
        {
            var g = Group(_values[i]);
            return _above[g] + 0.5 * (_tied[g] - _weight[i]);
        }

        private int Group(double value)
        {
            var (lo, hi) = (0, _distinct.Length - 1);
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (_distinct[mid] < value) lo = mid + 1; else hi = mid;
            }
            return lo;
        }
    }

    /// <summary>The radix path needs more than one LibTorch thread; raise the count for the test's duration if needed.</summary>
    private sealed class AtLeastTwoThreads : IDisposable
    {
        private readonly int _previous = get_num_threads();

        public AtLeastTwoThreads()
        {
            if (_previous < 2) set_num_threads(2);
        }

        public void Dispose()
        {
            if (_previous < 2) set_num_threads(_previous);
        }
    }
}
