using MetricLoss.Catalog;
using MetricLoss.Samples;
using MetricLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval;

/// <summary>Hyper-parameters shared by every run (the same for every loss: nothing is tuned per loss).</summary>
/// <param name="Inputs">Pixels per image (64 for digits, 784 for Fashion-MNIST).</param>
/// <param name="Width">Hidden units of the embedding MLP.</param>
/// <param name="Dimensions">Embedding dimensions.</param>
/// <param name="TrainClasses">Number of training classes (labels 0..TrainClasses − 1): the normalised softmax's proxies.</param>
public sealed record Settings(
    int Inputs,
    int Width,
    int Dimensions,
    int TrainClasses,
    int Epochs,
    int ClassesPerBatch,
    int SamplesPerClass,
    double LearningRate,
    IReadOnlyList<long> Seeds,
    int FullBatchEpochs,
    long ChunkSize)
{
    /// <summary>The k of the reported Recall@k.</summary>
    public static readonly int[] RecallKs = [1, 2, 4, 8];
}

/// <summary>What one (loss, seed) run produced.</summary>
/// <param name="RecallAt1ByEpoch">Test Recall@1 after each epoch; index 0 is the untrained network.</param>
/// <param name="InitialRecall">Test Recall@1/2/4/8 of the untrained network (the same for every loss of a seed).</param>
/// <param name="FinalRecall">Test Recall@1/2/4/8 after the last epoch.</param>
public sealed record RunResult(string Loss, long Seed, double[] RecallAt1ByEpoch, double[] InitialRecall, double[] FinalRecall, TimeSpan TrainingTime, int Steps);

public static class Trainer
{
    /// <summary>The name of the full-batch multistage run in the results.</summary>
    public const string FullBatchName = "RS@k, full batch";

    /// <summary>
    /// Adam on class-balanced, class-contiguous batches (<see cref="ClassBalancedBatchSampler"/>, seeded with the
    /// run's seed, so every loss sees the same batches in the same order for a given seed). One dispose scope per
    /// step. Test Recall@1 is measured after every epoch, Recall@1/2/4/8 before the first and after the last.
    /// </summary>
    public static RunResult Train(LossSpec loss, Split train, Split test, Settings settings, long seed, Action<int> epochDone)
    {
        using var model = EmbeddingNet.Create(seed, settings.Inputs, settings.Width, settings.Dimensions);
        using var proxies = loss.NeedsProxies ? EmbeddingNet.CreateProxies(seed, settings.TrainClasses, settings.Dimensions) : null;
        using var optimizer = new ScalarSafeAdam(proxies is null ? model.parameters() : model.parameters().Append(proxies), settings.LearningRate);
        var sampler = new ClassBalancedBatchSampler(train.LabelList, settings.ClassesPerBatch, settings.SamplesPerClass, seed);
        using var mixing = new Generator((ulong)seed); // SiMix's α's
        var state = new RunState(mixing, proxies);
        var run = new RunRecorder(model, test, settings.Epochs);
        int steps = 0;

        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            run.StartTraining();
            foreach (var batch in sampler) // one enumeration = one epoch
            {
                using var step = NewDisposeScope();
                var rows = tensor(batch);
                var pixels = train.Pixels.index_select(0, rows);
                var labels = train.Labels.index_select(0, rows);
                var value = loss.Loss(model.forward(pixels), labels, state);
                optimizer.ZeroGrad();
                value.backward();
                optimizer.Step();
                steps++;
            }
            run.EndEpoch(epoch);
            epochDone(epoch);
        }
        return run.Result(loss.Name, seed, steps);
    }

    /// <summary>
    /// The whole training set (all images of the training classes, sorted by class) as ONE batch per step, trained with RS@k through
    /// <see cref="MultistageBackprop.Step"/>: the embeddings are computed in chunks without a graph, ∂L/∂E comes
    /// from the loss on all of them at once, then each chunk is re-forwarded and back-propagated. One Adam step
    /// per epoch.
    /// </summary>
    public static RunResult TrainFullBatch(Split train, Split test, Settings settings, long seed, Action<int> epochDone)
    {
        using var model = EmbeddingNet.Create(seed, settings.Inputs, settings.Width, settings.Dimensions);
        using var optimizer = new ScalarSafeAdam(model.parameters(), settings.LearningRate);
        using var mixing = new Generator((ulong)seed); // unused by RS@k, required by the LossSpec signature
        var state = new RunState(mixing, null);
        var run = new RunRecorder(model, test, settings.FullBatchEpochs);

        for (int epoch = 1; epoch <= settings.FullBatchEpochs; epoch++)
        {
            run.StartTraining();
            optimizer.ZeroGrad();
            MultistageBackprop.Step(model, train.Pixels, e => LossSpec.RsAtK.Loss(e, train.Labels, state), settings.ChunkSize);
            optimizer.Step();
            run.EndEpoch(epoch);
            epochDone(epoch);
        }
        return run.Result(FullBatchName, seed, settings.FullBatchEpochs);
    }

    /// <summary>Evaluations before, during and after one run, and the training time without them.</summary>
    private sealed class RunRecorder
    {
        private readonly EmbeddingNet _model;
        private readonly Split _test;
        private readonly double[] _initial;
        private readonly double[] _recallAt1;
        private readonly System.Diagnostics.Stopwatch _training = new();

        public RunRecorder(EmbeddingNet model, Split test, int epochs)
        {
            _model = model;
            _test = test;
            _initial = Settings.RecallKs.Select(k => Evaluator.RecallAt(model, test, k)).ToArray();
            _recallAt1 = new double[epochs + 1];
            _recallAt1[0] = _initial[0];
        }

        public void StartTraining()
        {
            _model.train();
            _training.Start();
        }

        public void EndEpoch(int epoch)
        {
            _training.Stop();
            _recallAt1[epoch] = Evaluator.RecallAt(_model, _test, 1);
        }

        public RunResult Result(string loss, long seed, int steps) =>
            new(loss, seed, _recallAt1, _initial, Settings.RecallKs.Select(k => Evaluator.RecallAt(_model, _test, k)).ToArray(),
                _training.Elapsed, steps);
    }
}

/// <summary>Exact retrieval Recall@k on the test classes.</summary>
public static class Evaluator
{
    /// <summary>
    /// Every test image is a query against all the other test images (the query itself excluded through
    /// valid[q, q] = false); Recall@k is the hit rate of metric-learning papers: the fraction of queries with at
    /// least one same-class image among their k most similar (<see cref="RetrievalRecallAtK.Exact"/>, ties
    /// resolved optimistically, docs/surrogates.md §3.7). The queries go through the metric's Evaluator in blocks of
    /// 128 rows of the similarity matrix, as a larger test set would have to: the value is that of all the queries.
    /// </summary>
    public static double RecallAt(EmbeddingNet model, Split test, int k)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (sim, pos, valid) = LossSpec.Retrieval(model.forward(test.Pixels), test.Labels);
        var evaluator = new RetrievalRecallAtK.Evaluator(new RetrievalRecallAtK.Options { K = k });
        const long block = 128;
        for (long start = 0; start < sim.shape[0]; start += block)
        {
            var rows = Math.Min(block, sim.shape[0] - start);
            evaluator.Update(sim.narrow(0, start, rows), pos.narrow(0, start, rows), valid.narrow(0, start, rows));
        }
        return evaluator.Compute();
    }
}
