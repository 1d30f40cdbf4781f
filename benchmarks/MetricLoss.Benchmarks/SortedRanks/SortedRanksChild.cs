using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using MetricLoss.Benchmarks.Ranking;
using MetricLoss.Catalog;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Benchmarks.ProcessMemory;

namespace MetricLoss.Benchmarks.SortedRanks;

/// <summary>What one child process of <c>--sorted-ranks</c> measures: one case, a warm-up step and the measured steps.</summary>
internal static class SortedRanksChild
{
    public static int Measure(SortedRanksCase c, int steps)
    {
        Program.ConfigureThreads();
        var generator = new Generator(20261203);
        Func<Tensor> loss;
        Tensor leaf;
        if (c.Metric is "RocAuc" or "AveragePrecision")
        {
            leaf = randn(new[] { c.N }, generator: generator).requires_grad_(true);
            var labels = rand(new[] { c.N }, generator: generator).lt(0.3);
            var scores = leaf;
            loss = c.Metric == "RocAuc"
                ? () => RocAuc.Loss(scores, labels, new RocAuc.Options { Relaxation = Relaxation(c), SortBasedRanks = SortBased(c) })
                : () => AveragePrecision.Loss(scores, labels, new AveragePrecision.Options { Relaxation = Relaxation(c), SortBasedRanks = SortBased(c) });
        }
        else
        {
            var raw = randn(new[] { c.N, 128L }, generator: generator);
            leaf = raw.div(raw.norm(1, keepdim: true)).detach().requires_grad_(true);
            // Classes of |P| + 1 contiguous items: every query has |P| positives besides itself (the last class fewer).
            var position = arange(0L, c.N, 1L, ScalarType.Int64);
            using var perClass = ((long)c.Positives + 1).ToScalar();
            var cls = position.div(perClass, rounding_mode: RoundingMode.floor);
            var notSelf = position.unsqueeze(1).ne(position.unsqueeze(0));
            var pos = cls.unsqueeze(1).eq(cls.unsqueeze(0)).logical_and(notSelf);
            var embeddings = leaf;
            loss = c.Metric == "RecallAtK"
                ? () => RecallAtK.Loss(embeddings.mm(embeddings.t()), pos, notSelf, new RecallAtK.Options { Relaxation = Relaxation(c), SortBasedRanks = SortBased(c) })
                : () => MeanAveragePrecision.Loss(embeddings.mm(embeddings.t()), pos, new MeanAveragePrecision.Options { Relaxation = Relaxation(c), SortBasedRanks = SortBased(c) });
        }
        double value = Step(loss, leaf);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = ResetPeak();
        var times = new List<double>();
        for (int s = 0; s < steps; s++)
        {
            var watch = Stopwatch.StartNew();
            value = Step(loss, leaf);
            times.Add(watch.Elapsed.TotalSeconds);
        }
        long peak = ReadStatus("VmHWM");
        Console.WriteLine(FormattableString.Invariant($"@result|{RankingMeasure.Quantile(times, 0.5):R}|{Megabytes(peak - before):F1}|{value:R}"));
        return 0;
    }

    /// <summary>Forward + backward; the loss as a double.</summary>
    private static double Step(Func<Tensor> loss, Tensor leaf)
    {
        double value;
        using (var scope = NewDisposeScope())
        {
            var l = loss();
            l.backward();
            value = l.item<float>();
        }
        using (var grad = leaf.grad) { }
        leaf.grad = null;
        return value;
    }

    private static Relaxation Relaxation(SortedRanksCase c) => c.Program switch
    {
        "sigma" => MetricLoss.Relaxation.Sigmoid,
        "smoothstep" => MetricLoss.Relaxation.Smoothstep,
        _ => MetricLoss.Relaxation.Linear,
    };

    private static bool SortBased(SortedRanksCase c) => c.Program is "sorted" or "smoothstep";
}
