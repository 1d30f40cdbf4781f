// Retrieval of unseen classes: train an embedding on classes 0–4, retrieve among classes 5–9 (handwritten digits,
// or Fashion-MNIST with --data fashion). The same MLP, from the same initial weights (per seed), on the same
// class-balanced batches, is trained once per loss and seed; every model is scored by the exact retrieval
// Recall@k (hit rate) on the test classes.
//
//   dotnet run --project samples/Retrieval                 progress bars, the table, docs/images/recall_at_1.png
//   dotnet run -c Release --project samples/Retrieval -- --data fashion     the same on Fashion-MNIST
//                                                          (docs/images/recall_at_1_fashion.png)
//   dotnet run --project samples/Retrieval -- --plain      tab-separated results only (scripts, diffs)
//   ... -- --quick                                         a few hundred images, 2 epochs, 1 seed (the tests' smoke run)
//   ... -- --seeds 1,2,3 --epochs 20 --full-batch-epochs 20 --workers 2 --plot out.png | --no-plot

using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Retrieval;
using Spectre.Console;
using TorchSharp;

string? Option(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
int IntOption(string name, int fallback) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

bool plain = args.Contains("--plain");
bool quick = args.Contains("--quick");
bool fashion = (Option("--data") ?? "digits") switch
{
    "digits" => false,
    "fashion" => true,
    var other => throw new ArgumentException($"--data takes digits or fashion, not '{other}'"),
};
var settings = new Settings(
    Inputs: fashion ? 784 : 64,
    Width: fashion ? 256 : 128,
    Dimensions: 64,
    TrainClasses: 5,
    Epochs: IntOption("--epochs", quick ? 2 : 20),
    ClassesPerBatch: 5,
    SamplesPerClass: 8,
    LearningRate: 1e-3,
    Seeds: Option("--seeds") is { } s ? s.Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray() : quick ? [1] : [1, 2, 3],
    FullBatchEpochs: IntOption("--full-batch-epochs", quick ? 2 : 20),
    ChunkSize: 128);
string? plotPath = args.Contains("--no-plot") || quick ? null : Option("--plot") ?? DefaultPlotPath(fashion ? "recall_at_1_fashion.png" : "recall_at_1.png");
int workers = IntOption("--workers", Math.Min(2, Environment.ProcessorCount));

// Determinism: one intra-op thread, so reductions always add in the same order (parallelism comes from running
// independent runs side by side instead, see below).
torch.set_num_threads(1);

// Digits: one file, classes 0–4 / 5–9. Fashion-MNIST: classes 0–4 of the train subset / 5–9 of the test subset.
// --quick reads the first 400 rows of each file (about 40 images per class).
int limit = quick ? 400 : int.MaxValue;
var (trainPixels, trainLabels) = fashion ? Data.LoadFashion("fashion_mnist_train_subset.csv.gz", limit) : Data.Load(Data.DefaultPath);
var (testPixels, testLabels) = fashion ? Data.LoadFashion("fashion_mnist_test_subset.csv.gz", limit) : (trainPixels, trainLabels);
if (quick && !fashion) (trainPixels, trainLabels) = (testPixels, testLabels) = (trainPixels[..limit], trainLabels[..limit]);
float maximum = fashion ? 255f : 16f;
using var train = Data.Take(trainPixels, trainLabels, d => d <= 4, maximum);
using var test = Data.Take(testPixels, testLabels, d => d >= 5, maximum);
string dataName = fashion ? "Fashion-MNIST" : "digits";

string setup = FormattableString.Invariant(
    $"train: {dataName} classes 0–4, {train.Count} images; test: classes 5–9, {test.Count} images (every image a query against the rest){(quick ? " QUICK" : "")}");
string model = FormattableString.Invariant(
    $"MLP {settings.Inputs}-{settings.Width}-{settings.Dimensions} + L2 norm, Adam lr {settings.LearningRate}, {settings.Epochs} epochs of {settings.ClassesPerBatch} classes × {settings.SamplesPerClass} images, seeds {string.Join(", ", settings.Seeds)}");
string fullBatch = FormattableString.Invariant(
    $"full batch: all {train.Count} training images in one RS@k batch, MultistageBackprop.Step with chunks of {settings.ChunkSize}, {settings.FullBatchEpochs} steps");

if (!plain)
{
    AnsiConsole.MarkupLine($"[bold]Zero-shot {dataName} retrieval[/]: embeddings trained on classes 0–4, evaluated on 5–9");
    AnsiConsole.WriteLine(setup);
    AnsiConsole.WriteLine(model);
    AnsiConsole.WriteLine(fullBatch);
    foreach (var loss in LossSpec.All)
        AnsiConsole.MarkupLineInterpolated($"  [bold]{loss.Name}[/]: {loss.Description}");
    AnsiConsole.WriteLine();
}

// The runs: every loss × seed, and the full-batch RS@k run per seed. Each run is single-threaded and depends
// only on its seed, so `workers` runs can go in parallel (one per core) without changing any number.
// The long full-batch runs are queued first so the workers finish together.
string FullBatchName = Trainer.FullBatchName;
var jobs = new List<(string Name, long Seed, Func<Action<int>, RunResult> Run)>();
foreach (var seed in settings.Seeds)
    jobs.Add((FullBatchName, seed, done => Trainer.TrainFullBatch(train, test, settings, seed, done)));
foreach (var loss in LossSpec.All)
    foreach (var seed in settings.Seeds)
        jobs.Add((loss.Name, seed, done => Trainer.Train(loss, train, test, settings, seed, done)));

var names = LossSpec.All.Select(l => l.Name).Append(FullBatchName).ToArray();
int Max(string name) => settings.Seeds.Count * (name == FullBatchName ? settings.FullBatchEpochs : settings.Epochs);

var runs = new RunResult[jobs.Count];
var total = Stopwatch.StartNew();

void RunAll(Action<string> epochDone)
{
    int next = -1;
    var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
    var threads = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => new Thread(() =>
    {
        try
        {
            // libtorch's intra-op thread count (OpenMP) is a per-thread setting: set it on every worker too.
            torch.set_num_threads(1);
            for (int i; (i = Interlocked.Increment(ref next)) < jobs.Count;)
            {
                var job = jobs[i];
                runs[i] = job.Run(_ => epochDone(job.Name));
            }
        }
        catch (Exception e)
        {
            failures.Enqueue(e);
            Interlocked.Exchange(ref next, jobs.Count); // stop the other workers after their current run
        }
    })).ToList();
    threads.ForEach(t => t.Start());
    threads.ForEach(t => t.Join());
    if (!failures.IsEmpty) throw new AggregateException(failures);
}

