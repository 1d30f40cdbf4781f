using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Retrieval;

/// <summary>
/// The embedding network every loss trains: pixels → width → ReLU → dimensions (digits: 64 → 128 → 64; Fashion-MNIST:
/// 784 → 256 → 64), L2-normalised, so that the dot product
/// of two embeddings is their cosine similarity (what RS@k, the AP surrogate and Circle loss rank by, and what the
/// evaluation ranks by).
/// </summary>
public sealed class EmbeddingNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear output;

    private EmbeddingNet(int inputs, int width, int dimensions) : base(nameof(EmbeddingNet))
    {
        hidden = nn.Linear(inputs, width);
        output = nn.Linear(width, dimensions);
        RegisterComponents();
    }

    /// <summary>
    /// Builds the network after seeding the global generator that TorchSharp's parameter initialisation draws
    /// from, so for a given seed every loss starts from the very same weights.
    /// </summary>
    /// <remarks>
    /// Seeding and construction happen under one lock: the global generator is shared, and the sample trains
    /// several runs on parallel threads.
    /// </remarks>
    public static EmbeddingNet Create(long seed, int inputs = 64, int width = 128, int dimensions = 64)
    {
        lock (InitialisationLock)
        {
            torch.random.manual_seed(seed);
            return new EmbeddingNet(inputs, width, dimensions);
        }
    }

    private static readonly object InitialisationLock = new();

    /// <summary>
    /// The normalised softmax's class proxies [classes, dimensions], standard normal from a generator seeded with the
    /// run's seed (Zhai &amp; Wu, BMVC 2019, learn one proxy per class; only the direction matters, the loss
    /// normalises them).
    /// </summary>
    public static Parameter CreateProxies(long seed, int classes, int dimensions)
    {
        using var generator = new Generator((ulong)seed + 7919); // a stream apart from the batches' and SiMix's
        return new Parameter(randn(classes, dimensions, generator: generator), requires_grad: true);
    }

    public override Tensor forward(Tensor pixels)
    {
        using var scope = NewDisposeScope();
        var embedding = output.forward(nn.functional.relu(hidden.forward(pixels)));
        return nn.functional.normalize(embedding, p: 2.0, dim: 1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            hidden.Dispose();
            output.Dispose();
        }
        base.Dispose(disposing);
    }
}
