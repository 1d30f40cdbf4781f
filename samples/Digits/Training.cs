using MetricLoss.Catalog;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Digits;

/// <summary>
/// A training objective: a name, a description, and a factory that, given the run's anchor generator, returns a
/// function from (logits [n, 10], targets int64 [n]) to a 0-dim loss. Only UniLoss uses the generator.
/// </summary>
public sealed record LossSpec(string Name, string Description, Func<Generator, Func<Tensor, Tensor, Tensor>> Create)
{
    /// <summary>
    /// τ of UniLoss's σ(Δ/τ), applied to differences of sigmoid-squashed logits, Δ ∈ (−1, 1): the official
    /// UniLoss classification code's choice (a sigmoid head, temperature 1), docs/surrogates.md §1.2/§1.4.
    /// </summary>
    public const double UniLossTau = 1.0;

    /// <summary>The three losses compared; all of them receive the same logits and targets.</summary>
    public static IReadOnlyList<LossSpec> All { get; } =
    [
        new("Cross-entropy", "cross_entropy(logits, target), the usual baseline",
            _ => (logits, target) => nn.functional.cross_entropy(logits, target)),

        new("TopKAccuracy", "TopKAccuracy.Loss(logits, target), k = 1, τ = 1 (analytic)",
            _ => (logits, target) => TopKAccuracy.Loss(logits, target)),

        // UniLoss (Liu, Wang, Deng, ECCV 2020). σ(Δ/τ) of raw logit differences saturates once |Δ| ≫ τ, which a
        // trained network's logits quickly reach; the official code squashes the logits with a sigmoid first, so
        // every Δ lies in (−1, 1) and σ(Δ) in (0.27, 0.73). Accuracy is unchanged by that squashing (a sigmoid is
        // strictly increasing, so the order of a row's logits, hence the argmax, is the same). The anchors are
        // re-drawn every step from the run's generator (seeded, so the run is reproducible).
        new("UniLoss", $"AccuracyInterpolated.Loss(sigmoid(logits), target), τ = {UniLossTau}",
            anchors =>
            {
                var options = new AccuracyInterpolated.Options { Tau = UniLossTau, Generator = anchors };
                return (logits, target) => AccuracyInterpolated.Loss(sigmoid(logits), target, options);
            }),
    ];
}

/// <summary>Hyper-parameters shared by every run.</summary>
public sealed record TrainingSettings(int Epochs = 40, int BatchSize = 64, double LearningRate = 1e-2);

public static class Trainer
{
    /// <summary>
    /// Adam on shuffled mini-batches. The shuffling generator is created here from the seed, so for a given seed
    /// every loss sees the same batches in the same order and only the objective differs between runs.
    /// </summary>
    public static void Train(Sequential model, Split train, LossSpec loss, TrainingSettings settings, long seed, Action<int> epochDone)
    {
        model.train();
        using var optimizer = optim.Adam(model.parameters(), lr: settings.LearningRate);
        using var shuffle = new Generator((ulong)seed);
        using var anchors = new Generator((ulong)seed + 1_000_003UL); // UniLoss's anchors; unused by the others
        var objective = loss.Create(anchors);
        long n = train.Count;

        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            using var order = randperm(n, generator: shuffle);
            for (long start = 0; start < n; start += settings.BatchSize)
            {
                // One dispose scope per step: the batch, the logits, the loss and every intermediate of the
                // generated surrogate are freed here instead of waiting for the finalizer.
                using var step = NewDisposeScope();
                var rows = order.narrow(0, start, Math.Min(settings.BatchSize, n - start));
                var x = train.Features.index_select(0, rows);
                var y = train.Labels.index_select(0, rows);

                var value = objective(model.forward(x), y);

                optimizer.zero_grad();
                value.backward();
                optimizer.step();
            }
            epochDone(epoch);
        }
    }

    /// <summary>The model's logits on a split, without a graph, detached from any scope (caller disposes).</summary>
    public static Tensor Logits(Sequential model, Split split)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.forward(split.Features).MoveToOuterDisposeScope();
    }
}
