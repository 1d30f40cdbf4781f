using MetricLoss.Training;

namespace MetricLoss.Runtime.Tests.Training;

/// <summary>
/// The class-balanced sampler (Patel et al., CVPR 2022; official <c>TrainDatasetrsk.reshuffle</c>): batches of
/// distinct classes in contiguous blocks, each item at most once per epoch, the documented number of batches,
/// deterministic under the seed.
/// </summary>
public sealed class ClassBalancedBatchSamplerTests
{
    /// <summary>Class c has counts[c] items, interleaved in the dataset (item i of the dataset is not sorted by class).</summary>
    private static int[] Labels(params int[] counts)
    {
        var labels = new List<int>();
        int round = 0;
        while (labels.Count < counts.Sum())
        {
            for (int c = 0; c < counts.Length; c++) if (round < counts[c]) labels.Add(100 + c);
            round++;
        }
        return labels.ToArray();
    }

    private static void AssertWellFormed(ClassBalancedBatchSampler sampler, IReadOnlyList<int> labels, IReadOnlyList<long[]> epoch)
    {
        var seen = new HashSet<long>();
        foreach (var batch in epoch)
        {
            Assert.Equal(sampler.BatchSize, batch.Length);
            var classes = new HashSet<int>();
            for (int block = 0; block < sampler.ClassesPerBatch; block++)
            {
                int cls = labels[(int)batch[block * sampler.SamplesPerClass]];
                Assert.True(classes.Add(cls), $"class {cls} appears in two blocks of one batch");
                for (int j = 0; j < sampler.SamplesPerClass; j++)
                    Assert.Equal(cls, labels[(int)batch[block * sampler.SamplesPerClass + j]]);
            }
            foreach (var index in batch) Assert.True(seen.Add(index), $"item {index} used twice in one epoch");
        }
    }

    /// <summary>The documented count, computed directly: the largest B with Σ min(g_c, B) ≥ P·B.</summary>
    private static int Formula(int[] counts, int perBatch, int perClass)
    {
        var groups = counts.Select(n => n / perClass).ToArray();
        int best = 0;
        for (int b = 1; b <= groups.Sum(); b++)
            if (groups.Sum(g => Math.Min(g, b)) >= perBatch * b) best = b;
        return best;
    }

    [Fact]
    public void Batches_are_class_contiguous_blocks_of_distinct_classes_without_repeats()
    {
        var labels = Labels(9, 4, 12, 7, 5, 8, 4, 6);
        var sampler = new ClassBalancedBatchSampler(labels, 3, 4, seed: 1);
        Assert.Equal(12, sampler.BatchSize);
        for (int e = 0; e < 5; e++) AssertWellFormed(sampler, labels, sampler.Epoch(e));
    }

    [Fact]
    public void Uniform_classes_give_floor_of_groups_times_classes_over_classes_per_batch()
    {
        // 10 classes × 13 items, 4 per class: 3 groups each, 30 groups, 3 classes per batch → 10 batches.
        var labels = Labels(Enumerable.Repeat(13, 10).ToArray());
        var sampler = new ClassBalancedBatchSampler(labels, 3, 4, seed: 5);
        Assert.Equal(10, sampler.BatchesPerEpoch);
        Assert.Equal(10, sampler.Epoch(0).Count);
        Assert.Equal(0, sampler.SkippedClasses);
    }

