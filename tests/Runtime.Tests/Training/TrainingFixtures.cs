using MetricLoss.Catalog;
using MetricLoss.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Training;

/// <summary>Small seeded models, inputs and batch-coupling losses for the training-helper tests.</summary>
internal static class TrainingFixtures
{
    public const int InputWidth = 8;
    public const int EmbeddingWidth = 4;

    /// <summary>Linear → ReLU → Linear (no BatchNorm, no dropout): re-forwarding is exact.</summary>
    public static Sequential Mlp(ScalarType dtype = ScalarType.Float64, ulong seed = 1)
    {
        TorchNative.EnsureLoaded();
        var model = nn.Sequential(
            ("fc1", nn.Linear(InputWidth, 16, dtype: dtype)),
            ("relu", nn.ReLU()),
            ("fc2", nn.Linear(16, EmbeddingWidth, dtype: dtype)));
        Reseed(model, seed);
        return model;
    }

    /// <summary>Linear → BatchNorm1d → ReLU → Linear, in training mode.</summary>
    public static Sequential MlpWithBatchNorm(ulong seed = 2)
    {
        TorchNative.EnsureLoaded();
        var model = nn.Sequential(
            ("fc1", nn.Linear(InputWidth, 16, dtype: ScalarType.Float64)),
            ("bn", nn.BatchNorm1d(16, dtype: ScalarType.Float64)),
            ("relu", nn.ReLU()),
            ("fc2", nn.Linear(16, EmbeddingWidth, dtype: ScalarType.Float64)));
        Reseed(model, seed);
        return model;
    }

    /// <summary>Linear → ReLU → Dropout(0.5) → Linear.</summary>
    public static Sequential MlpWithDropout()
    {
        TorchNative.EnsureLoaded();
        var model = nn.Sequential(
            ("fc1", nn.Linear(InputWidth, 16, dtype: ScalarType.Float64)),
            ("relu", nn.ReLU()),
            ("drop", nn.Dropout(0.5)),
            ("fc2", nn.Linear(16, EmbeddingWidth, dtype: ScalarType.Float64)));
        Reseed(model, 3);
        return model;
    }

    /// <summary>Parameters drawn from a seeded generator (module initialisation uses the global one).</summary>
    private static void Reseed(nn.Module model, ulong seed)
    {
        using var generator = new Generator(seed, CPU);
        using var noGrad = no_grad();
        foreach (var p in model.parameters())
        {
            using var scope = NewDisposeScope();
            p.copy_(randn(p.shape, dtype: p.dtype, generator: generator).mul_(0.5));
        }
    }

    public static Tensor Inputs(long rows, ScalarType dtype = ScalarType.Float64, ulong seed = 7)
    {
        TorchNative.EnsureLoaded();
        using var generator = new Generator(seed, CPU);
        return randn(new[] { rows, (long)InputWidth }, dtype: dtype, generator: generator);
    }

    /// <summary>Classes 0, 0, 0, 0, 1, 1, 1, 1, …: blocks of <paramref name="perClass"/>.</summary>
    public static Tensor BlockClasses(long rows, long perClass) => arange(rows, dtype: ScalarType.Int64).div(perClass, rounding_mode: RoundingMode.floor);

    /// <summary>A loss that couples every pair of samples through E·Eᵀ (squared error to a fixed target plus a row log-sum-exp).</summary>
    public static Func<Tensor, Tensor> PairwiseLoss(long rows)
    {
        using var generator = new Generator(11, CPU);
        var target = randn(new[] { rows, rows }, dtype: ScalarType.Float64, generator: generator).DetachFromDisposeScope();
        return embeddings =>
        {
            using var scope = NewDisposeScope();
            var sim = embeddings.mm(embeddings.t());
            var loss = sim.sub(target.to(sim.dtype)).square().mean().add(sim.logsumexp(1).mean());
            return loss.MoveToOuterDisposeScope();
        };
    }

    /// <summary>RS@k (the generated catalogue loss) on the cosine similarities, 4 samples per class, each query out of its own list.</summary>
    public static Func<Tensor, Tensor> RecallAtKLoss(long rows, long perClass = 4)
    {
        using var scope = NewDisposeScope();
        var classes = BlockClasses(rows, perClass);
        var notSelf = eye(rows, dtype: ScalarType.Bool).logical_not();
        var pos = classes.unsqueeze(1).eq(classes.unsqueeze(0)).logical_and(notSelf).DetachFromDisposeScope();
        notSelf.DetachFromDisposeScope();
        var options = new RecallAtK.Options { TauRank = 0.05 };
        return embeddings =>
        {
            using var inner = NewDisposeScope();
            var unit = nn.functional.normalize(embeddings, dim: 1);
            return RecallAtK.Loss(unit.mm(unit.t()), pos, notSelf, options).MoveToOuterDisposeScope();
        };
    }

    /// <summary>Copies of the parameters' gradients (float64), in parameter order.</summary>
    public static double[][] Gradients(nn.Module model) =>
        model.parameters().Select(p =>
        {
            using var scope = NewDisposeScope();
            var grad = p.grad;
            Assert.NotNull(grad);
            return grad!.detach().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        }).ToArray();

    public static void ZeroGradients(nn.Module model)
    {
        foreach (var p in model.parameters())
        {
            using var scope = NewDisposeScope();
            p.grad?.zero_();
        }
    }

    /// <summary>max |a − b| ≤ tolerance · max(1, max |b|) over every parameter.</summary>
    public static void AssertClose(double[][] expected, double[][] actual, double tolerance, string context)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = Math.Max(1, expected.SelectMany(g => g).Select(Math.Abs).DefaultIfEmpty(0).Max());
        for (int p = 0; p < expected.Length; p++)
        {
            Assert.Equal(expected[p].Length, actual[p].Length);
            double worst = expected[p].Zip(actual[p], (e, a) => Math.Abs(e - a)).DefaultIfEmpty(0).Max();
            Assert.True(worst <= tolerance * scale,
                $"{context}: parameter {p}: max |Δgrad| = {worst:E3} > {tolerance:E0} × {scale:G4}");
        }
        Assert.Contains(expected.SelectMany(g => g), v => v != 0);
    }
}
