using MetricLoss.Baselines;
using MetricLoss.Catalog;
using MetricLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Retrieval;

/// <summary>
/// What a run keeps besides the network: the SiMix generator, and for the normalised softmax one learned proxy per
/// training class ([C, d], trained with the network).
/// </summary>
public sealed record RunState(Generator Mixing, Tensor? Proxies);

/// <summary>
/// A training objective: a name and a function from (L2-normalised embeddings [N, d], labels int64 [N], the
/// run's state) to a 0-dim loss. The batch is class-contiguous (equal blocks), which only SiMix needs.
/// </summary>
/// <param name="NeedsProxies">The loss learns class proxies (the normalised softmax): the run creates them.</param>
public sealed record LossSpec(string Name, string Description, Func<Tensor, Tensor, RunState, Tensor> Loss, bool NeedsProxies = false)
{
    /// <summary>The seven losses compared; all receive the same batches and start from the same weights.</summary>
    public static IReadOnlyList<LossSpec> All { get; } =
    [
        new("RS@k", "RecallAtK.Loss: RS@k, K = {1, 2, 4, 8, 16}, τ_rank 0.01, τ_k 1 (Patel et al., CVPR 2022)",
            (e, y, _) =>
            {
                var (sim, pos, valid) = Retrieval(e, y);
                return RecallAtK.Loss(sim, pos, valid);
            }),

        new("RS@k + SiMix", "RecallAtK.Loss on SiMix.Mix(sim): + C(8,2) = 28 virtual samples per class block",
            (e, y, state) =>
            {
                using var scope = NewDisposeScope();
                var sim = e.matmul(e.t());
                var mixed = SiMix.Mix(sim, y, state.Mixing); // freed with the scope
                return RecallAtK.Loss(mixed.Similarities, mixed.Positives, mixed.Valid).MoveToOuterDisposeScope();
            }),

        new("AP (Smooth-AP)", "MeanAveragePrecision.Loss on the N × (N − 1) lists without the query, τ 0.01 (Brown et al., ECCV 2020)",
            (e, y, _) =>
            {
                var (sim, pos, _) = Retrieval(e, y);
                return MeanAveragePrecision.Loss(WithoutDiagonal(sim), WithoutDiagonal(pos));
            }),

        new("Circle", "Circle.Loss: m 0.25, γ 256 (Sun et al., CVPR 2020)",
            (e, y, _) => Circle.Loss(e, y)),

        new("Contrastive", "Contrastive.Loss: margin 1 on the unit-sphere distance (Hadsell et al., CVPR 2006)",
            (e, y, _) => Contrastive.Loss(e, y)),

        new("Triplet semi-hard", "TripletSemiHard.Loss: margin 0.2, squared distance (Schroff et al., FaceNet, CVPR 2015)",
            (e, y, _) => TripletSemiHard.Loss(e, y)),

        new("Normalised softmax", "NormalisedSoftmax.Loss: cross-entropy on cosine logits to one proxy per class, T 0.05 (Zhai & Wu, BMVC 2019)",
            (e, y, state) => NormalisedSoftmax.Loss(e, state.Proxies!, y), NeedsProxies: true),
    ];

    /// <summary>The RS@k loss on one batch (used by the full-batch multistage run).</summary>
    public static LossSpec RsAtK => All[0];

    /// <summary>
    /// Retrieval inputs of a batch, every item a query against all the others: sim = E Eᵀ (cosine, the
    /// embeddings are unit vectors), pos = same label and not the query itself, valid = not the query itself
    /// (the paper's convention: the query is not in its own database).
    /// </summary>
    public static (Tensor Sim, Tensor Pos, Tensor Valid) Retrieval(Tensor embeddings, Tensor labels)
    {
        long n = embeddings.shape[0];
        var sim = embeddings.matmul(embeddings.t());
        var valid = eye(n, n, ScalarType.Bool, embeddings.device).logical_not_();
        var pos = labels.unsqueeze(1).eq(labels.unsqueeze(0)).logical_and_(valid);
        return (sim, pos, valid);
    }

    /// <summary>
    /// Drops the diagonal of a square [N, N] matrix: row q becomes the N − 1 other items. MeanAveragePrecision has
    /// no validity mask, so this is how the query leaves its own list (docs/ranking-conventions.md, Smooth-AP); it
    /// is exact, unlike giving the query a very low similarity, which would still move every smooth rank by
    /// σ(−Δ/τ).
    /// </summary>
    public static Tensor WithoutDiagonal(Tensor square)
    {
        long n = square.shape[0];
        var offDiagonal = eye(n, n, ScalarType.Bool, square.device).logical_not_();
        return square.masked_select(offDiagonal).reshape(n, n - 1);
    }
}
