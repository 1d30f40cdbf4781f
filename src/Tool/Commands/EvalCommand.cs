using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Tool.Evaluation;
using MetricLoss.Tool.Generation;

namespace MetricLoss.Tool.Commands;

/// <summary>
/// <c>metricloss eval METRIC PREDICTIONS.csv [--option name=value]...</c>: the exact value of a metric, printed
/// round-trip (invariant culture) on one line. Evaluated by the Dsl's reference interpreter in double
/// precision, which the test suite checks against the generated evaluators.
/// </summary>
internal static class EvalCommand
{
    private const string OptionFlag = "--option";

    private const string OptionShortFlag = "-o";

    private const string MaxWorkFlag = "--max-work";

    /// <summary>
    /// The interpreter's budget in index assignments (<see cref="InterpreterWork"/>): a minute or two at about
    /// a microsecond each. Beyond it eval refuses at once rather than run for hours (a pairwise sum also holds
    /// every pair's value: 2.4 GB for RocAuc's at n = 10 000).
    /// </summary>
    public const double DefaultMaxWork = 1e8;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse("eval", args, OptionFlag, OptionShortFlag, MaxWorkFlag);
        if (line.Positional.Count != 2) throw new UsageException("eval: expected a metric and a CSV file: eval METRIC PREDICTIONS.csv [--option NAME=VALUE]...");
        var maxWork = MaxWork(line);

        var (resolved, diagnostics) = MetricReference.Resolve(line.Positional[0]);
        foreach (var diagnostic in diagnostics) stderr.WriteLine(DiagnosticFormatter.Format(diagnostic));
        if (resolved is not { } metric) return ExitCodes.Diagnostics;
        var options = OptionValues.Parse(metric, [.. line.Values(OptionFlag), .. line.Values(OptionShortFlag)]);
        var inputs = InputLayout.Read(metric, ReadTable(metric.Name, line.Positional[1]));

        if (!SortedEvaluators.TryEvaluate(metric, inputs, out var value))
        {
            var work = InterpreterWork.Estimate(metric, inputs, options);
            if (work > maxWork)
            {
                throw new UsageException(
                    $"eval {metric.Name}: the reference interpreter would enumerate about {work:0.##e+0} index assignments on this input, " +
                    $"{Duration(work * 1e-6)} at about a microsecond each; the limit is {maxWork:0.##e+0}. It evaluates reductions literally: " +
                    $"a sum over pairs visits every pair, so the work grows with the square of the rows. " +
                    $"Evaluate a sample of the rows, or raise the limit with {MaxWorkFlag} {work:0.##e+0}");
            }
            value = Interpret(metric, inputs, options);
        }
        stdout.WriteLine(value.ToString("R", CultureInfo.InvariantCulture));
        return ExitCodes.Success;
    }

    private static double Interpret(BoundMetric metric, Dictionary<string, DenseArray> inputs, Dictionary<string, double[]> options)
    {
        try
        {
            return ReferenceInterpreter.Exact(metric, inputs, options);
        }
        catch (ArgumentException exception)
        {
            // The interpreter's checks (option values, axis sizes) already name the metric and the culprit.
            var message = exception.ParamName is null ? exception.Message : exception.Message.Replace($" (Parameter '{exception.ParamName}')", "");
            throw new UsageException($"eval: {message}");
        }
    }

    private static string Duration(double seconds) => seconds switch
    {
        < 1 => "under a second",
        < 120 => $"about {seconds:0} s",
        < 7200 => $"about {seconds / 60:0} min",
        _ => $"about {seconds / 3600:0.#} h",
    };

    /// <summary>The CSV, its problems prefixed with the metric like every other message of eval.</summary>
    private static CsvTable ReadTable(string metric, string path)
    {
        try
        {
            return CsvTable.Read(path);
        }
        catch (UsageException exception)
        {
            throw new UsageException($"eval {metric}: {exception.Message}");
        }
    }

    private static double MaxWork(CommandLine line)
    {
        var text = line.Single(MaxWorkFlag, DefaultMaxWork.ToString("R", CultureInfo.InvariantCulture));
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var limit) && limit > 0) return limit;
        throw new UsageException($"eval: `{MaxWorkFlag}` takes a positive number of index assignments such as 1e9, found `{text}`");
    }
}
