using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Digits;

/// <summary>The model every loss trains: 64 → 64 → ReLU → 10, one logit per digit.</summary>
public static class Mlp
{
    /// <summary>
    /// Builds the network after seeding the global generator that TorchSharp's parameter initialisation
    /// draws from, so for a given seed every loss starts from the very same weights.
    /// </summary>
    public static Sequential Create(int inputs, int hidden, int classes, long seed)
    {
        torch.random.manual_seed(seed);
        return nn.Sequential(
            ("hidden", nn.Linear(inputs, hidden)),
            ("relu", nn.ReLU()),
            ("logit", nn.Linear(hidden, classes)));
    }
}
