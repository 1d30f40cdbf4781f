using System;
using System.Collections.Generic;

namespace MetricLoss.Training;

/// <summary>
/// Picks, round after round, the given number of distinct classes with the most groups left (ties broken at
/// random) and takes one group from each: the schedule of <see cref="ClassBalancedBatchSampler"/>. Taking the
/// largest first keeps Σ_c min(left_c, rounds still possible) ≥ perRound·rounds true after every round, so it
/// reaches the maximum number of rounds. Classes are kept in buckets by groups left, so a round costs
/// O(perRound) plus the empty buckets it skips.
/// </summary>
internal sealed class LargestFirstSchedule
{
    private readonly List<int>[] _buckets;   // _buckets[r]: the classes with r groups left
    private readonly int[] _left;
    private readonly SplitMix64 _random;
    private int _top;

    public LargestFirstSchedule(int[] groups, SplitMix64 random)
    {
        _random = random;
        _left = (int[])groups.Clone();
        int max = 0;
        foreach (var g in groups) max = Math.Max(max, g);
        _buckets = new List<int>[max + 1];
        for (int r = 0; r <= max; r++) _buckets[r] = new List<int>();
        for (int c = 0; c < groups.Length; c++) _buckets[groups[c]].Add(c);
        _top = max;
    }

    /// <summary>The classes of the next round, each with one group taken.</summary>
    public int[] NextRound(int perRound)
    {
        var chosen = new int[perRound];
        int count = 0;
        for (int r = _top; r >= 1 && count < perRound; r--)
        {
            var bucket = _buckets[r];
            int need = Math.Min(perRound - count, bucket.Count);
            // A uniform random subset of `need` classes, moved to the end of the bucket, then removed.
            for (int k = 0; k < need; k++)
            {
                int last = bucket.Count - 1 - k;
                int j = _random.NextInt(last + 1);
                (bucket[j], bucket[last]) = (bucket[last], bucket[j]);
                chosen[count++] = bucket[last];
            }
            bucket.RemoveRange(bucket.Count - need, need);
        }
        if (count < perRound)
            throw new InvalidOperationException($"Internal error: a round found {count} classes with groups left, {perRound} needed.");
        foreach (var c in chosen)
        {
            if (--_left[c] > 0) _buckets[_left[c]].Add(c);
        }
        while (_top > 0 && _buckets[_top].Count == 0) _top--;
        return chosen;
    }
}