    /// <summary>Largest-first reaches the bound; the official fixed-order fill would stop at 3 here.</summary>
    [Fact]
    public void Three_classes_of_three_groups_give_four_batches_of_two()
    {
        var labels = Labels(12, 12, 12);
        var sampler = new ClassBalancedBatchSampler(labels, 2, 4, seed: 9);
        Assert.Equal(4, sampler.BatchesPerEpoch);
        for (int e = 0; e < 20; e++)
        {
            var epoch = sampler.Epoch(e);
            Assert.Equal(4, epoch.Count);
            AssertWellFormed(sampler, labels, epoch);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Random_class_sizes_reach_the_documented_number_of_batches(int seed)
    {
        var random = new Random(seed);
        for (int trial = 0; trial < 30; trial++)
        {
            var counts = Enumerable.Range(0, random.Next(3, 15)).Select(_ => random.Next(0, 30)).ToArray();
            int perClass = random.Next(1, 5);
            int perBatch = random.Next(1, 6);
            if (counts.Count(n => n >= perClass) < perBatch) continue;
            var labels = Labels(counts);
            var sampler = new ClassBalancedBatchSampler(labels, perBatch, perClass, seed);
            int expected = Formula(counts, perBatch, perClass);
            Assert.Equal(expected, sampler.BatchesPerEpoch);
            var epoch = sampler.Epoch(trial);
            Assert.Equal(expected, epoch.Count);
            AssertWellFormed(sampler, labels, epoch);
        }
    }

    [Fact]
    public void Classes_with_too_few_items_are_skipped()
    {
        var labels = Labels(8, 3, 8, 2, 8);
        var sampler = new ClassBalancedBatchSampler(labels, 2, 4, seed: 3);
        Assert.Equal(2, sampler.SkippedClasses);
        var small = new HashSet<int> { 101, 103 };
        foreach (var batch in sampler.Epoch(0).Concat(sampler.Epoch(1)))
            Assert.DoesNotContain(batch, i => small.Contains(labels[i]));
        Assert.Equal(3, sampler.BatchesPerEpoch); // 3 classes × 2 groups = 6 groups, 2 per batch
    }

    [Fact]
    public void Too_few_usable_classes_is_an_error()
    {
        var labels = Labels(8, 3, 8);
        Assert.Throws<ArgumentException>(() => new ClassBalancedBatchSampler(labels, 3, 4, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassBalancedBatchSampler(labels, 0, 4, seed: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClassBalancedBatchSampler(labels, 2, 0, seed: 0));
    }

    [Fact]
    public void Same_seed_replays_the_same_epochs_and_epochs_differ()
    {
        var labels = Labels(9, 4, 12, 7, 5, 8, 4, 6, 11, 10);
        var a = new ClassBalancedBatchSampler(labels, 3, 4, seed: 17);
        var b = new ClassBalancedBatchSampler(labels, 3, 4, seed: 17);
        var c = new ClassBalancedBatchSampler(labels, 3, 4, seed: 18);

        var a0 = a.ToList();   // enumerating runs epoch 0, then epoch 1
        var a1 = a.ToList();
        var b0 = b.ToList();
        var b1 = b.ToList();
        Assert.Equal(2, a.EpochsStarted);
        Assert.Equal(Flatten(a0), Flatten(b0));
        Assert.Equal(Flatten(a1), Flatten(b1));
        Assert.Equal(Flatten(a0), Flatten(a.Epoch(0)));
        Assert.Equal(Flatten(a1), Flatten(a.Epoch(1)));
        Assert.NotEqual(Flatten(a0), Flatten(a1));
        Assert.NotEqual(Flatten(a0), Flatten(c.Epoch(0)));
    }

    [Fact]
    public void Every_item_of_a_uniform_dataset_is_used_once_per_epoch_when_groups_divide()
    {
        // 6 classes × 8 items, 2 per class, 3 classes per batch: 24 groups → 8 batches of 6 = all 48 items.
        var labels = Labels(Enumerable.Repeat(8, 6).ToArray());
        var sampler = new ClassBalancedBatchSampler(labels, 3, 2, seed: 4);
        var used = sampler.Epoch(0).SelectMany(batch => batch).OrderBy(i => i).ToArray();
        Assert.Equal(Enumerable.Range(0, 48).Select(i => (long)i), used);
    }

    private static long[] Flatten(IEnumerable<long[]> epoch) => epoch.SelectMany(batch => batch).ToArray();
}
