using MetricLoss.Interpolation;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Runtime.Tests.Interpolation.InterpolationTensors;

namespace MetricLoss.Runtime.Tests.Interpolation;

/// <summary>
/// The anchors of UniLoss (docs/surrogates.md §1.5, docs/language.md "Interpolation mode (UniLoss)"): ground truth, good,
/// nearby and random rows, invalid coordinates held at 1, determinism under the generator's seed.
/// </summary>
public sealed class AnchorSamplerTests
{
    // Δ over 10 coordinates: 3 and 7 invalid; hard state h = [Δ > 0] = 1 at 0, 2, 5, 9 (and 3, invalid).
    private static readonly double[] Delta = { 0.4, -0.3, 0.2, 0.9, -0.8, 0.1, -0.5, -0.6, -0.7, 0.3 };
    private static readonly bool[] Valid = Bools(1, 1, 1, 0, 1, 1, 1, 0, 1, 1);

    private static double[][] Draw(double[] delta, bool[] valid, int good, int nearby, int random, ulong seed, ScalarType dtype = ScalarType.Float64)
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(seed, CPU);
        var anchors = AnchorSampler.SampleFromComparisons(Vector(delta, dtype), Mask(valid), good, nearby, random, generator);
        Assert.Equal(new[] { 1L + good + nearby + random, delta.Length }, anchors.shape);
        return Rows(anchors);
    }

    [Fact]
    public void Rows_have_the_documented_structure()
    {
        const int good = 40, nearby = 40, random = 40;
        var rows = Draw(Delta, Valid, good, nearby, random, 11);
        var hard = Delta.Select(x => x > 0 ? 1.0 : 0.0).ToArray();
        var state = hard.Select((h, j) => Valid[j] ? h : 1.0).ToArray();

        Assert.All(rows, row => Assert.All(row, x => Assert.True(x == 0 || x == 1)));
        Assert.All(rows, row => { Assert.Equal(1.0, row[3]); Assert.Equal(1.0, row[7]); });
        Assert.All(rows[0], x => Assert.Equal(1.0, x));

        foreach (var row in rows.Skip(1).Take(good))
        {
            var flipped = Enumerable.Range(0, row.Length).Where(j => row[j] != 1).ToArray();
            Assert.Single(flipped);
            Assert.True(Valid[flipped[0]]);
        }
        foreach (var row in rows.Skip(1 + good).Take(nearby))
        {
            var moved = Enumerable.Range(0, row.Length).Where(j => row[j] != state[j]).ToArray();
            Assert.Single(moved);
            Assert.True(Valid[moved[0]]);
            Assert.Equal(0.0, state[moved[0]]); // a step towards the ground truth: 0 → 1
            Assert.Equal(1.0, row[moved[0]]);
        }
        var randomValid = rows.Skip(1 + good + nearby).SelectMany(row => row.Where((_, j) => Valid[j])).ToArray();
        Assert.InRange(randomValid.Average(), 0.35, 0.65);
    }

    [Fact]
    public void Nearby_falls_back_to_one_random_valid_flip_of_the_ground_truth_when_the_hard_state_is_the_ground_truth()
    {
        // Every valid comparison already true; the invalid ones false (they must not count as disagreement).
        var delta = Delta.Select((x, j) => Valid[j] ? Math.Abs(x) : -Math.Abs(x)).ToArray();
        const int nearby = 400;
        var rows = Draw(delta, Valid, 0, nearby, 0, 5).Skip(1).ToArray();
        var hits = new int[delta.Length];
        foreach (var row in rows)
        {
            var flipped = Enumerable.Range(0, row.Length).Where(j => row[j] != 1).ToArray();
            Assert.Single(flipped);
            Assert.True(Valid[flipped[0]]);
            hits[flipped[0]]++;
        }
        // Uniform over the 8 valid coordinates: 50 expected each.
        Assert.All(Enumerable.Range(0, delta.Length).Where(j => Valid[j]), j => Assert.InRange(hits[j], 25, 80));
    }

    [Fact]
    public void Nearby_picks_uniformly_among_the_disagreeing_valid_coordinates_only()
    {
        const int nearby = 600;
        var rows = Draw(Delta, Valid, 0, nearby, 0, 6).Skip(1).ToArray();
        var disagree = Enumerable.Range(0, Delta.Length).Where(j => Valid[j] && Delta[j] <= 0).ToArray(); // 1, 4, 6, 8
        var hits = new int[Delta.Length];
        var hard = Delta.Select((x, j) => x > 0 || !Valid[j] ? 1.0 : 0.0).ToArray();
        foreach (var row in rows) hits[Enumerable.Range(0, row.Length).Single(j => row[j] != hard[j])]++;
        Assert.Equal(nearby, disagree.Sum(j => hits[j]));
        Assert.All(disagree, j => Assert.InRange(hits[j], 100, 200)); // 150 expected each
    }

    [Fact]
    public void Good_flips_are_uniform_over_the_valid_coordinates()
    {
        const int good = 800;
        var rows = Draw(Delta, Valid, good, 0, 0, 7).Skip(1).ToArray();
        var hits = new int[Delta.Length];
        foreach (var row in rows) hits[Array.IndexOf(row, 0.0)]++;
        Assert.Equal(0, hits[3]);
        Assert.Equal(0, hits[7]);
        Assert.All(Enumerable.Range(0, Delta.Length).Where(j => Valid[j]), j => Assert.InRange(hits[j], 60, 140)); // 100 expected
    }

    [Fact]
    public void Same_seed_gives_the_same_anchors_and_another_seed_different_ones()
    {
        var a = Draw(Delta, Valid, 16, 16, 16, 42);
        var b = Draw(Delta, Valid, 16, 16, 16, 42);
        var c = Draw(Delta, Valid, 16, 16, 16, 43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void No_comparison_gives_K_empty_rows_and_no_valid_coordinate_gives_ground_truth_rows()
    {
        var empty = Draw(Array.Empty<double>(), Array.Empty<bool>(), 3, 4, 5, 1);
        Assert.Equal(13, empty.Length);
        Assert.All(empty, row => Assert.Empty(row));

        var none = Draw(Delta, new bool[Delta.Length], 3, 4, 5, 1);
        Assert.Equal(13, none.Length);
        Assert.All(none, row => Assert.All(row, x => Assert.Equal(1.0, x)));
    }

    [Fact]
    public void Zero_counts_give_the_ground_truth_alone()
    {
        var rows = Draw(Delta, Valid, 0, 0, 0, 1);
        Assert.Single(rows);
        Assert.All(rows[0], x => Assert.Equal(1.0, x));
    }

    [Fact]
    public void Soft_and_comparison_entry_points_agree_and_use_the_compute_dtype()
    {
        using var scope = torch.NewDisposeScope();
        var delta = Vector(Delta);
        using var g1 = new torch.Generator(9, CPU);
        using var g2 = new torch.Generator(9, CPU);
        var fromDelta = AnchorSampler.SampleFromComparisons(delta, Mask(Valid), 5, 5, 5, g1);
        var fromSoft = AnchorSampler.Sample(delta.sigmoid(), Mask(Valid), 5, 5, 5, g2);
        Assert.Equal(Rows(fromDelta), Rows(fromSoft));
        Assert.Equal(ScalarType.Float64, fromDelta.dtype);

        using var g3 = new torch.Generator(9, CPU);
        var half = AnchorSampler.SampleFromComparisons(Vector(Delta, ScalarType.Float16), Tensors.Labels(Valid, LabelKind.Float32), 5, 5, 5, g3);
        Assert.Equal(ScalarType.Float32, half.dtype);
        Assert.Equal(Rows(fromDelta), Rows(half));
    }

    [Fact]
    public void Bad_arguments_are_rejected_from_shapes()
    {
        using var scope = torch.NewDisposeScope();
        using var generator = new torch.Generator(1, CPU);
        Assert.Throws<ArgumentException>(() => AnchorSampler.SampleFromComparisons(torch.zeros(2, 3), Mask(Valid), 1, 1, 1, generator));
        Assert.Throws<ArgumentException>(() => AnchorSampler.SampleFromComparisons(Vector(Delta), Mask(new bool[3]), 1, 1, 1, generator));
        Assert.Throws<ArgumentOutOfRangeException>(() => AnchorSampler.SampleFromComparisons(Vector(Delta), Mask(Valid), -1, 1, 1, generator));
        Assert.Throws<ArgumentException>(() => AnchorSampler.SampleFromHard(Vector(Delta), Mask(Valid), 1, 1, 1, generator, ScalarType.Int64));
    }

    [Fact]
    public void Anchors_are_drawn_on_every_available_device()
    {
        foreach (var device in Tensors.AvailableDevices())
        {
            using var scope = torch.NewDisposeScope();
            using var generator = new torch.Generator(3, device);
            var anchors = AnchorSampler.SampleFromComparisons(Vector(Delta, ScalarType.Float32, device), Mask(Valid, device), 4, 4, 4, generator);
            Assert.Equal(device.type, anchors.device.type);
            Assert.Equal(ScalarType.Float32, anchors.dtype);
            Assert.All(Rows(anchors), row => { Assert.Equal(1.0, row[3]); Assert.Equal(1.0, row[7]); });
        }
    }
}
