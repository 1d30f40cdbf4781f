using MetricLoss.Catalog;
using MetricLoss.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Training;

/// <summary>
/// SiMix (Patel et al., CVPR 2022; docs/surrogates.md §3.6): mixing the similarities equals building the mixed
/// embeddings explicitly (as the official <c>pos_mixup</c> does) and taking dot products.
/// </summary>
public sealed class SiMixTests
{
    private const int Width = 6;
    private const ulong Seed = 42;

    /// <summary>The documented layout, written independently: per block the originals, then pairs (a, b), a &lt; b, in lexicographic order.</summary>
    private static (long First, long Second, bool Virtual)[] Layout(int rows, int perClass)
    {
        var layout = new List<(long, long, bool)>();
        for (int start = 0; start < rows; start += perClass)
        {
            for (int j = 0; j < perClass; j++) layout.Add((start + j, start + j, false));
            for (int a = 0; a < perClass; a++)
                for (int b = a + 1; b < perClass; b++) layout.Add((start + a, start + b, true));
        }
        return layout.ToArray();
    }

    /// <summary>The mixed embeddings X' = W X, built explicitly with the α's drawn as documented (float64, one per pair, in layout order).</summary>
    private static Tensor ExplicitMix(Tensor x, int perClass, ulong seed)
    {
        var layout = Layout((int)x.shape[0], perClass);
        int virtuals = layout.Count(r => r.Virtual);
        using var generator = new Generator(seed, CPU);
        var alphas = rand(virtuals, dtype: ScalarType.Float64, generator: generator).to(x.dtype);
        var rows = new List<Tensor>();
        int v = 0;
        foreach (var (first, second, isVirtual) in layout)
        {
            if (!isVirtual) { rows.Add(x[first]); continue; }
            var alpha = alphas[v++];
            rows.Add(x[first].mul(alpha).add(x[second].mul(alpha.neg().add(1))));
        }
        return stack(rows, 0);
    }

    private static Tensor Embeddings(int rows, ScalarType dtype, ulong seed = 3)
    {
        using var generator = new Generator(seed, CPU);
        return nn.functional.normalize(randn(new long[] { rows, Width }, dtype: ScalarType.Float64, generator: generator), dim: 1).to(dtype);
    }

    private static double MaxAbsDifference(Tensor a, Tensor b) => a.sub(b).abs().max().to_type(ScalarType.Float64).item<double>();

