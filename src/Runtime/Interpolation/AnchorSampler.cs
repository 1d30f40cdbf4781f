using System;
using MetricLoss.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Interpolation;

/// <summary>
/// Draws the anchors of UniLoss interpolation (Liu, Wang, Deng, "A Unified Framework of Surrogate Loss by
/// Refactoring and Interpolation", ECCV 2020; docs/language.md, "Interpolation mode (UniLoss)"): binary configurations
/// a ∈ {0, 1}ᴰ of the comparison vector Δ at which the exact metric is evaluated.
/// </summary>
/// <remarks>
/// <para>The anchor matrix is [K, D] with K = 1 + good + nearby + random, 0/1 in the compute dtype, rows in this order:</para>
/// <list type="number">
/// <item>the ground truth: all ones (docs/language.md: comparisons are written so that <i>true</i> is desirable);</item>
/// <item><c>good</c> rows: the ground truth with one uniformly chosen valid coordinate flipped to 0 (drawn with
/// replacement, so duplicates are possible, as in the official code);</item>
/// <item><c>nearby</c> rows: the current hard state h = [Δ &gt; 0] with one valid coordinate where h ≠ 1 flipped to 1
/// (one step towards the ground truth); when h already equals the ground truth on every valid coordinate, the
/// ground truth with one uniformly chosen valid coordinate flipped (the official fallback);</item>
/// <item><c>random</c> rows: uniform {0, 1} on the valid coordinates.</item>
/// </list>
/// <para>Invalid coordinates (validity 0: masked-out pairs) hold 1 in every anchor; they are also masked out of the
/// distances (<see cref="IdwInterpolation"/>), so their value never matters. When no coordinate is valid, every anchor
/// is the ground truth.</para>
/// <para><b>Choosing a coordinate without a host sync.</b> Each good / nearby row picks one coordinate as the argmax
/// over j of <c>level_j + U_j</c> with U ~ Uniform[0, 1) i.i.d. per row and coordinate (float64) and integer levels:
/// for nearby rows 2 where the coordinate is valid and h ≠ 1, 1 where it is valid and h = 1, 0 where it is invalid;
/// for good rows 1 on valid and 0 on invalid coordinates. Since U &lt; 1, the argmax always lies in the highest level
/// present and is uniform within it (in float64, level + U rounds up to the next level only for U &gt; 1 − 2⁻⁵³, and
/// then merely ties). This is <c>multinomial(valid·[h ≠ GT] + valid·t + t²)</c> in the limit t → 0,
/// which is how it reproduces the fallback without a branch on data: if some valid coordinate disagrees with the
/// ground truth, only those can be picked and flipping one moves h a step towards it; if none does, the pick is
/// uniform over the valid coordinates, where h = GT, so the flip yields "GT with one random valid flip"; if no
/// coordinate is valid, the pick is an invalid coordinate and the flip is masked to a no-op (the row is GT).
/// <c>torch.multinomial</c> itself is not used: for a single draw it validates the weights with a host sync, and
/// its positive weights could never be exactly 0 for the lower levels.</para>
/// <para>All randomness comes from the caller's <see cref="torch.Generator"/> (docs/torchsharp-rules.md rule 22), consumed in a
/// fixed order (good, nearby, random), so a seed fixes the anchors. D = 0 consumes nothing and gives [K, 0].</para>
/// </remarks>
public static class AnchorSampler
{
    /// <summary>K = 1 + good + nearby + random: the number of anchor rows.</summary>
    /// <param name="good">Number of ground-truth-with-one-flip anchors (≥ 0).</param>
    /// <param name="nearby">Number of one-step-towards-ground-truth anchors (≥ 0).</param>
    /// <param name="random">Number of uniform random anchors (≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    public static long Count(int good, int nearby, int random)
    {
        CheckCounts(good, nearby, random);
        return 1L + good + nearby + random;
    }

