namespace MetricLoss.Tool;

internal static class HelpText
{
    public const string Usage = """
        metricloss: check, show, explain and evaluate MetricLoss metric definitions.

        Usage:
          metricloss check [--namespace NS] FILE.metric...
              Compile the files with the MetricLoss generator and print its diagnostics in the C#
              compiler's format: path(line,col): error MTR0105: message. All files form one
              compilation, as in one project (a metric defined in two files is MTR0204).
          metricloss show [--namespace NS] FILE.metric [METRIC]
              Print the C# the generator writes for each metric of FILE, or for METRIC only.
              Diagnostics go to stderr.
          metricloss explain [--namespace NS] FILE.metric [METRIC] [--size AXIS=N]...
              Print the plan of each metric of FILE (or of METRIC): per statement of the exact and
              the smooth program, how each reduction is computed (dense, sort-based, chunked within
              MaxPairwiseElements, restricted to a support), its cost as the axes grow, its peak
              intermediate in elements for the sizes given (by size axis: --size n=100000) and its
              host syncs. The same text is the generated Info.Plan.
          metricloss eval METRIC PREDICTIONS.csv [--option NAME=VALUE]... [--max-work N]
              Print the exact value of METRIC on the CSV: a catalogue metric (F1, RocAuc, ...), a
              file (path/to/file.metric, which must define one metric) or path/to/file.metric:Name.
              The CSV's header names the metric's inputs: one column per input for inputs over one
              axis (score: real[n], label: bool[n]); for inputs over two axes such as [q, i], long
              format: one row per (q, i) cell, a column named after the outer axis (`q`) whose value
              groups the rows, the items of a group in row order. Booleans are 0/1 or false/true.
              Vector options take a list: --option k=1,5. Values come from the reference interpreter
              (RocAuc and AveragePrecision of the catalogue: sort-based); its work is quadratic in the
              rows for pairwise sums, so eval refuses beyond N index assignments (default 1e8, a
              minute or two) and says how many it would need.
          metricloss --help | --version

        Options:
          --namespace NS       namespace of a .metric file without a `namespace` line (a build uses
                               the project's RootNamespace; default here: Metrics)
          -o, --option N=V     a metric option for eval (repeatable)
          --max-work N         eval's limit on the interpreter's work (default 1e8)
          --size AXIS=N        explain's size of an axis (repeatable), for peak intermediates in elements

        Exit codes: 0 success, 1 diagnostics with errors, 2 usage or input error, 3 internal error.

        """;
}