    [Theory]
    [InlineData(2, ScalarType.Float64)]
    [InlineData(3, ScalarType.Float64)]
    [InlineData(4, ScalarType.Float64)]
    [InlineData(5, ScalarType.Float64)]
    [InlineData(2, ScalarType.Float32)]
    [InlineData(3, ScalarType.Float32)]
    [InlineData(4, ScalarType.Float32)]
    [InlineData(5, ScalarType.Float32)]
    public void Mixed_similarities_equal_dot_products_of_explicitly_mixed_embeddings(int perClass, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        int rows = 4 * perClass;
        var x = Embeddings(rows, dtype);
        using var generator = new Generator(Seed, CPU);
        using var batch = SiMix.Mix(x.mm(x.t()), TrainingFixtures.BlockClasses(rows, perClass), generator);

        var mixed = ExplicitMix(x, perClass, Seed);
        long expectedSize = rows + 4L * perClass * (perClass - 1) / 2;
        Assert.Equal(new[] { expectedSize, expectedSize }, batch.Similarities.shape);
        Assert.Equal(dtype, batch.Similarities.dtype);
        Assert.True(MaxAbsDifference(batch.Similarities, mixed.mm(mixed.t())) <= 1e-5,
            $"spc {perClass} {dtype}: max |Δ| = {MaxAbsDifference(batch.Similarities, mixed.mm(mixed.t())):E3}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    public void Masks_mark_same_class_pairs_and_exclude_only_the_diagonal(int perClass)
    {
        using var scope = NewDisposeScope();
        int rows = 3 * perClass;
        var x = Embeddings(rows, ScalarType.Float64);
        var classes = TrainingFixtures.BlockClasses(rows, perClass).mul(7).add(2); // labels need not be 0, 1, 2, …
        using var generator = new Generator(Seed, CPU);
        using var batch = SiMix.Mix(x.mm(x.t()), classes, generator);

        var layout = Layout(rows, perClass);
        var labels = classes.data<long>().ToArray();
        var mixedClass = layout.Select(r => labels[r.First]).ToArray();
        var pos = batch.Positives.data<bool>().ToArray();
        var valid = batch.Valid.data<bool>().ToArray();
        int m = layout.Length;
        Assert.Equal(ScalarType.Bool, batch.Positives.dtype);
        Assert.Equal(ScalarType.Bool, batch.Valid.dtype);
        Assert.Equal(new long[] { m, m }, batch.Positives.shape);
        for (int q = 0; q < m; q++)
        {
            for (int z = 0; z < m; z++)
            {
                Assert.Equal(mixedClass[q] == mixedClass[z] && q != z, pos[q * m + z]);
                Assert.Equal(q != z, valid[q * m + z]);
            }
        }
        // Class-contiguous again, blocks of spc + spc(spc − 1)/2.
        int block = perClass + perClass * (perClass - 1) / 2;
        for (int r = 0; r < m; r++) Assert.Equal(mixedClass[r / block * block], mixedClass[r]);
    }

    [Fact]
    public void One_sample_per_class_gives_no_virtual_sample()
    {
        using var scope = NewDisposeScope();
        var x = Embeddings(5, ScalarType.Float64);
        var sim = x.mm(x.t());
        using var generator = new Generator(Seed, CPU);
        using var batch = SiMix.Mix(sim, arange(5, dtype: ScalarType.Int64), generator);
        Assert.Equal(0, MaxAbsDifference(batch.Similarities, sim));
        Assert.False(batch.Positives.any().item<bool>());
    }

    /// <summary>For any square S (not only a Gram matrix) the result is W S Wᵀ, and so is its gradient w.r.t. S.</summary>
    [Fact]
    public void Result_and_gradient_equal_W_S_W_transpose_for_any_square_matrix()
    {
        using var scope = NewDisposeScope();
        const int perClass = 3, rows = 9;
        using var draw = new Generator(8, CPU);
        var s = randn(new long[] { rows, rows }, dtype: ScalarType.Float64, generator: draw).requires_grad_(true);
        var weights = randn(new long[] { 18, 18 }, dtype: ScalarType.Float64, generator: draw);
        using var generator = new Generator(Seed, CPU);
        using var batch = SiMix.Mix(s, TrainingFixtures.BlockClasses(rows, perClass), generator);
        var viaMix = autograd.grad(new[] { batch.Similarities.mul(weights).sum() }, new[] { s })[0];

        var w = ExplicitMix(eye(rows, dtype: ScalarType.Float64), perClass, Seed); // W = W·I
        var dense = w.mm(s).mm(w.t());
        var viaDense = autograd.grad(new[] { dense.mul(weights).sum() }, new[] { s })[0];
        Assert.True(MaxAbsDifference(batch.Similarities, dense) <= 1e-12);
        Assert.True(MaxAbsDifference(viaMix, viaDense) <= 1e-12);
    }

    /// <summary>Gradients of a loss on the mixed batch reach the embeddings exactly as through the explicit mix.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Gradients_flow_back_to_the_embeddings(int perClass)
    {
        using var scope = NewDisposeScope();
        int rows = 4 * perClass;
        var x = Embeddings(rows, ScalarType.Float64).requires_grad_(true);
        using var generator = new Generator(Seed, CPU);
        using var batch = SiMix.Mix(x.mm(x.t()), TrainingFixtures.BlockClasses(rows, perClass), generator);
        var options = new RecallAtK.Options { TauRank = 0.1 };
        var loss = RecallAtK.Loss(batch.Similarities, batch.Positives, batch.Valid, options);
        var viaMix = autograd.grad(new[] { loss }, new[] { x })[0];

        var mixed = ExplicitMix(x, perClass, Seed);
        var explicitLoss = RecallAtK.Loss(mixed.mm(mixed.t()), batch.Positives, batch.Valid, options);
        var viaExplicit = autograd.grad(new[] { explicitLoss }, new[] { x })[0];

        Assert.True(viaMix.abs().max().item<double>() > 0, "no gradient reached the embeddings");
        Assert.True(MaxAbsDifference(viaMix, viaExplicit) <= 1e-10, $"max |Δgrad| = {MaxAbsDifference(viaMix, viaExplicit):E3}");
    }

    [Fact]
    public void The_same_seed_gives_the_same_batch_and_another_seed_another()
    {
        using var scope = NewDisposeScope();
        var x = Embeddings(12, ScalarType.Float32);
        var sim = x.mm(x.t());
        var classes = TrainingFixtures.BlockClasses(12, 4);
        Tensor Run(ulong seed)
        {
            using var generator = new Generator(seed, CPU);
            using var batch = SiMix.Mix(sim, classes, generator);
            return batch.Similarities.clone();
        }
        Assert.Equal(0, MaxAbsDifference(Run(1), Run(1)));
        Assert.True(MaxAbsDifference(Run(1), Run(2)) > 1e-3);
    }

    [Fact]
    public void Successive_calls_draw_new_alphas_from_the_generator()
    {
        using var scope = NewDisposeScope();
        var x = Embeddings(8, ScalarType.Float64);
        var sim = x.mm(x.t());
        var classes = TrainingFixtures.BlockClasses(8, 4);
        using var generator = new Generator(Seed, CPU);
        using var first = SiMix.Mix(sim, classes, generator);
        using var second = SiMix.Mix(sim, classes, generator);
        Assert.True(MaxAbsDifference(first.Similarities, second.Similarities) > 1e-3);
    }

    [Fact]
    public void Bad_inputs_are_reported()
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(Seed, CPU);
        var sim = zeros(new long[] { 6, 6 }, ScalarType.Float32);
        Tensor Labels(params long[] values) => tensor(values);

        Assert.Throws<ArgumentException>(() => SiMix.Mix(zeros(new long[] { 6, 5 }), Labels(0, 0, 1, 1, 2, 2), generator));
        Assert.Throws<ArgumentException>(() => SiMix.Mix(sim, Labels(0, 0, 1, 1, 2), generator));
        Assert.Throws<ArgumentException>(() => SiMix.Mix(sim, Labels(0, 0, 1, 1, 1, 2), generator));    // unequal blocks
        Assert.Throws<ArgumentException>(() => SiMix.Mix(sim, Labels(0, 1, 1, 0, 2, 2), generator));    // runs of different lengths
        Assert.Throws<ArgumentException>(() => SiMix.Mix(sim, Labels(0, 0, 0, 0, 1, 1), generator));    // 6 is not blocks of 4
        Assert.Throws<ArgumentException>(() => SiMix.Mix(sim, zeros(6, ScalarType.Float32), generator)); // float labels
        Assert.Throws<ArgumentException>(() => SiMix.Mix(zeros(new long[] { 6, 6 }, ScalarType.Int64), Labels(0, 0, 1, 1, 2, 2), generator));
    }
}
