using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using MetricLoss.Catalog;
using MetricLoss.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static MetricLoss.Benchmarks.ProcessMemory;

namespace MetricLoss.Benchmarks.Training;

/// <summary>
/// <c>--multistage [--sizes 500,1000,2000,4000] [--chunk 200] [--reps 3] [--loss both|recall|pairwise]</c>:
/// peak native memory and time of one training step with multistage backpropagation
/// (<see cref="MultistageBackprop.Step"/>, Patel et al., CVPR 2022; docs/surrogates.md §3.4) against a plain
/// full-batch forward + backward, as the batch grows.
/// <para>
/// Inputs: synthetic [N, 64] float32 rows through an MLP 64 → 512 → 512 → 128 (ReLU), so that the network's
/// activations grow with N; 4 samples per class. Losses, both coupling every pair of samples:
/// <c>recall</c>, the generated RS@k (<c>RecallAtK.Loss</c>, defaults τ2 = 0.01, K = {1, 2, 4, 8, 16}) on the
/// cosine similarities of the L2-normalised embeddings, each query out of its own list; <c>pairwise</c>, a
/// cheap contrastive-style loss mean softplus(±γ(s − m)) over all pairs, where the network dominates the step.
/// A third side, <c>loss only</c>, back-propagates the loss to fixed embeddings (stage 2 alone): what the
/// loss itself costs in both modes.
/// </para>
/// <para>
/// Memory: as <c>--peak</c> (<see cref="PeakMemory"/>): glibc's mmap threshold fixed at 64 KiB so that freed
/// buffers leave the resident set, VmHWM reset by writing "5" to /proc/self/clear_refs before the step, and
/// VmHWM − (VmRSS at the reset) after it (median of the repetitions). Time: wall clock of the step, fastest and
/// median of the repetitions; the sides are interleaved within each repetition. Parameter gradients are set to none before each step.
/// </para>
/// </summary>
public static class MultistageBenchmark
{
    private const int InputWidth = 64;
    private const long PerClass = 4;

    private sealed record Measure(double Milliseconds, double PeakMegabytes, double Loss);

    /// <summary>Fastest and median time (other work on a shared machine only ever adds time), median peak.</summary>
    private sealed record Summary(double MinMs, double MedianMs, double PeakMegabytes, double Loss);

    public static int Run(string[] args)
    {
        long[] sizes = { 500, 1000, 2000, 4000 };
        long chunk = 200;
        int repetitions = 3;
        string losses = "both";
        for (int i = 0; i < args.Length - 1; i++)
        {
            if (args[i] == "--sizes") sizes = args[i + 1].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (args[i] == "--chunk") chunk = long.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (args[i] == "--reps") repetitions = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            if (args[i] == "--loss") losses = args[i + 1];
        }
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("--multistage reads /proc/self; it runs on Linux only.");
            return 2;
        }
        if (!GlibcMalloc.SetThresholds(GlibcMalloc.PeakMmapThreshold, GlibcMalloc.DefaultTrimThreshold))
        {
            Console.Error.WriteLine("mallopt failed; the peak numbers would not be meaningful.");
            return 2;
        }
        MetricLoss.Native.TorchNative.EnsureLoaded();

        var names = losses == "both" ? new[] { "pairwise", "recall" } : new[] { losses };
        Console.WriteLine($"Multistage backpropagation (chunk {chunk}) vs plain backward; MLP {InputWidth}→512→512→128 float32, {PerClass} per class;");
        Console.WriteLine($"{repetitions} repetitions after 1 warm-up, sides interleaved; torch threads: {get_num_threads()}.");
        Console.WriteLine();
        Console.WriteLine("| loss | N | plain (ms), min / median | multistage (ms), min / median | time ratio, min / median | loss only (ms), min | plain peak (MB) | multistage peak (MB) | memory ratio | loss only peak (MB) | network part, plain → multistage (MB) | loss plain / multistage |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var name in names)
        {
            foreach (var n in sizes)
            {
                var (plain, multi, lossOnly) = MeasureSize(name, n, chunk, repetitions);
                Console.WriteLine(FormattableString.Invariant(
                    $"| {name} | {n} | {plain.MinMs:F0} / {plain.MedianMs:F0} | {multi.MinMs:F0} / {multi.MedianMs:F0} | {multi.MinMs / plain.MinMs:F2} / {multi.MedianMs / plain.MedianMs:F2} | {lossOnly.MinMs:F0} | {plain.PeakMegabytes:F1} | {multi.PeakMegabytes:F1} | {multi.PeakMegabytes / plain.PeakMegabytes:F2} | {lossOnly.PeakMegabytes:F1} | {plain.PeakMegabytes - lossOnly.PeakMegabytes:F1} → {multi.PeakMegabytes - lossOnly.PeakMegabytes:F1} | {plain.Loss:G7} / {multi.Loss:G7} |"));
            }
        }
        return 0;
    }

