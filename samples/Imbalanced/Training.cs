using MetricLoss.Samples;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Imbalanced;

/// <summary>Hyper-parameters shared by every run of a task (the same for every loss: nothing is tuned per loss).</summary>
public sealed record Settings(int Epochs, int BatchSize, double LearningRate, int Hidden);

/// <summary>The classifier every loss trains: d → hidden → ReLU → 1 logit.</summary>
public static class Mlp
{
    private static readonly object InitialisationLock = new();

    /// <summary>Seeds the shared global generator and builds the network under one lock, so every loss of a seed starts from the same weights.</summary>
    public static Sequential Create(int inputs, int hidden, long seed)
    {
        lock (InitialisationLock)
        {
            torch.random.manual_seed(seed);
            return nn.Sequential(("hidden", nn.Linear(inputs, hidden)), ("relu", nn.ReLU()), ("logit", nn.Linear(hidden, 1)));
        }
    }
}

public static class Trainer
{
    /// <summary>
    /// Adam on shuffled mini-batches (the order drawn from the run's seed, so every loss of a seed sees the same
    /// batches), one dispose scope per step. The model after the last epoch is returned: no early stopping.
    /// </summary>
    public static Sequential Train(Splits data, LossSpec loss, Settings settings, long seed)
    {
        var train = data.Train;
        var model = Mlp.Create((int)train.Features.shape[1], settings.Hidden, seed);
        using var objective = loss.Create(new RunContext((double)train.Positives / train.Count));
        using var optimizer = new ScalarSafeAdam(model.parameters().Concat(objective.Parameters), settings.LearningRate);
        using var shuffle = new Generator((ulong)seed);
        model.train();
        for (int epoch = 1; epoch <= settings.Epochs; epoch++)
        {
            using var order = randperm(train.Count, generator: shuffle);
            for (long start = 0; start < train.Count; start += settings.BatchSize)
            {
                using var step = NewDisposeScope();
                var rows = order.narrow(0, start, Math.Min(settings.BatchSize, train.Count - start));
                var logits = model.forward(train.Features.index_select(0, rows)).squeeze(1);
                var value = objective.Loss(logits, train.Labels.index_select(0, rows));
                optimizer.ZeroGrad();
                value.backward();
                objective.AfterBackward();
                optimizer.Step();
            }
        }
        return model;
    }

    /// <summary>The model's logits on a split, without a graph (caller disposes).</summary>
    public static Tensor Logits(Sequential model, Split split)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        return model.forward(split.Features).squeeze(1).MoveToOuterDisposeScope();
    }
}
