// Handwritten digits (UCI, 8x8): cross-entropy against two surrogates of the metric itself, accuracy.
// The same MLP, from the same initial weights, on the same mini-batches, is trained once per loss and seed;
// each model is then scored on a held-out split by MetricLoss's exact evaluator.
//
//   dotnet run --project samples/Digits                      progress bars, then the table
//   dotnet run --project samples/Digits -- --plain           tab-separated results only (scripts, diffs)
//   ... -- --seeds 4,5,6                                     other splits, initialisations and batch orders

using System.Diagnostics;
using System.Globalization;
using Digits;
using Spectre.Console;
using TorchSharp;

bool plain = args.Contains("--plain");
int seedsAt = Array.IndexOf(args, "--seeds");
long[] seeds = seedsAt >= 0 && seedsAt + 1 < args.Length
    ? args[seedsAt + 1].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray()
    : [1, 2, 3];
var settings = new TrainingSettings(Epochs: 40, BatchSize: 64, LearningRate: 1e-2);
const int Hidden = 64;

// Determinism: one intra-op thread, so reductions always add in the same order (and a model this small gains
// nothing from more threads).
torch.set_num_threads(1);

var (pixels, labels) = Data.Load(Data.DefaultPath);
string settingsLine = FormattableString.Invariant(
    $"MLP {Data.Pixels}-{Hidden}-{Data.Classes}, Adam lr {settings.LearningRate}, {settings.Epochs} epochs, batch {settings.BatchSize}, seeds {string.Join(", ", seeds)}");

if (!plain)
{
    AnsiConsole.MarkupLine("[bold]Handwritten digits (UCI, 8x8)[/]: 10 classes, judged by accuracy");
    var (trainRows0, testRows0) = Data.StratifiedSplit(labels, trainFraction: 0.7, seed: 0); // sizes only: the same for every seed
    AnsiConsole.WriteLine($"{labels.Length} images; per seed a stratified split: {trainRows0.Length} train, {testRows0.Length} held out; pixels / 16");
    AnsiConsole.WriteLine(settingsLine);
    foreach (var loss in LossSpec.All)
        AnsiConsole.MarkupLineInterpolated($"  [bold]{loss.Name}[/]: {loss.Description}");
    AnsiConsole.WriteLine("  (UniLoss anchors: 1 + 16 + 16 + 16, re-drawn every step, seeded)");
    AnsiConsole.WriteLine();
}

var results = new List<RunResult>();

void TrainAll(Action<LossSpec, long> started, Action<LossSpec, long, int> epochDone)
{
    foreach (var seed in seeds)
    {
        var (trainRows, testRows) = Data.StratifiedSplit(labels, trainFraction: 0.7, seed: (int)seed);
        using var train = Data.Build(pixels, labels, trainRows);
        using var test = Data.Build(pixels, labels, testRows);
        foreach (var loss in LossSpec.All)
        {
            started(loss, seed);
            using var model = Mlp.Create(Data.Pixels, Hidden, Data.Classes, seed);
            var clock = Stopwatch.StartNew();
            Trainer.Train(model, train, loss, settings, seed, epoch => epochDone(loss, seed, epoch));
            clock.Stop();

            using var testLogits = Trainer.Logits(model, test);
            using var trainLogits = Trainer.Logits(model, train);
            results.Add(RunResult.Evaluate(loss.Name, seed, testLogits, test.Labels, trainLogits, train.Labels, clock.Elapsed));
        }
    }
}

var total = Stopwatch.StartNew();
if (plain)
{
    TrainAll((_, _) => { }, (_, _, _) => { });
    Report.PrintPlain(results);
    return;
}

string TaskName(LossSpec loss, long seed) => $"{loss.Name}, seed {seed}";
if (AnsiConsole.Profile.Capabilities.Interactive)
{
    // One live progress bar per loss and seed, kept on screen afterwards.
    AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
        .Start(ctx =>
        {
            var tasks = seeds.SelectMany(seed => LossSpec.All.Select(loss => (loss, seed))).ToDictionary(
                key => key,
                key => ctx.AddTask(Markup.Escape(TaskName(key.loss, key.seed)), autoStart: false, maxValue: settings.Epochs));
            TrainAll((loss, seed) => tasks[(loss, seed)].StartTask(), (loss, seed, epoch) => tasks[(loss, seed)].Value = epoch);
        });
}
else
{
    // Redirected output (CI, a pipe, a file): Spectre's fallback would print a few arbitrary percentage lines,
    // depending on timing; one line per finished run is shorter and the same on every run.
    TrainAll((loss, seed) => Console.Write($"training {TaskName(loss, seed)}... "), (loss, seed, epoch) =>
    {
        if (epoch == settings.Epochs) Console.WriteLine("done");
    });
}

AnsiConsole.WriteLine();
Report.Print(results, seeds);
AnsiConsole.WriteLine(FormattableString.Invariant($"Total training and evaluation: {total.Elapsed.TotalSeconds:0.0} s"));
