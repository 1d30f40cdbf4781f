using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace MetricLoss.Training;

/// <summary>
/// Class-balanced batches for Recall@k-style losses: each batch holds <c>classesPerBatch</c> distinct classes ×
/// <c>samplesPerClass</c> samples, laid out in class-contiguous blocks (the samples of one class together), the
/// layout <see cref="SiMix"/> and the paper's loss expect (Patel, Tolias, Matas, CVPR 2022: batches of
/// classes × samples per class, 4 samples per class by default; official code <c>src/datasets.py</c>
/// <c>TrainDatasetrsk.reshuffle</c>; docs/surrogates.md §3.2 item 5).
/// </summary>
/// <remarks>
/// <para>
/// <b>One epoch</b> (as <c>reshuffle</c>): every class's items are shuffled and cut into groups of
/// samplesPerClass; the items left over (count mod samplesPerClass) are not used in that epoch. Classes with
/// fewer than samplesPerClass items are <b>skipped</b> (never sampled with replacement, like the official
/// code), see <see cref="SkippedClasses"/>. Each batch then takes one group from each of classesPerBatch
/// distinct classes; every item appears at most once per epoch; finally the batch order is shuffled.
/// </para>
/// <para>
/// <b>Which classes</b>: each batch takes the classes with the most groups left, ties broken at random (the
/// official code fills batches in one fixed shuffled class order, which can strand groups of the classes
/// late in that order). This gives the largest possible number of batches, <see cref="BatchesPerEpoch"/> =
/// the largest B with Σ_c min(g_c, B) ≥ classesPerBatch·B, where g_c = ⌊n_c / samplesPerClass⌋ is the number of
/// groups of class c (a class can be in at most one group per batch). With every class holding g groups and
/// C classes that is ⌊C·g / classesPerBatch⌋ (when C ≥ classesPerBatch). Classes with many more groups than
/// the others appear in most batches of an epoch.
/// </para>
/// <para>
/// <b>Determinism.</b> Epoch e is a function of (labels, classesPerBatch, samplesPerClass, seed, e) alone
/// (<see cref="Epoch"/>, drawn with SplitMix64, independent of the .NET version). Enumerating the sampler runs
/// the next epoch: the first enumeration is epoch 0, the second epoch 1, and so on, so a new sampler with the
/// same seed replays the same sequence of epochs.
/// </para>
/// </remarks>
public sealed class ClassBalancedBatchSampler : IEnumerable<long[]>
{
    private readonly long[][] _items;   // the items of each usable class (classes in ascending label order)
    private readonly int[] _groups;     // ⌊n_c / samplesPerClass⌋ per usable class
    private readonly long _seed;
    private long _epochsStarted;

