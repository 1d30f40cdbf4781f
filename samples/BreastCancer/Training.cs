using MetricLoss.Catalog;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BreastCancer;

/// <summary>
/// A training objective: a name and a function from (logits, 0/1 labels) to a 0-dim loss. Apart from
/// BCE, each is the smooth surrogate MetricLoss generates for the metric of that name.
/// </summary>
public sealed record LossSpec(string Name, string Description, Func<Tensor, Tensor, Tensor> Loss)
{
    /// <summary>The four losses compared; all of them receive the same logits and labels.</summary>
    public static IReadOnlyList<LossSpec> All { get; } =
    [
        new("BCE", "binary cross-entropy on logits, the usual baseline",
            (logits, labels) => nn.functional.binary_cross_entropy_with_logits(logits, labels)),

        new("F1", "F1.Loss(logits): 1 − soft F1, σ(logit / τ), τ = 1",
            (logits, labels) => F1.Loss(logits, labels)),

        // AnyLoss is defined on probabilities (the relaxation of p > 0.5 with L = 73), so the
        // model's logits go through a sigmoid first.
        new("AnyLoss-F1", "F1AnyLoss.Loss(sigmoid(logits)): σ(73·(p − 0.5)), KDD 2024",
            (logits, labels) => F1AnyLoss.Loss(sigmoid(logits), labels)),

        new("Informedness", "Informedness.Loss(logits): this sample's own [Metric]",
            (logits, labels) => Informedness.Loss(logits, labels)),
    ];
}

/// <summary>Hyper-parameters shared by every run.</summary>
public sealed record TrainingSettings(int Epochs = 150, int BatchSize = 64, double LearningRate = 1e-2, long Seed = 42);

public static class Trainer
{
    /// <summary>
    /// Adam on shuffled mini-batches. The shuffling generator is created here from the seed, so every
    /// loss sees the same batches in the same order and only the objective differs between runs.
    /// </summary>
    /// <param name="observe">Called after each step with the epoch, the batch's logits and labels and the loss (the gap monitor).</param>
    public static void Train(Sequential model, Split train, LossSpec loss, TrainingSettings settings, Action<int> epochDone,
        Action<int, Tensor, Tensor, Tensor>? observe = null)
    {
        model.train();
        using var optimizer = optim.Adam(model.parameters(), lr: settings.LearningRate);
        using var shuffle = new Generator((ulong)settings.Seed);
        long n = train.Count;

        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            using var order = randperm(n, generator: shuffle);
            for (long start = 0; start < n; start += settings.BatchSize)
            {
                // One dispose scope per step: the batch, the logits, the loss and every intermediate
                // of the generated surrogate are freed here instead of waiting for the finalizer.
                using var step = NewDisposeScope();
                var rows = order.narrow(0, start, Math.Min(settings.BatchSize, n - start));
                var x = train.Features.index_select(0, rows);
                var y = train.Labels.index_select(0, rows);

                var logits = model.forward(x).squeeze(1);
                var value = loss.Loss(logits, y);

                optimizer.zero_grad();
                value.backward();
                optimizer.step();
                observe?.Invoke(epoch, logits, y, value);
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
        return model.forward(split.Features).squeeze(1).MoveToOuterDisposeScope();
    }
}
