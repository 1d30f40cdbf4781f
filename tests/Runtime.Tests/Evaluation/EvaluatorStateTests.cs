using System.Text.RegularExpressions;
using MetricLoss.Catalog;
using MetricLoss.Evaluation;
using MetricLoss.Runtime.Tests.Infrastructure;
using MetricLoss.Runtime.Tests.RankingCatalog;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Evaluation;

/// <summary>
/// What each evaluator keeps (Info.EvaluatorState): the state's size as the data set grows, the docs' table of kinds,
/// and the binned mode of ROC AUC and AP against its error bound.
/// </summary>
public class EvaluatorStateTests
{
    [Theory]
    [MemberData(nameof(EvaluatorTests.Names), MemberType = typeof(EvaluatorTests))]
    public void The_state_grows_with_the_items_only_where_Info_says_so(string name)
    {
        var metric = RankingMetric.Get(name);
        using var scope = NewDisposeScope();
        long StateSize(int items)
        {
            // The same seed draws the same sizes of the other axes (classes, items per query) for both sizes.
            var (whole, size) = EvaluatorTests.RandomInputs(metric.Info, new Random(7), items);
            var evaluator = EvaluatorTests.NewEvaluator(name);
            for (var start = 0L; start < size; start += 16) EvaluatorTests.Update(evaluator, metric.Info, whole, start, Math.Min(16, size - start));
            return evaluator.ToState().Inputs.Sum(i => (long)i.Data.Length);
        }
        var small = StateSize(32);
        var large = StateSize(320);
        var state = metric.Info.EvaluatorState;
        if (state.Kind is EvaluatorStateKind.SufficientStatistics or EvaluatorStateKind.PerRow)
        {
            Assert.Equal(small, large);
            Assert.Equal(state.Statistics.Count, EvaluatorTests.NewEvaluator(name).ToState().Inputs.Count);
        }
        else
        {
            Assert.Equal(10 * small, large); // every input of the catalogue is along the batch axis
        }
        Assert.True(state.Mergeable);
    }