    /// <summary>Builds the sampler; <paramref name="labels"/>[i] is the class of dataset item i.</summary>
    /// <param name="labels">The class of every dataset item; the batches hold indices into this list.</param>
    /// <param name="classesPerBatch">Distinct classes per batch (≥ 1).</param>
    /// <param name="samplesPerClass">Items of each class per batch (≥ 1; the paper's default is 4).</param>
    /// <param name="seed">Fixes every epoch (see the remarks).</param>
    /// <exception cref="ArgumentNullException"><paramref name="labels"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classesPerBatch"/> or <paramref name="samplesPerClass"/> is below 1.</exception>
    /// <exception cref="ArgumentException">No batch can be formed: fewer than classesPerBatch classes have samplesPerClass items.</exception>
    public ClassBalancedBatchSampler(IReadOnlyList<int> labels, int classesPerBatch, int samplesPerClass, long seed)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (classesPerBatch < 1) throw new ArgumentOutOfRangeException(nameof(classesPerBatch), classesPerBatch, "At least one class per batch.");
        if (samplesPerClass < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerClass), samplesPerClass, "At least one sample per class.");

        var byClass = new SortedDictionary<int, List<long>>();
        for (int i = 0; i < labels.Count; i++)
        {
            if (!byClass.TryGetValue(labels[i], out var list)) byClass[labels[i]] = list = new List<long>();
            list.Add(i);
        }
        var usable = byClass.Values.Where(items => items.Count >= samplesPerClass).ToArray();
        if (usable.Length < classesPerBatch)
            throw new ArgumentException(
                $"Only {usable.Length} of {byClass.Count} classes have at least {samplesPerClass} items; a batch needs {classesPerBatch} distinct classes.",
                nameof(labels));

        _items = usable.Select(items => items.ToArray()).ToArray();
        _groups = _items.Select(items => items.Length / samplesPerClass).ToArray();
        _seed = seed;
        ClassesPerBatch = classesPerBatch;
        SamplesPerClass = samplesPerClass;
        SkippedClasses = byClass.Count - usable.Length;
        BatchesPerEpoch = MaximumBatches(_groups, classesPerBatch);
    }

    /// <summary>Distinct classes per batch.</summary>
    public int ClassesPerBatch { get; }

    /// <summary>Samples of each class in a batch (the block size).</summary>
    public int SamplesPerClass { get; }

    /// <summary>ClassesPerBatch × SamplesPerClass indices per batch.</summary>
    public int BatchSize => ClassesPerBatch * SamplesPerClass;

    /// <summary>Batches in every epoch: the largest B with Σ_c min(⌊n_c / SamplesPerClass⌋, B) ≥ ClassesPerBatch·B.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>Classes never sampled because they have fewer than SamplesPerClass items.</summary>
    public int SkippedClasses { get; }

    /// <summary>How many enumerations (epochs) have been started; the next enumeration is epoch number <c>EpochsStarted</c>.</summary>
    public long EpochsStarted => Interlocked.Read(ref _epochsStarted);

    /// <summary>The batches of epoch <paramref name="epoch"/> (a pure function of the seed and the epoch number).</summary>
    /// <param name="epoch">Any epoch number; enumeration runs 0, 1, 2, ….</param>
    /// <returns><see cref="BatchesPerEpoch"/> batches of <see cref="BatchSize"/> item indices, each in class-contiguous blocks.</returns>
    public IReadOnlyList<long[]> Epoch(long epoch)
    {
        var random = SplitMix64.For(_seed, epoch);
        var shuffled = _items.Select(items => { var copy = (long[])items.Clone(); random.Shuffle(copy); return copy; }).ToArray();
        var used = new int[_items.Length];
        var schedule = new LargestFirstSchedule(_groups, random);
        var batches = new long[BatchesPerEpoch][];
        for (int b = 0; b < batches.Length; b++)
        {
            var classes = schedule.NextRound(ClassesPerBatch);
            random.Shuffle(classes);
            var batch = new long[BatchSize];
            for (int k = 0; k < classes.Length; k++)
            {
                int c = classes[k];
                Array.Copy(shuffled[c], (long)used[c]++ * SamplesPerClass, batch, (long)k * SamplesPerClass, SamplesPerClass);
            }
            batches[b] = batch;
        }
        random.Shuffle(batches);
        return batches;
    }

    /// <summary>Runs the next epoch (see the remarks).</summary>
    public IEnumerator<long[]> GetEnumerator()
    {
        long epoch = Interlocked.Increment(ref _epochsStarted) - 1;
        return Epoch(epoch).GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The largest B with Σ min(g_c, B) ≥ perBatch·B (the left side minus the right is concave and 0 at B = 0).</summary>
    internal static int MaximumBatches(IReadOnlyList<int> groups, int perBatch)
    {
        long total = groups.Sum(g => (long)g);
        long low = 0, high = total / perBatch;
        while (low < high)
        {
            long mid = (low + high + 1) / 2;
            long fits = groups.Sum(g => Math.Min((long)g, mid));
            if (fits >= perBatch * mid) low = mid; else high = mid - 1;
        }
        return checked((int)low);
    }
}
