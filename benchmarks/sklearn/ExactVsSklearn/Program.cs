// ExactVsSklearn: times MetricLoss's exact ROC AUC and average precision on the million scores that
// benchmarks/sklearn/time_sklearn.py timed scikit-learn on (same file, same machine), and prints both
// times and the ratio scikit-learn / ours. See benchmarks/sklearn/README.md.
//
//   /usr/bin/python3 benchmarks/sklearn/time_sklearn.py
//   dotnet run -c Release --project benchmarks/sklearn/ExactVsSklearn [-- DATA_DIR]
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using MetricLoss.Native;
using MetricLoss.Runtime;
using MetricLoss.Runtime.Ranking;
using TorchSharp;
using static TorchSharp.torch;

const int Repeats = 5;

var dataDir = args.Length > 0 ? args[0] : Path.Combine(ProjectDirectory(), "..", "data");
var scoresPath = Path.Combine(dataDir, "scores.f64");
var labelsPath = Path.Combine(dataDir, "labels.u8");
var sklearnPath = Path.Combine(dataDir, "sklearn.json");
if (!File.Exists(scoresPath) || !File.Exists(labelsPath) || !File.Exists(sklearnPath))
{
    Console.Error.WriteLine($"No data in {Path.GetFullPath(dataDir)}: run /usr/bin/python3 benchmarks/sklearn/time_sklearn.py first.");
    return 1;
}

var scores = MemoryMarshal.Cast<byte, double>(File.ReadAllBytes(scoresPath)).ToArray();
var labels = File.ReadAllBytes(labelsPath).Select(b => b != 0).ToArray();
using var sklearn = JsonDocument.Parse(File.ReadAllText(sklearnPath));
var reference = sklearn.RootElement;
var sklearnAuc = reference.GetProperty("roc_auc").GetDouble();
var sklearnAp = reference.GetProperty("average_precision").GetDouble();
var sklearnAucSeconds = reference.GetProperty("roc_auc_seconds").GetDouble();
var sklearnApSeconds = reference.GetProperty("average_precision_seconds").GetDouble();
if (scores.Length != labels.Length || scores.Length != reference.GetProperty("n").GetInt32())
{
    Console.Error.WriteLine("scores.f64, labels.u8 and sklearn.json disagree on N: rerun time_sklearn.py.");
    return 1;
}

TorchNative.EnsureLoaded();
using var score = torch.tensor(scores);   // float64 [N], CPU
using var label = torch.tensor(labels);   // bool [N]

// ROC AUC, the RocAuc example: wins = sum[i, j](label[i] & !label[j] & step(score[i] - score[j])), / (P·N).
// The masks go in as bool: the kernel gathers them in sorted order before converting (fewer bytes moved).
double RocAuc()
{
    using var scope = NewDisposeScope();
    var negative = label.logical_not();
    var wins = PairwiseRank.MannWhitney(score, label, negative);
    var pairs = label.sum(type: ScalarType.Float64).mul(negative.sum(type: ScalarType.Float64));
    return MetricOps.DivideExact(wins, pairs).item<double>();
}

// Average precision, the AveragePrecision example as written: above and pos_above are two CountAbove calls (two sorts).
double AveragePrecisionTwoCounts()
{
    using var scope = NewDisposeScope();
    var l = label.to_type(ScalarType.Float64);
    var above = MetricOps.Add(RankCounts.CountAbove(score, null, strict: false, excludeSelf: true), 1.0);
    var posAbove = MetricOps.Add(RankCounts.CountAbove(score, label, strict: false, excludeSelf: true), 1.0);
    return MetricOps.DivideExact(l.mul(posAbove).div_(above).sum(), l.sum()).item<double>();
}

// Average precision with one shared sort (what a generator that shares the sort of `score` would emit).
double AveragePrecisionOneSort()
{
    using var scope = NewDisposeScope();
    return PrecisionAtPositives.AveragePrecision(score, label).item<double>();
}

Console.WriteLine($"N = {scores.Length:N0}, {labels.Count(l => l):N0} positives; data: {Path.GetFullPath(dataDir)}");
Console.WriteLine($"scikit-learn {reference.GetProperty("sklearn_version").GetString()} (numpy {reference.GetProperty("numpy_version").GetString()}), " +
                  $"TorchSharp {typeof(torch).Assembly.GetName().Version}, .NET {Environment.Version}, {Environment.ProcessorCount} logical CPUs");
Console.WriteLine();

var defaultThreads = torch.get_num_threads();
foreach (var threads in new[] { defaultThreads, 1 }.Distinct())
{
    torch.set_num_threads(threads);
    Console.WriteLine($"torch threads: {threads}");
    Report("roc_auc_score", "generated Catalog.RocAuc.Exact", () => MetricLoss.Catalog.RocAuc.Exact(score, label), sklearnAuc, sklearnAucSeconds);
    Report("average_precision_score", "generated Catalog.AveragePrecision.Exact", () => MetricLoss.Catalog.AveragePrecision.Exact(score, label), sklearnAp, sklearnApSeconds);
    Report("roc_auc_score", "PairwiseRank.MannWhitney / (P·N)", RocAuc, sklearnAuc, sklearnAucSeconds);
    Report("average_precision_score", "2 × RankCounts.CountAbove (example as written)", AveragePrecisionTwoCounts, sklearnAp, sklearnApSeconds);
    Report("average_precision_score", "PrecisionAtPositives.AveragePrecision (1 sort)", AveragePrecisionOneSort, sklearnAp, sklearnApSeconds);
    Console.WriteLine();
}
torch.set_num_threads(defaultThreads);
return 0;

void Report(string sklearnName, string ours, Func<double> run, double expected, double sklearnSeconds)
{
    var (value, seconds) = BestOf(run);
    var agree = Math.Abs(value - expected) <= 1e-12 ? "equal to 1e-12" : $"DIFFERS by {Math.Abs(value - expected):E2}";
    Console.WriteLine($"  {sklearnName,-24} sklearn {sklearnSeconds * 1e3,8:F1} ms | {ours,-48} {seconds * 1e3,8:F1} ms | " +
                      $"sklearn/ours {sklearnSeconds / seconds,5:F2}x | value {value:F15} ({agree})");
}

static (double Value, double Seconds) BestOf(Func<double> run)
{
    var value = run(); // warm-up
    run();
    var best = double.MaxValue;
    for (var i = 0; i < Repeats; i++)
    {
        var watch = Stopwatch.StartNew();
        value = run();
        watch.Stop();
        best = Math.Min(best, watch.Elapsed.TotalSeconds);
    }
    return (value, best);
}

static string ProjectDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
