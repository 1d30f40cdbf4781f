using MetricLoss.Runtime;
using System;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Baselines;

/// <summary>
/// The normalised-softmax loss of A. Zhai and H.-Y. Wu, "Classification is a Strong Baseline for Deep Metric
/// Learning", BMVC 2019 (eq. 2): cross-entropy on the cosine similarities between an embedding and one learned
/// proxy per training class, divided by a temperature.
/// </summary>
/// <remarks>
/// <code>
/// logit[i, c] = ⟨ê_i, ŵ_c⟩ / T      (ê, ŵ: the L2-normalised embedding and class proxy)
/// L = mean over i of −log softmax(logit[i])[y_i]
/// </code>
/// <para>
/// Default temperature <b>T = 0.05</b>, the paper's setting. The proxies W [C, d] are parameters of the
/// training run (the caller creates them, for example with a normal initialisation, and gives them to the
/// optimiser); they are not used at test time, where retrieval ranks by the embeddings' cosine similarity.
/// Labels are the class indices 0..C−1. Computed in the embeddings' dtype (float16 / bfloat16 in float32, then
/// cast back); the proxies and labels are moved to the embeddings' device.
/// </para>
/// </remarks>
public static class NormalisedSoftmax
{
    private const string Name = "NormalisedSoftmax";

    /// <summary>Options of <see cref="NormalisedSoftmax"/>.</summary>
    public sealed record Options
    {
        /// <summary>The defaults (T = 0.05).</summary>
        public static Options Default { get; } = new();

        /// <summary>T &gt; 0, the temperature that divides the cosine logits; default 0.05.</summary>
        public double Temperature { get; init; } = 0.05;

        internal void Validate() => PairwiseBatch.RequireOption(Name, nameof(Temperature), Temperature, 0, strict: true);
    }

    /// <summary>The mean cross-entropy of a batch: a 0-dim tensor in the embeddings' dtype, on their device.</summary>
    /// <param name="embeddings">[N, d], floating; normalised inside.</param>
    /// <param name="proxies">[C, d], floating: one proxy per class; normalised inside.</param>
    /// <param name="labels">[N] class indices 0..C−1, any integer dtype.</param>
    /// <param name="options">The temperature; null for the default.</param>
    /// <exception cref="ArgumentException">An input has the wrong rank, dtype or length, or an option is out of range.</exception>
    public static Tensor Loss(Tensor embeddings, Tensor proxies, Tensor labels, Options? options = null)
    {
        options ??= Options.Default;
        options.Validate();
        PairwiseBatch.Validate(Name, embeddings, labels);
        if (proxies is null) throw new ArgumentNullException(nameof(proxies), $"{Name}: input 'proxies' is null.");
        if (proxies.IsInvalid) throw new ArgumentException($"{Name}: input 'proxies' is a disposed tensor.", nameof(proxies));
        if (proxies.dim() != 2 || proxies.shape[1] != embeddings.shape[1] || !torch.is_floating_point(proxies))
            throw new ArgumentException(
                $"{Name}: input 'proxies' must be floating with shape [C, {embeddings.shape[1]}], but is {proxies.dtype} [{string.Join(", ", proxies.shape)}].",
                nameof(proxies));

        using var scope = torch.NewDisposeScope();
        var outputType = embeddings.dtype;
        var dtype = PairwiseBatch.ComputeType(outputType);
        var e = nn.functional.normalize(embeddings.to_type(dtype), p: 2.0, dim: 1);
        var w = nn.functional.normalize(proxies.to(dtype, e.device), p: 2.0, dim: 1);
        using var inverseTemperature = (1 / options.Temperature).ToScalar();
        var logits = e.matmul(w.t()).mul(inverseTemperature);
        var loss = nn.functional.cross_entropy(logits, labels.to(ScalarType.Int64, e.device));
        return (loss.dtype == outputType ? loss : loss.to_type(outputType)).MoveToOuterDisposeScope();
    }
}
