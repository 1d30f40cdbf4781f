// Breast cancer (Wisconsin diagnostic): does training on the metric you are judged by help?
// The same MLP, from the same initial weights, on the same mini-batches, is trained once per loss;
// each model is then scored on a held-out split by MetricLoss's exact evaluators.
//
//   dotnet run --project samples/BreastCancer            table and progress bars
//   dotnet run --project samples/BreastCancer -- --plain tab-separated results only (scripts, diffs)
//   ... -- --seed 7                                      another split, initialisation and batch order
//   ... -- --gap DIR                                     the F1 model's surrogate gap: CSVs and a plot in DIR

using System.Diagnostics;
using BreastCancer;
using Spectre.Console;
using TorchSharp;

bool plain = args.Contains("--plain");
int gapAt = Array.IndexOf(args, "--gap");
string? gapFolder = gapAt >= 0 && gapAt + 1 < args.Length ? args[gapAt + 1] : null;
var gap = gapFolder is null ? null : new MetricLoss.Training.SurrogateGapMonitor("F1");
int seedAt = Array.IndexOf(args, "--seed");
long seed = seedAt >= 0 && seedAt + 1 < args.Length ? long.Parse(args[seedAt + 1], System.Globalization.CultureInfo.InvariantCulture) : 42;
var settings = new TrainingSettings(Epochs: 150, BatchSize: 64, LearningRate: 1e-2, Seed: seed);

// Determinism: one intra-op thread, so reductions always add in the same order (and a model this
// small gains nothing from more threads).
torch.set_num_threads(1);

var (features, malignant) = Data.Load(Data.DefaultPath);
var (trainRows, testRows) = Data.StratifiedSplit(malignant, trainFraction: 0.7, seed: (int)settings.Seed);
var (train, test) = Data.Prepare(features, malignant, trainRows, testRows);
using var trainSplit = train;
using var testSplit = test;

string Describe(int[] rows) => $"{rows.Length} rows, {rows.Count(r => malignant[r])} malignant";
string dataLine = $"train: {Describe(trainRows)}; held-out: {Describe(testRows)}";
string settingsLine = FormattableString.Invariant(
    $"MLP {features[0].Length}-16-1, Adam lr {settings.LearningRate}, {settings.Epochs} epochs, batch {settings.BatchSize}, seed {settings.Seed}");

if (!plain)
{
    AnsiConsole.MarkupLine("[bold]Breast cancer (Wisconsin diagnostic)[/]: malignant is the positive class");
    AnsiConsole.WriteLine("(label = 1 − file label, the file codes benign as 1)");
    AnsiConsole.WriteLine(dataLine);
    AnsiConsole.WriteLine(settingsLine);
    foreach (var loss in LossSpec.All)
        AnsiConsole.MarkupLineInterpolated($"  [bold]{loss.Name}[/]: {loss.Description}");
    AnsiConsole.WriteLine();
}

var results = new List<RunResult>();

void TrainAll(Action<LossSpec> started, Action<LossSpec, int> epochDone)
{
    foreach (var loss in LossSpec.All)
    {
        started(loss);
        using var model = Mlp.Create(inputs: features[0].Length, hidden: 16, seed: settings.Seed);
        var clock = Stopwatch.StartNew();
        // With --gap, the F1 run records its surrogate gap (every step, and the held-out F1 each epoch).
        var monitor = loss.Name == "F1" ? gap : null;
        Trainer.Train(model, trainSplit, loss, settings,
            epoch =>
            {
                epochDone(loss, epoch);
                if (monitor is not null) GapReport.Epoch(monitor, epoch, model, testSplit);
            },
            monitor is null ? null : (epoch, logits, labels, value) => GapReport.Step(monitor, epoch, logits, labels, value));
        clock.Stop();

        using var logits = Trainer.Logits(model, testSplit);
        results.Add(RunResult.Evaluate(loss.Name, logits, testSplit.Labels, clock.Elapsed));
    }
}

if (plain)
{
    TrainAll(_ => { }, (_, _) => { });
    Report.PrintPlain(results);
    if (gap is not null) GapReport.Write(gap, gapFolder!);
    return;
}

if (AnsiConsole.Profile.Capabilities.Interactive)
{
    // One live progress bar per loss, kept on screen afterwards.
    AnsiConsole.Progress()
        .AutoClear(false)
        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
        .Start(ctx =>
        {
            var tasks = LossSpec.All.ToDictionary(
                loss => loss,
                loss => ctx.AddTask(Markup.Escape(loss.Name), autoStart: false, maxValue: settings.Epochs));
            TrainAll(loss => tasks[loss].StartTask(), (loss, epoch) => tasks[loss].Value = epoch);
        });
}
else
{
    // Redirected output (CI, a pipe, a file): Spectre's fallback would print a few arbitrary percentage
    // lines, depending on timing; one line per finished loss is shorter and the same on every run.
    TrainAll(loss => Console.Write($"training {loss.Name}... "), (loss, epoch) =>
    {
        if (epoch == settings.Epochs) Console.WriteLine("done");
    });
}

AnsiConsole.WriteLine();
Report.Print(results);
if (gap is not null)
{
    GapReport.Write(gap, gapFolder!);
    AnsiConsole.WriteLine($"The F1 model's surrogate gap: {Path.Combine(gapFolder!, "f1_gap.png")} and two CSV files.");
}
