using MetricLoss.Tool.Tests.Infrastructure;

namespace MetricLoss.Tool.Tests;

/// <summary>Every kind of bad input to `eval`: exit 2, nothing on stdout, one message naming the metric and the culprit.</summary>
public sealed class EvalErrorTests : IDisposable
{
    private const string Good = "score,label\n0.5,1\n-1,0\n";

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Unknown_catalogue_metric()
    {
        var csv = _temp.Write("p.csv", Good);

        var message = Fails("eval", "F2", csv);

        Assert.StartsWith("metricloss: eval: unknown metric `F2`; the catalogue has Accuracy, ", message);
        Assert.Contains(", F1, ", message);
        Assert.EndsWith("; or give a file: path/to/file.metric[:Name]\n", message);
    }

    [Fact]
    public void Unknown_metric_with_other_case_gets_a_suggestion()
    {
        var csv = _temp.Write("p.csv", Good);

        Assert.StartsWith("metricloss: eval: unknown metric `rocauc` (did you mean `RocAuc`?); ", Fails("eval", "rocauc", csv));
    }

    [Fact]
    public void Neither_a_name_nor_a_metric_file()
    {
        var csv = _temp.Write("p.csv", Good);

        Assert.Equal("metricloss: eval: `metrics/f1.txt` is neither a catalogue metric nor a .metric file (path/to/file.metric or path/to/file.metric:Name)\n",
            Fails("eval", "metrics/f1.txt", csv));
    }

    [Fact]
    public void Missing_column()
    {
        var csv = _temp.Write("p.csv", "score,y\n0.5,1\n");

        Assert.Equal(
            $"metricloss: eval F1: {csv} has no column `label` for the input `label: bool[n]`; expected one row per position along `n` " +
            "and the columns `score`, `label`; the header has `score`, `y`\n",
            Fails("eval", "F1", csv));
    }

    [Fact]
    public void Non_numeric_cell()
    {
        var csv = _temp.Write("p.csv", "score,label\n0.5,1\nhigh,0\n");

        Assert.Equal($"metricloss: eval F1: {csv} line 3, column `score` (real[n]): `high` is not a number\n", Fails("eval", "F1", csv));
    }

    [Fact]
    public void NaN_cell()
    {
        var csv = _temp.Write("p.csv", "score,label\nNaN,1\n");

        Assert.Equal($"metricloss: eval RocAuc: {csv} line 2, column `score` (real[n]): NaN, which the exact evaluator rejects\n", Fails("eval", "RocAuc", csv));
    }

    [Fact]
    public void Empty_cell()
    {
        var csv = _temp.Write("p.csv", "score,label\n0.5,\n");

        Assert.Equal($"metricloss: eval F1: {csv} line 2, column `label` (bool[n]): empty cell\n", Fails("eval", "F1", csv));
    }

    [Theory]
    [InlineData("2")]
    [InlineData("0.5")]
    [InlineData("-1")]
    [InlineData("yes")]
    public void Label_that_is_not_0_or_1(string label)
    {
        var csv = _temp.Write("p.csv", $"score,label\n0.5,1\n0.1,0\n0.3,{label}\n");

        var expected = label == "yes" ? "`yes` is not a number" : $"expected 0 or 1 (or false/true), found `{label}`";
        Assert.Equal($"metricloss: eval AveragePrecision: {csv} line 4, column `label` (bool[n]): {expected}\n", Fails("eval", "AveragePrecision", csv));
    }

    [Fact]
    public void Ragged_queries()
    {
        var csv = _temp.Write("p.csv", "q,score,label\na,0.1,1\na,0.2,0\na,0.3,0\nb,0.4,1\nb,0.5,0\n");

        Assert.Equal(
            $"metricloss: eval MeanAveragePrecision: {csv}: ragged `q` groups: `q` = a has 3 rows (from line 2) but `q` = b has 2 (from line 5); " +
            "every q needs one row per position along i\n",
            Fails("eval", "MeanAveragePrecision", csv));
    }

    [Fact]
    public void Missing_group_column()
    {
        var csv = _temp.Write("p.csv", "query,score,label\na,0.1,1\n");

        Assert.Equal(
            $"metricloss: eval MeanAveragePrecision: {csv} has no column `q`; expected long format for inputs over [q, i]: one row per (q, i) cell, " +
            "a column `q` whose value groups the rows of one q (its i positions in row order) and the columns `score`, `label`\n",
            Fails("eval", "MeanAveragePrecision", csv));
    }

    [Fact]
    public void Per_group_input_that_varies_within_its_group()
    {
        var csv = _temp.Write("p.csv", "n,logit,target\n0,0.5,0\n0,0.1,1\n");

        Assert.Equal(
            $"metricloss: eval TopKAccuracy: {csv} line 3, column `target` (index<c>[n]): `target` has one value for every row of one n, but line 2 has 0 and this one 1\n",
            Fails("eval", "TopKAccuracy", csv));
    }

    [Fact]
    public void Index_out_of_range()
    {
        var csv = _temp.Write("p.csv", "n,logit,target\n0,0.5,2\n0,0.1,2\n");

        Assert.Equal(
            $"metricloss: eval TopKAccuracy: {csv} line 2, column `target` (index<c>[n]): expected a position along axis `c` from 0 to 1, found `2`\n",
            Fails("eval", "TopKAccuracy", csv));
    }

    [Fact]
    public void Unknown_option()
    {
        var csv = _temp.Write("p.csv", Good);

        Assert.Equal("metricloss: eval F1: unknown option `thresh`; its options are `threshold: real`, `tau: real`\n",
            Fails("eval", "F1", csv, "--option", "thresh=0.5"));
    }

