using System.Reflection;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Evaluation;
using MetricLoss.Runtime.Tests.Infrastructure;
using MetricLoss.Runtime.Tests.RankingCatalog;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Evaluation;

/// <summary>
/// Every catalogue metric's <c>Evaluator</c>: a data set split at random into batches (empty and one-item batches
/// among them), updated into three evaluators in random order, merged in random order and carried through
/// ToState/FromState, computes Exact of the whole data set.
/// </summary>
public class EvaluatorTests
{
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in CatalogDefinitions.Names.OrderBy(n => n, StringComparer.Ordinal)) data.Add(name);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Batches_merged_in_any_order_compute_Exact_of_the_whole_set(string name)
    {
        var metric = RankingMetric.Get(name);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) & 0xffff);
        using var scope = NewDisposeScope();
        for (var trial = 0; trial < 3; trial++)
        {
            var (whole, batchAxisSize) = RandomInputs(metric.Info, random);
            var expected = metric.Exact(whole);

            var evaluators = Enumerable.Range(0, 3).Select(_ => NewEvaluator(name)).ToArray();
            foreach (var (start, length) in RandomSplit(batchAxisSize, random))
            {
                Update(evaluators[random.Next(evaluators.Length)], metric.Info, whole, start, length);
            }
            var order = evaluators.OrderBy(_ => random.Next()).ToArray();
            var merged = NewEvaluator(name);
            foreach (var evaluator in order) merged.Merge(evaluator);
            var carried = FromState(name, merged.ToState());

            Assert.Equal(batchAxisSize, merged.Count);
            Assert.True(Math.Abs(merged.Compute() - expected) <= 1e-12, $"{name}: merged {merged.Compute():R}, Exact {expected:R}");
            Assert.Equal(merged.Compute(), carried.Compute());
        }
    }

    [Fact]
    public void Bad_batches_get_the_errors_of_Exact_and_of_the_joining()
    {
        using var scope = NewDisposeScope();
        var evaluator = new MetricLoss.Catalog.F1.Evaluator();
        var nan = Tensors.Scores(new[] { 0.5, double.NaN }, ScalarType.Float32);
        var label = Tensors.Labels(new[] { true, false });
        var exact = Assert.Throws<ArgumentException>(() => MetricLoss.Catalog.F1.Exact(nan, label));
        var update = Assert.Throws<ArgumentException>(() => evaluator.Update(nan, label));
        Assert.Equal(exact.Message, update.Message);

        // Per-class sums must keep their classes; per-row sums need not the same row length (each row stands alone).
        var classes = new MetricLoss.Catalog.MacroF1MultiLabel.Evaluator();
        classes.Update(rand(2, 5), ones(2, 5, dtype: ScalarType.Bool));
        var joined = Assert.Throws<ArgumentException>(() => classes.Update(rand(2, 6), ones(2, 6, dtype: ScalarType.Bool)));
        Assert.Contains("MacroF1MultiLabel: the statistic 'tp' of this batch has shape [6], but earlier batches gave it [5]", joined.Message);
        var ranking = new MetricLoss.Catalog.RecallAtK.Evaluator();
        ranking.Update(rand(2, 5), ones(2, 5, dtype: ScalarType.Bool), ones(2, 5, dtype: ScalarType.Bool));
        ranking.Update(rand(2, 6), ones(2, 6, dtype: ScalarType.Bool), ones(2, 6, dtype: ScalarType.Bool));
        Assert.Equal(4, ranking.Count);

        // Every kind checks a batch as Exact does, with Exact's message.
        var auc = new MetricLoss.Catalog.RocAuc.Evaluator();
        var binned = new MetricLoss.Catalog.RocAuc.Evaluator(new EvaluatorBins(10));
        var twos = Tensors.Scores(new[] { 1.0, 2.0 }, ScalarType.Float32);
        var exactAuc = Assert.Throws<ArgumentException>(() => MetricLoss.Catalog.RocAuc.Exact(nan, twos));
        Assert.Equal(exactAuc.Message, Assert.Throws<ArgumentException>(() => auc.Update(nan, twos)).Message);
        Assert.Equal(exactAuc.Message, Assert.Throws<ArgumentException>(() => binned.Update(nan, twos)).Message);
        var map = new MetricLoss.Catalog.MeanAveragePrecision.Evaluator();
        var badRows = ones(2, 3, dtype: ScalarType.Float32) * 2;
        var exactMap = Assert.Throws<ArgumentException>(() => MetricLoss.Catalog.MeanAveragePrecision.Exact(rand(2, 3), badRows));
        Assert.Equal(exactMap.Message, Assert.Throws<ArgumentException>(() => map.Update(rand(2, 3), badRows)).Message);

        Assert.Throws<InvalidOperationException>(() => new MetricLoss.Catalog.F1.Evaluator().Compute());
        Assert.Throws<ArgumentException>(() => evaluator.Merge(evaluator));
        Assert.Throws<ArgumentException>(() => evaluator.Merge(ranking));
        var state = ranking.ToState();
        Assert.Throws<ArgumentException>(() => MetricLoss.Catalog.F1.Evaluator.FromState(state));
    }

    [Fact]
    public void Empty_batches_add_nothing_and_Reset_forgets_everything()
    {
        using var scope = NewDisposeScope();
        var evaluator = new MetricLoss.Catalog.RocAuc.Evaluator();
        evaluator.Update(empty(0, dtype: ScalarType.Float32), empty(0, dtype: ScalarType.Bool));
        Assert.Equal(0, evaluator.Count);
        evaluator.Update(Tensors.Scores(new[] { 0.2, 0.9, 0.4 }, ScalarType.Float32), Tensors.Labels(new[] { false, true, true }));
        evaluator.Update(Tensors.Scores(new[] { 0.5 }, ScalarType.Float32), Tensors.Labels(new[] { false }));
        Assert.Equal(4, evaluator.Count);
        Assert.Equal(0.75, evaluator.Compute(), 12); // pairs (0.9, 0.2), (0.9, 0.5), (0.4, 0.2) won, (0.4, 0.5) lost
        evaluator.Reset();
        Assert.Equal(0, evaluator.Count);
        Assert.Throws<InvalidOperationException>(() => evaluator.Compute());
    }

    internal static MetricEvaluator NewEvaluator(string name) =>
        (MetricEvaluator)Activator.CreateInstance(EvaluatorType(name), new object?[] { null })!;

    private static MetricEvaluator FromState(string name, EvaluatorState state) =>
        (MetricEvaluator)EvaluatorType(name).GetMethod("FromState")!.Invoke(null, new object?[] { state, null })!;

    private static Type EvaluatorType(string name) =>
        typeof(MetricOptions).Assembly.GetType($"MetricLoss.Catalog.{name}+Evaluator", throwOnError: true)!;

    /// <summary>Update with positions [start, start + length) of the batch axis of every input that is along it.</summary>
    internal static void Update(MetricEvaluator evaluator, MetricInfo info, IReadOnlyList<Tensor> whole, long start, long length)
    {
        var batchAxis = info.Inputs[0].Axes[0];
        var batch = whole.Select((t, k) => info.Inputs[k].Axes[0] == batchAxis ? t.narrow(0, start, length) : t).Cast<object>().ToArray();
        try
        {
            evaluator.GetType().GetMethod("Update")!.Invoke(evaluator, batch);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    /// <summary>Consecutive ranges covering [0, size): lengths 0 to 5, at least one empty range and one of length 1 where size allows.</summary>
    private static IEnumerable<(long Start, long Length)> RandomSplit(long size, Random random)
    {
        yield return (0, 0);
        var start = 0L;
        var first = true;
        while (start < size)
        {
            var length = first ? 1 : Math.Min(size - start, random.Next(0, 6));
            first = false;
            yield return (start, length);
            start += length;
        }
    }

    /// <summary>Inputs for the metric: <paramref name="batchSize"/> positions along the batch axis (queries or items), 2 to 5 along the others; values with ties.</summary>
    internal static (List<Tensor> Inputs, long BatchAxisSize) RandomInputs(MetricInfo info, Random random, int batchSize = 24)
    {
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal) { [info.Inputs[0].Axes[0]] = batchSize };
        foreach (var axis in info.Inputs.SelectMany(i => i.Axes).Where(a => !sizes.ContainsKey(a))) sizes[axis] = random.Next(2, 6);
        var tensors = new List<Tensor>();
        foreach (var input in info.Inputs)
        {
            var shape = input.Axes.Select(a => (long)sizes[input.Axes.Count > 0 ? a : a]).ToArray();
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            if (input.Type == "bool")
            {
                tensors.Add(tensor(Enumerable.Range(0, count).Select(_ => random.Next(3) == 0).ToArray()).reshape(shape));
            }
            else if (input.Type.StartsWith("index<", StringComparison.Ordinal))
            {
                var of = sizes[input.Type[6..^1]];
                tensors.Add(tensor(Enumerable.Range(0, count).Select(_ => (long)random.Next(of)).ToArray()).reshape(shape));
            }
            else if (input.Type == "int")
            {
                tensors.Add(tensor(Enumerable.Range(0, count).Select(_ => (long)random.Next(4)).ToArray()).reshape(shape));
            }
            else
            {
                // Probabilities in [0, 1] on a grid of 0.1 (ties), which every real input of the catalogue accepts.
                tensors.Add(tensor(Enumerable.Range(0, count).Select(_ => Math.Round(random.NextDouble(), 1)).ToArray(), ScalarType.Float64).reshape(shape));
            }
        }
        return (tensors, sizes[info.Inputs[0].Axes[0]]);
    }
}
