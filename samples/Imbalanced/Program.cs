// Imbalanced binary classification on real data: does training on the metric beat the usual losses?
// Three tasks (Fashion-MNIST Shirt vs rest at 3 % positives, UCI Satellite's rarest soil type, UCI Letter
// Recognition's H vs rest); nine losses (BCE, class-weighted BCE, focal, AUC-M; the F1, AnyLoss-F1, MCC, ROC AUC
// and AP surrogates); the same MLP, initial weights and batches for every loss of a seed; test F1 at the fixed
// and at the validation-tuned threshold, ROC AUC and AP, mean ± std over seeds.
//
//   dotnet run -c Release --project samples/Imbalanced                 the comparison (3 tasks, 10 seeds, 100 epochs)
//   dotnet run -c Release --project samples/Imbalanced -- --sweep tau  F1 and AP surrogates at several τ (first task)
//   ... -- --sweep batch      batch sizes 64, 256, 1024 for BCE and the rank surrogates (first task)
//   ... -- --sweep relaxation the ROC AUC and AP surrogates under σ, Linear and Smoothstep (first task)
//   ... -- --quick            a few hundred rows, 2 epochs, 2 seeds: the smoke run the tests use
//   ... -- --tasks satellite,letter-h --seeds 1,2,3 --epochs 40 --batch 256 --workers 2 --plain --runs FILE.tsv
//   ... -- --report FILE.tsv  the tables again from the runs a previous --runs wrote (no training)

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Imbalanced;
using TorchSharp;

