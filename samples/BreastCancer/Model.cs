using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace BreastCancer;

/// <summary>The model every loss trains: 30 → 16 → ReLU → 1, one logit per patient (&gt; 0 means malignant).</summary>
public static class Mlp
{
    /// <summary>
    /// Builds the network after seeding the global generator that TorchSharp's parameter
    /// initialisation draws from, so every loss starts from the very same weights.
    /// </summary>
    public static Sequential Create(int inputs, int hidden, long seed)
    {
        torch.random.manual_seed(seed);
        return nn.Sequential(
            ("hidden", nn.Linear(inputs, hidden)),
            ("relu", nn.ReLU()),
            ("logit", nn.Linear(hidden, 1)));
    }
}