    /// <summary>
    /// Anchors around the soft binaries b̃ = relax(Δ/τ) ∈ [0, 1]ᴰ: the hard state is h = [b̃ &gt; ½] (the same as
    /// [Δ &gt; 0] for both relaxations, except where σ rounds a tiny positive Δ/τ to exactly ½). Returned in
    /// b̃'s compute dtype (float16/bfloat16 upcast to float32) on b̃'s device.
    /// </summary>
    /// <param name="soft">b̃, [D]; only its values are read (no gradient flows into anchors).</param>
    /// <param name="valid">[D], bool or 0/1 numbers: false/0 drops a coordinate (a masked-out pair).</param>
    /// <param name="good">Number of ground-truth-with-one-flip anchors (≥ 0).</param>
    /// <param name="nearby">Number of one-step-towards-ground-truth anchors (≥ 0).</param>
    /// <param name="random">Number of uniform random anchors (≥ 0).</param>
    /// <param name="generator">The source of randomness, on <paramref name="soft"/>'s device.</param>
    /// <returns>The anchors [K, D], K = 1 + good + nearby + random, rows in the order of the class remarks.</returns>
    /// <exception cref="ArgumentNullException">A tensor or the generator is null.</exception>
    /// <exception cref="ArgumentException">b̃ or valid is not a vector, they differ in length, or the generator is on
    /// another device type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An anchor count is negative.</exception>
    public static Tensor Sample(Tensor soft, Tensor valid, int good, int nearby, int random, torch.Generator generator)
    {
        CheckVector(soft, nameof(soft));
        using var scope = torch.NewDisposeScope();
        using var half = 0.5.ToScalar();
        var hard = soft.detach().gt(half);
        return SampleFromHard(hard, valid, good, nearby, random, generator, MetricOps.ComputeType(soft.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Anchors around the comparisons Δ themselves: the hard state is h = [Δ &gt; 0]. Returned in Δ's compute dtype
    /// (float16/bfloat16 upcast to float32) on Δ's device.
    /// </summary>
    /// <param name="delta">Δ, [D]; only its values are read.</param>
    /// <param name="valid">[D], bool or 0/1 numbers: false/0 drops a coordinate (a masked-out pair).</param>
    /// <param name="good">Number of ground-truth-with-one-flip anchors (≥ 0).</param>
    /// <param name="nearby">Number of one-step-towards-ground-truth anchors (≥ 0).</param>
    /// <param name="random">Number of uniform random anchors (≥ 0).</param>
    /// <param name="generator">The source of randomness, on <paramref name="delta"/>'s device.</param>
    /// <returns>The anchors [K, D], K = 1 + good + nearby + random, rows in the order of the class remarks.</returns>
    /// <exception cref="ArgumentNullException">A tensor or the generator is null.</exception>
    /// <exception cref="ArgumentException">Δ or valid is not a vector, they differ in length, or the generator is on
    /// another device type.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An anchor count is negative.</exception>
    public static Tensor SampleFromComparisons(Tensor delta, Tensor valid, int good, int nearby, int random, torch.Generator generator)
    {
        CheckVector(delta, nameof(delta));
        using var scope = torch.NewDisposeScope();
        using var zero = 0.0.ToScalar();
        var hard = delta.detach().gt(zero);
        return SampleFromHard(hard, valid, good, nearby, random, generator, MetricOps.ComputeType(delta.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>Anchors around a given hard state h ∈ {0, 1}ᴰ (bool or 0/1 numbers), in <paramref name="dtype"/> on h's device.</summary>
    /// <param name="hard">The current hard binaries h, [D].</param>
    /// <param name="valid">[D], bool or 0/1 numbers: false/0 drops a coordinate (a masked-out pair).</param>
    /// <param name="good">Number of ground-truth-with-one-flip anchors (≥ 0).</param>
    /// <param name="nearby">Number of one-step-towards-ground-truth anchors (≥ 0).</param>
    /// <param name="random">Number of uniform random anchors (≥ 0).</param>
    /// <param name="generator">The source of randomness, on <paramref name="hard"/>'s device.</param>
    /// <param name="dtype">The floating dtype of the anchors (the compute dtype of the caller).</param>
    /// <returns>The anchors [K, D], K = 1 + good + nearby + random, rows in the order of the class remarks.</returns>
    /// <exception cref="ArgumentNullException">A tensor or the generator is null.</exception>
    /// <exception cref="ArgumentException">h or valid is not a vector, they differ in length, the generator is on
    /// another device type, or <paramref name="dtype"/> is not a floating dtype.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An anchor count is negative.</exception>
    public static Tensor SampleFromHard(Tensor hard, Tensor valid, int good, int nearby, int random, torch.Generator generator, ScalarType dtype)
    {
        CheckVector(hard, nameof(hard));
        CheckVector(valid, nameof(valid));
        if (valid.shape[0] != hard.shape[0])
            throw new ArgumentException($"valid has {valid.shape[0]} coordinates, the comparisons {hard.shape[0]}", nameof(valid));
        if (generator is null) throw new ArgumentNullException(nameof(generator));
        if (dtype is not (ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float32 or ScalarType.Float64))
            throw new ArgumentException($"anchors need a floating dtype, got {dtype}", nameof(dtype));
        var k = Count(good, nearby, random);

        using var scope = torch.NewDisposeScope();
        var device = hard.device;
        var d = hard.shape[0];
        if (d == 0) return torch.ones(new[] { k, 0L }, dtype, device).MoveToOuterDisposeScope();
        if (generator.device.type != device.type)
            throw new ArgumentException($"the generator is on {generator.device}, the comparisons on {device}", nameof(generator));

        using var zero = 0.0.ToScalar();
        using var one = 1.0.ToScalar();
        var isValid = AsBool(valid.to(device), zero);
        var isTrue = AsBool(hard, zero);
        var validLevel = isValid.to_type(ScalarType.Float64);                         // 1 valid, 0 invalid
        var validValue = isValid.to_type(dtype);
        var invalidValue = isValid.logical_not().to_type(dtype);

        var rows = new System.Collections.Generic.List<Tensor> { torch.ones(new[] { 1L, d }, dtype, device) };
        if (good > 0)
        {
            // GT with the picked coordinate set to 1 − valid: 0 when it is valid (a flip), 1 (no change) when not.
            var index = Pick(validLevel, good, generator);
            var value = validValue.index_select(0, index).neg_().add_(one, KeptScalars.One);
            rows.Add(torch.ones(new[] { (long)good, d }, dtype, device).scatter_(1, index.unsqueeze(1), value.unsqueeze(1)));
        }
        if (nearby > 0)
        {
            // h on valid coordinates, GT (1) on invalid ones; flip the picked coordinate if it is valid.
            var state = isTrue.logical_or(isValid.logical_not()).to_type(dtype);
            var disagree = isValid.logical_and(isTrue.logical_not()).to_type(ScalarType.Float64);
            var index = Pick(validLevel.add(disagree, KeptScalars.One), nearby, generator);
            var current = state.index_select(0, index);
            var picked = validValue.index_select(0, index);
            // picked·(1 − current) + (1 − picked)·current = current + picked·(1 − 2·current)
            using var minusTwo = (-2.0).ToScalar();
            var flipped = current.mul(minusTwo).add_(one, KeptScalars.One).mul_(picked).add_(current, KeptScalars.One);
            rows.Add(state.unsqueeze(0).expand(nearby, d).scatter(1, index.unsqueeze(1), flipped.unsqueeze(1)));
        }
        if (random > 0)
        {
            using var half = 0.5.ToScalar();
            var bits = torch.rand(new[] { (long)random, d }, ScalarType.Float64, device, generator: generator).lt(half).to_type(dtype);
            rows.Add(torch.maximum(bits, invalidValue.unsqueeze(0)));
        }
        return torch.cat(rows, 0).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="count"/> coordinates, each the argmax over j of level_j + U_j (U ~ Uniform[0, 1)): uniform over
    /// the coordinates of the highest level present. int64 [count].
    /// </summary>
    private static Tensor Pick(Tensor level, int count, torch.Generator generator)
    {
        var keys = torch.rand(new[] { (long)count, level.shape[0] }, ScalarType.Float64, level.device, generator: generator);
        return keys.add_(level.unsqueeze(0), KeptScalars.One).argmax(1, false);
    }

    private static Tensor AsBool(Tensor t, Scalar zero) => t.dtype == ScalarType.Bool ? t.alias() : t.ne(zero);

    private static void CheckVector(Tensor t, string name)
    {
        if (t is null) throw new ArgumentNullException(name);
        if (t.dim() != 1) throw new ArgumentException($"{name} must be a vector [D], got shape [{string.Join(", ", t.shape)}]", name);
    }

    private static void CheckCounts(int good, int nearby, int random)
    {
        if (good < 0) throw new ArgumentOutOfRangeException(nameof(good), good, "anchor counts must be ≥ 0");
        if (nearby < 0) throw new ArgumentOutOfRangeException(nameof(nearby), nearby, "anchor counts must be ≥ 0");
        if (random < 0) throw new ArgumentOutOfRangeException(nameof(random), random, "anchor counts must be ≥ 0");
    }
}