    private static (Summary Plain, Summary Multistage, Summary LossOnly) MeasureSize(string lossName, long n, long chunk, int repetitions)
    {
        using var model = Mlp();
        using var inputs = Inputs(n);
        var (loss, disposeLoss) = lossName == "recall" ? RecallLoss(n) : PairwiseLoss(n);
        using var fixedEmbeddings = FixedEmbeddings(model, inputs);
        try
        {
            var sides = new (string Name, Func<double> Step)[]
            {
                ("plain", () => PlainStep(model, inputs, loss)),
                ("multistage", () => MultistageBackprop.Step(model, inputs, loss, chunk)),
                ("loss only", () => LossOnlyStep(fixedEmbeddings, loss)),
            };
            foreach (var side in sides) Once(model, fixedEmbeddings, side.Step); // warm-up
            var samples = sides.Select(_ => new List<Measure>()).ToArray();
            for (int r = 0; r < repetitions; r++)
            {
                for (int s = 0; s < sides.Length; s++) samples[s].Add(Once(model, fixedEmbeddings, sides[s].Step));
            }
            var medians = samples.Select(Median).ToArray();
            return (medians[0], medians[1], medians[2]);
        }
        finally
        {
            disposeLoss();
        }
    }

    private static Measure Once(nn.Module model, Tensor fixedEmbeddings, Func<double> step)
    {
        foreach (var p in model.parameters()) p.grad = null;
        fixedEmbeddings.grad = null;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = ResetPeak();
        var clock = Stopwatch.StartNew();
        double value = step();
        double ms = clock.Elapsed.TotalMilliseconds;
        long peak = ReadStatus("VmHWM");
        return new Measure(ms, (peak - before) * 1024 / 1e6, value);
    }

    private static Summary Median(List<Measure> samples)
    {
        var times = samples.Select(m => m.Milliseconds).OrderBy(t => t).ToArray();
        var peaks = samples.Select(m => m.PeakMegabytes).OrderBy(p => p).ToArray();
        return new Summary(times[0], times[times.Length / 2], peaks[peaks.Length / 2], samples[^1].Loss);
    }

    private static double PlainStep(nn.Module<Tensor, Tensor> model, Tensor inputs, Func<Tensor, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var value = loss(model.call(inputs));
        value.backward();
        return value.item<float>();
    }

    /// <summary>Stage 2 alone: the loss and ∂L/∂E for embeddings computed once (no network).</summary>
    private static double LossOnlyStep(Tensor embeddings, Func<Tensor, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var value = loss(embeddings);
        value.backward();
        return value.item<float>();
    }

    private static Sequential Mlp()
    {
        var model = nn.Sequential(
            ("fc1", nn.Linear(InputWidth, 512)),
            ("relu1", nn.ReLU()),
            ("fc2", nn.Linear(512, 512)),
            ("relu2", nn.ReLU()),
            ("fc3", nn.Linear(512, 128)));
        using var generator = new Generator(1, CPU);
        using var noGrad = no_grad();
        foreach (var p in model.parameters())
        {
            using var scope = NewDisposeScope();
            double std = 1.0 / Math.Sqrt(p.shape[^1]);
            p.copy_(randn(p.shape, generator: generator).mul_(std));
        }
        return model;
    }

    private static Tensor Inputs(long n)
    {
        using var generator = new Generator(2, CPU);
        return randn(new[] { n, (long)InputWidth }, generator: generator);
    }

    private static Tensor FixedEmbeddings(nn.Module<Tensor, Tensor> model, Tensor inputs)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.call(inputs).detach().requires_grad_(true).MoveToOuterDisposeScope();
    }

    private static (Tensor Positives, Tensor NotSelf) Masks(long n)
    {
        using var scope = NewDisposeScope();
        var classes = arange(n, dtype: ScalarType.Int64).div(PerClass, rounding_mode: RoundingMode.floor);
        var notSelf = eye(n, dtype: ScalarType.Bool).logical_not_();
        var positives = classes.unsqueeze(1).eq(classes.unsqueeze(0)).logical_and_(notSelf);
        return (positives.MoveToOuterDisposeScope(), notSelf.MoveToOuterDisposeScope());
    }

    /// <summary>RS@k on the cosine similarities, queries out of their own lists.</summary>
    private static (Func<Tensor, Tensor> Loss, Action Dispose) RecallLoss(long n)
    {
        var (positives, notSelf) = Masks(n);
        Tensor Loss(Tensor embeddings)
        {
            using var scope = NewDisposeScope();
            var unit = nn.functional.normalize(embeddings, dim: 1);
            return RecallAtK.Loss(unit.mm(unit.t()), positives, notSelf).MoveToOuterDisposeScope();
        }
        return (Loss, () => { positives.Dispose(); notSelf.Dispose(); });
    }

    /// <summary>mean over pairs q ≠ z of softplus(γ(s − m)) for negatives and softplus(−γ(s − m)) for positives (γ = 10, m = 0.5).</summary>
    private static (Func<Tensor, Tensor> Loss, Action Dispose) PairwiseLoss(long n)
    {
        var (positives, notSelf) = Masks(n);
        Tensor sign, weight;
        using (var scope = NewDisposeScope())
        {
            sign = positives.to_type(ScalarType.Float32).mul_(-20).add_(10).MoveToOuterDisposeScope();   // −γ for positives, +γ otherwise
            weight = notSelf.to_type(ScalarType.Float32).div_(n * (n - 1)).MoveToOuterDisposeScope();
        }
        var margin = 0.5.ToScalar();
        Tensor Loss(Tensor embeddings)
        {
            using var scope = NewDisposeScope();
            var unit = nn.functional.normalize(embeddings, dim: 1);
            var terms = nn.functional.softplus(unit.mm(unit.t()).sub_(margin).mul_(sign));
            return terms.mul_(weight).sum().MoveToOuterDisposeScope();
        }
        return (Loss, () => { positives.Dispose(); notSelf.Dispose(); sign.Dispose(); weight.Dispose(); margin.Dispose(); });
    }

}