    [Fact]
    public void The_docs_table_of_state_kinds_is_the_generated_Info()
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "docs", "training.md"));
        var rows = Regex.Matches(text, @"^\| `(\w+)` \| (\w+) \| ([^|]+) \| ([^|]*) \|$", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => (Kind: m.Groups[2].Value, Size: m.Groups[3].Value.Trim(), Statistics: m.Groups[4].Value.Trim()));
        foreach (var name in CatalogDefinitions.Names)
        {
            Assert.True(rows.TryGetValue(name, out var row), $"docs/training.md lists no state kind for {name}");
            var state = RankingMetric.Get(name).Info.EvaluatorState;
            Assert.Equal((state.Kind.ToString(), state.Size, string.Join("; ", state.Statistics)), (row.Kind, row.Size, row.Statistics.Trim('–', ' ')));
        }
        Assert.Equal(CatalogDefinitions.Names.Count, rows.Count);
    }

    [Fact]
    public void Binned_ROC_AUC_and_AP_are_the_metric_of_the_binned_scores_within_the_bound()
    {
        using var scope = NewDisposeScope();
        var random = new Random(3);
        const int n = 3000;
        // Scores in [-0.1, 1.1], the bins' range, labels correlated with the scores.
        var scores = Enumerable.Range(0, n).Select(_ => random.NextDouble() * 1.2 - 0.1).ToArray();
        var labels = scores.Select(s => random.NextDouble() < 0.2 + 0.6 * Math.Clamp(s, 0, 1)).ToArray();
        var score = tensor(scores);
        var label = tensor(labels);
        foreach (var (form, exact) in new (string, Func<Tensor, Tensor, double>)[]
        {
            ("RocAuc", (s, l) => RocAuc.Exact(s, l)),
            ("AveragePrecision", (s, l) => AveragePrecision.Exact(s, l)),
        })
        {
            var truth = exact(score, label);
            var bounds = new List<double>();
            foreach (var count in new[] { 1, 4, 16, 64, 1024 })
            {
                var bins = new EvaluatorBins(count, -0.1, 1.1);
                var evaluator = Binned(form, bins);
                for (var start = 0; start < n; start += 256) Update(evaluator, score.narrow(0, start, Math.Min(256, n - start)), label.narrow(0, start, Math.Min(256, n - start)));
                var binnedScores = tensor(scores.Select(s => (double)bins.BinOf(s)).ToArray());
                Assert.Equal(exact(binnedScores, label), evaluator.Compute(), 12);
                Assert.True(Math.Abs(evaluator.Compute() - truth) <= evaluator.ErrorBound + 1e-12,
                    $"{form}, {count} bins: |{evaluator.Compute()} - {truth}| > {evaluator.ErrorBound}");
                Assert.Equal(EvaluatorStateKind.Bins, evaluator.StateKind);
                Assert.Equal(2 * count + 2, evaluator.ToState().Inputs.Sum(i => i.Data.Length));
                bounds.Add(evaluator.ErrorBound);
            }
            Assert.True(bounds[^1] < 0.01 * bounds[0], $"{form}: bounds {string.Join(", ", bounds)}");

            // Scores beyond the range pile into the end bins, and the bound says so.
            var narrow = Binned(form, new EvaluatorBins(1024, 0.2, 0.8));
            Update(narrow, score, label);
            Assert.True(Math.Abs(narrow.Compute() - truth) <= narrow.ErrorBound + 1e-12);
            Assert.True(narrow.ErrorBound > 10 * bounds[^1], $"{form}: {narrow.ErrorBound} against {bounds[^1]}");
            Assert.True(bounds.Zip(bounds.Skip(1)).All(p => p.Second <= p.First), $"{form}: bounds {string.Join(", ", bounds)}");
        }
    }

    [Fact]
    public void The_AUC_bound_is_reached_when_every_bin_holds_its_positives_above_its_negatives()
    {
        using var scope = NewDisposeScope();
        var bins = new EvaluatorBins(5);
        // In each of 5 bins two negatives at the bin's start and three positives just above them.
        var scores = Enumerable.Range(0, 5).SelectMany(b => new[] { 0.2 * b + 0.01, 0.2 * b + 0.02, 0.2 * b + 0.05, 0.2 * b + 0.06, 0.2 * b + 0.07 }).ToArray();
        var labels = Enumerable.Range(0, 5).SelectMany(_ => new[] { false, false, true, true, true }).ToArray();
        var evaluator = new RocAuc.Evaluator(bins);
        evaluator.Update(tensor(scores), tensor(labels));
        var exact = RocAuc.Exact(tensor(scores), tensor(labels));
        Assert.Equal(exact - evaluator.Compute(), evaluator.ErrorBound, 12);
        Assert.True(evaluator.ErrorBound > 0.05);
    }

    [Fact]
    public void Binned_states_merge_only_with_the_same_bins()
    {
        using var scope = NewDisposeScope();
        var random = new Random(5);
        var score = tensor(Enumerable.Range(0, 400).Select(_ => random.NextDouble()).ToArray());
        var label = tensor(Enumerable.Range(0, 400).Select(_ => random.Next(2) == 0).ToArray());
        var whole = new AveragePrecision.Evaluator(new EvaluatorBins(32));
        whole.Update(score, label);
        var first = new AveragePrecision.Evaluator(new EvaluatorBins(32));
        var second = new AveragePrecision.Evaluator(new EvaluatorBins(32));
        first.Update(score.narrow(0, 0, 150), label.narrow(0, 0, 150));
        second.Update(score.narrow(0, 150, 250), label.narrow(0, 150, 250));
        var carried = AveragePrecision.Evaluator.FromState(second.ToState());
        Assert.Equal(EvaluatorStateKind.Bins, carried.StateKind);
        first.Merge(carried);
        Assert.Equal(whole.Compute(), first.Compute(), 14);
        Assert.Equal(whole.ErrorBound, first.ErrorBound, 14);
        Assert.Equal(400, first.Count);

        var other = new AveragePrecision.Evaluator(new EvaluatorBins(32, -1, 1));
        other.Update(score, label);
        Assert.Contains("counts of different bins do not add", Assert.Throws<ArgumentException>(() => first.Merge(other)).Message);
        var exact = new AveragePrecision.Evaluator();
        exact.Update(score, label);
        Assert.Throws<ArgumentException>(() => exact.Merge(first));
        Assert.Throws<ArgumentException>(() => new EvaluatorBins(0).Validate());
        Assert.Throws<ArgumentException>(() => new RocAuc.Evaluator(new EvaluatorBins(8, 1, 1)));
        Assert.Equal(0, new RocAuc.Evaluator().ErrorBound);
    }

    private static MetricEvaluator Binned(string form, EvaluatorBins bins) =>
        form == "RocAuc" ? new RocAuc.Evaluator(bins) : new AveragePrecision.Evaluator(bins);

    private static void Update(MetricEvaluator evaluator, Tensor score, Tensor label)
    {
        if (evaluator is RocAuc.Evaluator auc) auc.Update(score, label);
        else ((AveragePrecision.Evaluator)evaluator).Update(score, label);
    }
}