    [Fact]
    public void An_input_given_as_an_option()
    {
        var csv = _temp.Write("p.csv", Good);

        Assert.Equal("metricloss: eval F1: unknown option `label` (`label` is an input: give it as a CSV column); its options are `threshold: real`, `tau: real`\n",
            Fails("eval", "F1", csv, "--option", "label=1"));
    }

    [Theory]
    [InlineData("threshold", "metricloss: eval F1: `--option threshold`: expected --option NAME=VALUE, such as threshold=0.5\n")]
    [InlineData("threshold=abc", "metricloss: eval F1: option `threshold: real`: expected a number, found `abc`\n")]
    [InlineData("threshold=", "metricloss: eval F1: option `threshold: real`: expected a number, found an empty value\n")]
    [InlineData("threshold=NaN", "metricloss: eval F1: option `threshold: real`: expected a number, found `NaN`\n")]
    [InlineData("threshold=0.1,0.2", "metricloss: eval F1: option `threshold: real` takes one value, found 2: `0.1,0.2`\n")]
    public void Bad_option_value(string option, string message)
    {
        var csv = _temp.Write("p.csv", Good);

        Assert.Equal(message, Fails("eval", "F1", csv, "--option", option));
    }

    [Fact]
    public void Option_given_twice()
    {
        var csv = _temp.Write("p.csv", Good);

        Assert.Equal("metricloss: eval F1: option `threshold` is given twice\n", Fails("eval", "F1", csv, "-o", "threshold=1", "-o", "threshold=2"));
    }

    [Fact]
    public void Int_option_that_is_not_whole_is_refused_by_the_interpreter_with_its_name()
    {
        var csv = _temp.Write("p.csv", "n,logit,target\n0,0.5,0\n0,0.1,0\n");

        Assert.Equal("metricloss: eval: metric `TopKAccuracy`: option `k` is an int; expected a whole number, found 1.5\n",
            Fails("eval", "TopKAccuracy", csv, "--option", "k=1.5"));
    }

    [Fact]
    public void Vector_option_element_that_is_not_a_number()
    {
        var csv = _temp.Write("p.csv", "q,sim,pos,valid\n0,0.5,1,1\n");

        Assert.Equal("metricloss: eval RecallAtK: option `k: int[m]`: expected a whole number per element, comma-separated, found `two`\n",
            Fails("eval", "RecallAtK", csv, "--option", "k=1,two"));
    }

    [Fact]
    public void Missing_csv_file()
    {
        var missing = Path.Combine(_temp.Path, "none.csv");

        Assert.Equal($"metricloss: eval F1: file not found: {missing}\n", Fails("eval", "F1", missing));
    }

    [Fact]
    public void Empty_csv_file()
    {
        var csv = _temp.Write("p.csv", "\n\n");

        Assert.Equal($"metricloss: eval F1: {csv} is empty; expected a header line naming the columns\n", Fails("eval", "F1", csv));
    }

    [Fact]
    public void Csv_with_a_header_only()
    {
        var csv = _temp.Write("p.csv", "score,label\n");

        Assert.Equal($"metricloss: eval F1: {csv} has a header but no rows; expected one row per position along `n` and the columns `score`, `label`\n",
            Fails("eval", "F1", csv));
    }

    [Fact]
    public void Row_with_a_cell_too_many()
    {
        var csv = _temp.Write("p.csv", "score,label\n0.5,1\n0.2,0,7\n");

        Assert.Equal($"metricloss: eval F1: {csv} line 3: expected 2 cells as in the header, found 3\n", Fails("eval", "F1", csv));
    }

    [Fact]
    public void Work_beyond_the_limit_is_refused_before_it_starts()
    {
        // The catalogue's RocAuc under another name: the interpreter, with its n² pairs, evaluates it.
        var metric = _temp.Write("auc.metric", """
            metric Auc(score: real[n], label: bool[n], tau: real = 0.05) {
                pairs = sum[i, j](label[i] & !label[j]);
                wins  = sum[i, j](label[i] & !label[j] & step(score[i] - score[j]));
                maximize wins / pairs;
            }
            """);
        var csv = _temp.Write("p.csv", "score,label\n0.1,1\n0.2,0\n0.3,1\n");

        // Two scalar statements, each one cell plus a sum over 3 × 3 pairs.
        Assert.Equal(
            "metricloss: eval Auc: the reference interpreter would enumerate about 2e+1 index assignments on this input, " +
            "under a second at about a microsecond each; the limit is 1e+1. It evaluates reductions literally: a sum over pairs " +
            "visits every pair, so the work grows with the square of the rows. Evaluate a sample of the rows, or raise the limit with --max-work 2e+1\n",
            Fails("eval", metric, csv, "--max-work", "10"));
        Assert.Equal(0, ToolRun.Invoke("eval", metric, csv, "--max-work", "20").ExitCode);
    }

    [Theory]
    [InlineData(new[] { "F1" }, "metricloss: eval: expected a metric and a CSV file: eval METRIC PREDICTIONS.csv [--option NAME=VALUE]...\n")]
    [InlineData(new[] { "F1", "a.csv", "--max-work", "lots" }, "metricloss: eval: `--max-work` takes a positive number of index assignments such as 1e9, found `lots`\n")]
    [InlineData(new[] { "F1", "a.csv", "--threshold=1" }, "metricloss: eval: unknown option `--threshold`; its options are --option, -o, --max-work\n")]
    public void Bad_command_lines(string[] args, string message)
    {
        Assert.Equal(message, Fails(["eval", .. args]));
    }

    private static string Fails(params string[] args)
    {
        var result = ToolRun.Invoke(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("", result.Stdout);
        return result.Stderr;
    }
}