if (plain)
{
    RunAll(_ => { });
}
else if (AnsiConsole.Profile.Capabilities.Interactive)
{
    AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
        .Start(ctx =>
        {
            var tasks = names.ToDictionary(n => n, n => ctx.AddTask(Markup.Escape(n), maxValue: Max(n)));
            RunAll(n => tasks[n].Increment(1)); // ProgressTask is thread-safe
        });
}
else
{
    // Redirected output: one line per finished loss instead of Spectre's timing-dependent fallback.
    var counts = names.ToDictionary(n => n, _ => new StrongBox<int>(0));
    RunAll(n =>
    {
        if (Interlocked.Increment(ref counts[n].Value) == Max(n))
            lock (counts) Console.WriteLine($"done: {n}");
    });
}
total.Stop();

var byLoss = runs.ToLookup(r => r.Loss);
var untrained = settings.Seeds.Select(seed => runs.First(r => r.Seed == seed)).ToList(); // same initial weights for every loss of a seed
var summaries = new List<Summary> { Summary.Untrained(untrained) };
summaries.AddRange(names.Select(n => Summary.Of(byLoss[n].ToList())));
if (plain)
{
    Report.PrintPlain(summaries, runs);
}
else
{
    AnsiConsole.WriteLine();
    Report.Print(summaries, settings.Seeds.Count, dataName);
    AnsiConsole.WriteLine(FormattableString.Invariant(
        $"Time: training time of one run (evaluation excluded), mean over seeds. Steps per run: {summaries[1].StepsPerRun} (mini-batch), {settings.FullBatchEpochs} (full batch, multistage)."));
    AnsiConsole.WriteLine(FormattableString.Invariant(
        $"total wall time {total.Elapsed.TotalSeconds:0} s with {workers} parallel run(s) (training and per-epoch evaluation)"));
}

if (plotPath is not null)
{
    Report.Plot(summaries, plotPath, settings.Seeds.Count, dataName);
    if (!plain) AnsiConsole.WriteLine($"plot: {Path.GetFullPath(plotPath)}");
}

// docs/images/FILE of the repository this program was built in; the working directory otherwise.
static string DefaultPlotPath(string file)
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (Directory.Exists(Path.Combine(dir.FullName, "docs")) && Directory.Exists(Path.Combine(dir.FullName, "samples", "Retrieval")))
            return Path.Combine(dir.FullName, "docs", "images", file);
    }
    return file;
}
