using System.Runtime.ExceptionServices;
using System.Text;
using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Dsl.Tests.Binding;

/// <summary>
/// A definition with thousands of statements is parsed, bound and interpreted statement by statement: nothing recurses
/// along the chain (a stack overflow kills the compiler; it cannot be caught), so it runs on a thread with a quarter of
/// the stack a compiler thread has.
/// </summary>
public class LargeDefinitionTests
{
    private const int SmallStack = 256 * 1024;

    private static T OnSmallStack<T>(Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        }, SmallStack);
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary><c>r0 = score</c>, then <c>r_k = r_(k-1) + 1</c>, each statement over the same axis, with a comment each.</summary>
    private static string Chain(int length)
    {
        var text = new StringBuilder("metric Chain(score: real[n], label: bool[n]) {\n    r0[n] = score[n];\n");
        for (var k = 1; k <= length; k++) text.Append($"    r{k}[n] = r{k - 1}[n] + 1; // step {k}\n");
        return text.Append($"    maximize mean[n](label[n] * r{length}[n]);\n}}\n").ToString();
    }

    [Fact]
    public void Five_thousand_statements_bind_and_evaluate_on_a_small_stack()
    {
        var value = OnSmallStack(() =>
        {
            var compilation = MetricCompiler.Compile(Chain(5000), "Tests");
            Assert.Empty(compilation.Diagnostics.Select(d => d.ToString()));
            var metric = Assert.Single(compilation.Metrics);
            Assert.Equal(5001, metric.Statements.Count);
            var inputs = new Dictionary<string, DenseArray> { ["score"] = DenseArray.Vector(0.5, -1), ["label"] = DenseArray.Vector(1, 1) };
            return ReferenceInterpreter.Exact(metric, inputs);
        });
        Assert.Equal((0.5 + 5000 + -1 + 5000) / 2, value, 12);
    }

    [Fact]
    public void An_error_at_the_end_of_five_thousand_statements_is_on_its_line()
    {
        var text = Chain(5000).Replace("r4999[n] + 1; // step 5000", "r4999[n] + lable[n]; // step 5000", StringComparison.Ordinal);
        var diagnostic = OnSmallStack(() => Assert.Single(MetricCompiler.Compile(text, "Tests").Diagnostics));
        Assert.Equal("MTR0100", diagnostic.Id);
        Assert.Equal("5002:27", diagnostic.Span.ToString());
    }

    [Fact]
    public void Axis_variables_of_thousands_of_statements_keep_their_ids()
    {
        // Every statement declares its own `n`: n, n_2, n_3, ... as before the binder stopped probing from n_2 each time.
        var metric = OnSmallStack(() => Assert.Single(MetricCompiler.Compile(Chain(3000), "Tests").Metrics));
        Assert.Equal(new[] { "n" }, metric.Statements[0].Axes);
        Assert.Equal(new[] { "n_2" }, metric.Statements[1].Axes);
        Assert.Equal(new[] { "n_3001" }, metric.Statements[3000].Axes);
    }
}
