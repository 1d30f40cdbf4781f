using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;
using static MetricLoss.Benchmarks.ProcessMemory;

namespace MetricLoss.Benchmarks.Pairwise;

/// <summary>
/// What one child process of <c>--pairwise</c> measures, printed as one machine-readable line each. glibc's malloc
/// keeps its defaults here (no mallopt, unlike the other peak modes): the point is the resident memory a user's
/// process gets.
/// </summary>
internal static class PairwiseChild
{
    /// <summary>
    /// <c>--pairwise-peak-one</c>: fresh inputs, then <paramref name="steps"/> training steps; the peak is VmHWM minus the
    /// resident set right before the first step (clear_refs resets VmHWM to it), so it covers the steps alone.
    /// </summary>
    public static int Peak(PairwiseCase c, long n, int steps)
    {
        using var inputs = new Inputs(n, probabilities: false, requiresGrad: true);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = ResetPeak();
        var cpu = new List<double>();
        var wall = new List<double>();
        double loss = double.NaN;
        for (int s = 0; s < steps; s++)
        {
            var (cpu0, wall0) = (Cpu(), Stopwatch.GetTimestamp());
            loss = c.Step(inputs);
            cpu.Add(Cpu() - cpu0);
            wall.Add(Stopwatch.GetElapsedTime(wall0).TotalSeconds);
        }
        long peak = ReadStatus("VmHWM");
        Console.WriteLine(FormattableString.Invariant(
            $"@peak|{c.Metric}|{c.Side}|{n}|{Megabytes(peak - before):F1}|{Megabytes(peak):F1}|{string.Join(";", cpu.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}|{string.Join(";", wall.Select(x => x.ToString("F3", CultureInfo.InvariantCulture)))}|{loss:G7}"));
        return 0;
    }

    /// <summary>
    /// <c>--pairwise-paired-one</c>: the generated side and the staged hand-written side, one step each per round, the
    /// order alternating, after one warm-up step each; per round the ratio of their process CPU times (and wall times).
    /// CPU time rather than wall time: on a machine shared with other work a descheduled step takes longer on the
    /// clock but not in CPU time (one LibTorch thread; the process's other threads, GC and finalizer, add little).
    /// </summary>
    public static int Paired(string metric, long n, int rounds)
    {
        var generated = PairwiseCases.For(metric).First(c => c.IsGenerated);
        var hand = PairwiseCases.For(metric).First(c => !c.IsGenerated && c.Staged);
        using var inputs = new Inputs(n, probabilities: false, requiresGrad: true);
        generated.Step(inputs);
        hand.Step(inputs);
        for (int r = 0; r < rounds; r++)
        {
            var sides = r % 2 == 0 ? new[] { generated, hand } : new[] { hand, generated };
            var cpu = new Dictionary<PairwiseCase, double>();
            var wall = new Dictionary<PairwiseCase, double>();
            foreach (var side in sides)
            {
                var (cpu0, wall0) = (Cpu(), Stopwatch.GetTimestamp());
                side.Step(inputs);
                cpu[side] = Cpu() - cpu0;
                wall[side] = Stopwatch.GetElapsedTime(wall0).TotalSeconds;
            }
            Console.WriteLine(FormattableString.Invariant(
                $"@paired|{metric}|{n}|{r}|{cpu[generated]:F4}|{cpu[hand]:F4}|{wall[generated]:F4}|{wall[hand]:F4}"));
        }
        return 0;
    }

    /// <summary><c>--pairwise-check</c>: each hand-written side gives the generated loss and gradient.</summary>
    public static int Check(long n)
    {
        bool ok = true;
        using var inputs = new Inputs(n, probabilities: false, requiresGrad: true);
        foreach (var metric in new[] { "RocAuc", "AveragePrecision" })
        {
            var generated = PairwiseCases.For(metric).First(c => c.IsGenerated);
            var (lg, gg) = generated.StepWithGradient(inputs);
            using (gg)
            {
                foreach (var hand in PairwiseCases.For(metric).Where(c => !c.IsGenerated))
                {
                    var (lh, gh) = hand.StepWithGradient(inputs);
                    using (gh)
                    using (NewDisposeScope())
                    {
                        double scale = gh.abs().max().item<float>();
                        double dg = gh.sub(gg).abs().max().item<float>() / Math.Max(scale, 1e-30);
                        bool agree = Math.Abs(lh - lg) <= 1e-5 && dg <= 1e-3;
                        ok &= agree;
                        Console.WriteLine(FormattableString.Invariant(
                            $"@check|{metric}|{hand.Side}|{n}|{lg:G8}|{lh:G8}|{Math.Abs(lh - lg):E1}|{dg:E1}|{(agree ? "yes" : "NO")}"));
                    }
                }
            }
        }
        return ok ? 0 : 1;
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
