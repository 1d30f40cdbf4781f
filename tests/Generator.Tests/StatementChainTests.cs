using System.Text;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Chains of statements read under a constant mask, which the smooth program evaluates on the mask's support by
/// inlining them (SupportRewrite): a statement read twice at every level is inlined once, so the generated code
/// grows linearly with the chain and stays equal to the reference interpreter; a chain beyond LoweringLimits is an
/// MTR0151 at the metric, reported without exhausting the compiler's stack.
/// </summary>
public class StatementChainTests
{
    /// <summary>How each statement of a chain reads the one before.</summary>
    public enum Link
    {
        /// <summary><c>r_k = r_(k-1) + 1</c>: read once.</summary>
        Step,

        /// <summary><c>r_k = r_(k-1) + r_(k-1)</c>: read twice, so inlined without sharing it is 2^k copies.</summary>
        Double,

        /// <summary><c>r_k = r_(k-1) * score + r_(k-1)</c>: read twice, with the scores at every level.</summary>
        Mix,
    }

    /// <summary>
    /// rank (pairwise), then <paramref name="length"/> statements linked by <paramref name="link"/>, the last read under
    /// the mask <c>pos</c> next to the rank (so the smooth program evaluates the sum on the support of <c>pos</c>). Per
    /// query (<c>[q, i]</c>) the rewritten sum is chunked along q; over one list (<c>[i]</c>) it is not, and the statements
    /// it inlines are read as locals of the program rather than of a chunk's lambda.
    /// </summary>
    private static string Chain(int length, Link link, bool perQuery = true)
    {
        string At(string index) => perQuery ? $"[q, {index}]" : $"[{index}]";
        var text = new StringBuilder();
        text.Append($"metric Chain(score: real{At("i")}, pos: bool{At("i")}, tau: real = 0.5) {{\n");
        text.Append($"    r0{At("i")} = 1 + sum[j != i]((score{At("j")} > score{At("i")}) @ tau);\n");
        for (var k = 1; k <= length; k++)
        {
            var previous = $"r{k - 1}{At("i")}";
            text.Append($"    r{k}{At("i")} = ").Append(link switch
            {
                Link.Step => $"{previous} + 1",
                Link.Double => $"{previous} + {previous}",
                _ => $"{previous} * score{At("i")} + {previous}",
            }).Append(";\n");
        }
        var sum = $"sum[i](pos{At("i")} * (r{length}{At("i")} + score{At("i")}) / r0{At("i")})";
        text.Append($"    maximize {(perQuery ? $"mean[q]({sum})" : sum)};\n");
        text.Append("}\n");
        return text.ToString();
    }

    private static string Smooth(string source)
    {
        var start = source.IndexOf(" Smooth(", StringComparison.Ordinal);
        return source.Substring(start, source.IndexOf(" Loss(", start, StringComparison.Ordinal) - start);
    }

    [Fact]
    public void A_doubling_chain_under_a_mask_generates_code_linear_in_its_length()
    {
        // Inlined without sharing, 40 levels would be 2^40 copies of the rank (and take hours to write).
        var sizes = new Dictionary<int, int>();
        foreach (var length in new[] { 10, 20, 40 })
        {
            var run = SmallStack.Run(() => GeneratorHarness.Run(Chain(length, Link.Double), "chain.metric"));
            Assert.Empty(run.DiagnosticLines);
            Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
            var smooth = Smooth(Assert.Single(run.Sources).Value);
            Assert.Contains("DenseOps.Support(", smooth);
            sizes[length] = smooth.Length;
        }
        // Twenty more statements cost about twice what ten more did.
        var perTen = sizes[20] - sizes[10];
        Assert.InRange(sizes[40] - sizes[20], 0, 2.5 * perTen);
    }

    [Theory]
    [InlineData(40, Link.Double, true)]
    [InlineData(40, Link.Double, false)]
    [InlineData(8, Link.Mix, true)]
    [InlineData(8, Link.Mix, false)]
    [InlineData(60, Link.Step, true)]
    public void A_chain_under_a_mask_equals_the_interpreter_whole_and_chunked(int length, Link link, bool perQuery)
    {
        var text = Chain(length, link, perQuery);
        var smoothSource = Smooth(Assert.Single(GeneratorHarness.Run(text, "chain.metric").Sources).Value);
        Assert.Contains("DenseOps.Support(", smoothSource);
        var metric = CompiledMetric.Compile(text, "Chain");
        var sizes = new Dictionary<string, int> { ["q"] = 3, ["i"] = 6 };
        var random = new Random(length * 7 + (int)link);
        var chunked = metric.Options(maxPairwiseElements: 10);
        for (var trial = 0; trial < 3; trial++)
        {
            var (tensors, arrays) = metric.RandomInputs(random, sizes, float64);
            // Relative: 40 doublings make values of 2^40.
            var exact = ReferenceInterpreter.Exact(metric.Bound, arrays);
            Assert.Equal(exact, metric.Exact(tensors), 1e-12 * Math.Max(1, Math.Abs(exact)));
            var smooth = ReferenceInterpreter.Smooth(metric.Bound, arrays);
            var (wholeValue, wholeGradient) = metric.SmoothWithGradient(tensors);
            var (chunkedValue, chunkedGradient) = metric.SmoothWithGradient(tensors, chunked);
            Assert.Equal(smooth, wholeValue, 1e-10 * Math.Max(1, Math.Abs(smooth)));
            Assert.Equal(smooth, chunkedValue, 1e-10 * Math.Max(1, Math.Abs(smooth)));
            Assert.True(wholeGradient.allclose(chunkedGradient, rtol: 1e-9, atol: 1e-12));
        }
    }

    [Fact]
    public void A_chain_within_the_limits_generates_on_a_small_stack()
    {
        var run = SmallStack.Run(() => GeneratorHarness.Run(Chain(110, Link.Step), "chain.metric"));
        Assert.Empty(run.DiagnosticLines);
        Assert.Contains("DenseOps.Support(", Smooth(Assert.Single(run.Sources).Value));
    }

    [Theory]
    [InlineData(200, "nests the statements it reads 209 levels deep (at most 128)")]
    [InlineData(5000, "inlines more than 4096 terms of the statements it reads")]
    public void A_chain_beyond_the_limits_is_an_error_at_the_metric(int length, string why)
    {
        var run = SmallStack.Run(() => GeneratorHarness.Run(Chain(length, Link.Step), "chain.metric"));
        Assert.Null(run.Exception);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal("MTR0151", diagnostic.Id);
        Assert.StartsWith("metric `Chain` is not generated: evaluated on its mask's support, the sum over `i`", diagnostic.GetMessage());
        Assert.Contains(why, diagnostic.GetMessage());
        // At the metric's name.
        var span = diagnostic.Location.GetLineSpan();
        Assert.Equal((0, 7), (span.StartLinePosition.Line, span.StartLinePosition.Character));
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void A_long_chain_that_no_mask_reads_is_generated_statement_by_statement()
    {
        // Without a mask nothing is inlined: each statement is one local, however long the chain.
        var text = Chain(5000, Link.Step).Replace("pos[q, i] * ", "", StringComparison.Ordinal);
        var run = SmallStack.Run(() => GeneratorHarness.Run(text, "chain.metric"));
        Assert.Empty(run.DiagnosticLines);
        Assert.Contains("var s__r5000 = ", Assert.Single(run.Sources).Value);
    }
}