string? Option(string name)
{
    int at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
int IntOption(string name, int fallback) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

if (Option("--report") is { } reportPath)
{
    // The tables of saved runs, tasks and losses in the order they were first written.
    if (!Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive) Spectre.Console.AnsiConsole.Profile.Width = 120;
    var saved = Report.ReadRuns(reportPath);
    var known = LossSpec.All.Select(l => l.Name).ToList();
    var taskOrder = BinaryTask.All.Select(t => t.Name).ToList();
    foreach (var taskName in saved.Select(r => r.Task).Distinct().OrderBy(taskOrder.IndexOf))
    {
        var taskRuns = saved.Where(r => r.Task == taskName).ToList();
        var losses = taskRuns.Select(r => r.Loss).Distinct().OrderBy(l => known.IndexOf(l) is var i && i >= 0 ? i : known.Count).ToList();
        Report.Print(taskName, losses, taskRuns, taskRuns.Select(r => r.Seed).Distinct().Count());
    }
    return;
}

bool quick = args.Contains("--quick");
bool plain = args.Contains("--plain");
string sweep = Option("--sweep") ?? "none";
var seeds = Option("--seeds") is { } s ? s.Split(',').Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray()
    : quick ? [1L, 2L] : [1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L];
var taskNames = Option("--tasks")?.Split(',') ?? BinaryTask.All.Select(t => t.Name).ToArray();
var tasks = taskNames.Select(n => BinaryTask.All.FirstOrDefault(t => t.Name == n)
    ?? throw new ArgumentException($"unknown task '{n}'; tasks: {string.Join(", ", BinaryTask.All.Select(t => t.Name))}")).ToList();
var settings = new Settings(Epochs: IntOption("--epochs", quick ? 2 : 100), BatchSize: IntOption("--batch", 256), LearningRate: 1e-3, Hidden: 32);
int workers = IntOption("--workers", Math.Min(2, Environment.ProcessorCount));

// The variants of one task: the comparison, or a sweep on the first task only.
var variants = sweep switch
{
    "none" => LossSpec.All.Select(l => (Loss: l, Batch: settings.BatchSize)).ToList(),
    "tau" => new[] { LossSpec.All[0] }.Concat(new[] { 0.1, 0.3, 1, 3 }.Select(LossSpec.F1At))
        .Concat(new[] { 0.001, 0.01, 0.1, 1 }.Select(LossSpec.ApAt)).Select(l => (Loss: l, Batch: settings.BatchSize)).ToList(),
    "batch" => new[] { 64, 256, 1024 }.SelectMany(b => new[] { "BCE", "ROC AUC", "AP", "F1" }
        .Select(n => (Loss: LossSpec.All.First(l => l.Name == n), Batch: b))).ToList(),
    "relaxation" => new[] { LossSpec.All[0] }.Concat(LossSpec.RankSurrogatesRelaxed()).Select(l => (Loss: l, Batch: settings.BatchSize)).ToList(),
    _ => throw new ArgumentException($"--sweep takes tau, batch or relaxation, not '{sweep}'"),
};
if (sweep != "none") tasks = tasks.Take(1).ToList();
string VariantName((LossSpec Loss, int Batch) v) => sweep == "batch" ? $"{v.Loss.Name}, batch {v.Batch}" : v.Loss.Name;

// Redirected output: Spectre would assume 80 columns and wrap the tables; logs are read in an editor.
if (!Spectre.Console.AnsiConsole.Profile.Capabilities.Interactive) Spectre.Console.AnsiConsole.Profile.Width = 120;

// Determinism: one intra-op thread per run; runs go in parallel instead (each depends only on its seed).
torch.set_num_threads(1);

Console.WriteLine(FormattableString.Invariant(
    $"MLP d-{settings.Hidden}-1, Adam lr {settings.LearningRate}, {settings.Epochs} epochs, batch {settings.BatchSize}, seeds {string.Join(",", seeds)}{(quick ? " (QUICK: first 1500 rows of each file)" : "")}"));
var total = Stopwatch.StartNew();
var results = new ConcurrentBag<RunResult>();
foreach (var task in tasks)
{
    Console.WriteLine($"task {task.Name}: {task.Description}");
    var data = seeds.ToDictionary(seed => seed, seed => task.Make(seed, quick));
    var first = data[seeds[0]];
    Console.WriteLine($"  seed {seeds[0]}: train {first.Train.Count} ({first.Train.Positives} positive), validation {first.Validation.Count} ({first.Validation.Positives}), test {first.Test.Count} ({first.Test.Positives})");
    var jobs = variants.SelectMany(v => seeds.Select(seed => (Variant: v, Seed: seed))).ToList();
    int next = -1;
    var failures = new ConcurrentQueue<Exception>();
    var threads = Enumerable.Range(0, Math.Max(1, workers)).Select(_ => new Thread(() =>
    {
        try
        {
            torch.set_num_threads(1); // a per-thread setting in libtorch
            for (int i; (i = Interlocked.Increment(ref next)) < jobs.Count;)
            {
                var (variant, seed) = jobs[i];
                var clock = Stopwatch.StartNew();
                using var model = Trainer.Train(data[seed], variant.Loss, settings with { BatchSize = variant.Batch }, seed);
                clock.Stop();
                using var validation = Trainer.Logits(model, data[seed].Validation);
                using var test = Trainer.Logits(model, data[seed].Test);
                var scores = Scores.Of(validation, data[seed].Validation.Labels, test, data[seed].Test.Labels);
                results.Add(new RunResult(task.Name, VariantName(variant), seed, scores, clock.Elapsed));
            }
        }
        catch (Exception e)
        {
            failures.Enqueue(e);
            Interlocked.Exchange(ref next, jobs.Count);
        }
    })).ToList();
    threads.ForEach(t => t.Start());
    threads.ForEach(t => t.Join());
    if (!failures.IsEmpty) throw new AggregateException(failures);
    foreach (var d in data.Values) d.Dispose();

    var order = variants.Select(VariantName).ToList();
    var runs = results.Where(r => r.Task == task.Name).ToList();
    if (plain) Report.PrintPlain(task.Name, order, runs);
    else Report.Print(task.Name, order, runs, seeds.Length);
}
total.Stop();
Console.WriteLine(FormattableString.Invariant($"total wall time {total.Elapsed.TotalSeconds:0} s with {workers} parallel run(s), {Environment.ProcessorCount} cores"));
if (Option("--runs") is { } runsPath) Report.WriteRuns(runsPath, results.ToList());
