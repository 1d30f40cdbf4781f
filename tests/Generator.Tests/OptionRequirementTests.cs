using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Tests.Infrastructure;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// The run-time half of the checks of constant parts: a temperature written as arithmetic, a cut-off compared with
/// a count and a constant divisor that depend on options are refused by the generated <c>Options</c> when the values
/// given make them wrong, with the message the reference interpreter gives too; values that make them right pass.
/// </summary>
public class OptionRequirementTests
{
    private static readonly Dictionary<string, int> Sizes = new() { ["q"] = 2, ["i"] = 4, ["n"] = 5, ["c"] = 3 };

    private const string CompoundTemperature = """
        metric F1(score: real[n], label: bool[n], tau: real = 2) {
            tp = sum[n](label[n] & (score[n] > 0 @ (tau - 1)));
            maximize tp / sum[n](label[n]);
        }
        """;

    [Fact]
    public void A_temperature_written_as_arithmetic_is_checked_with_the_values_given()
    {
        var error = Refused(CompoundTemperature, "F1", ("Tau", 0.5));
        Assert.Equal(
            "F1: the temperature `tau - 1` must be positive and finite (it divides a difference: a negative one reverses the gradient, zero divides by zero); it is -0.5 with Tau = 0.5 (Parameter 'Tau')",
            error.Message);
        Assert.Equal("Tau", error.ParamName);
        Accepted(CompoundTemperature, "F1", ("Tau", 1.5));
    }

    [Fact]
    public void An_option_inside_a_temperature_may_itself_be_negative()
    {
        // `0 - t` is the temperature, not t: t = -0.5 is a temperature of 0.5, t = 0.5 one of -0.5.
        const string Text = """
            metric M(score: real[n], label: bool[n], t: real = -1) {
                maximize mean[n](label[n] & (score[n] > 0 @ (0 - t)));
            }
            """;
        Accepted(Text, "M", ("T", -0.5));
        Assert.Contains("the temperature `0 - t` must be positive and finite", Refused(Text, "M", ("T", 0.5)).Message);
    }

    private const string RecallAtK = """
        metric RecallAtK(sim: real[q, i], pos: bool[q, i], k: int[m] = [1, 2], tau: real = 0.1) {
            rank[q, i] = 1 + sum[j != i](sim[q, j] > sim[q, i]);
            hits[q, m] = sum[i](pos[q, i] & (rank[q, i] <= k[m]));
            maximize mean[q, m](min(hits[q, m], k[m]) / min(k[m], sum[i](pos[q, i])));
        }
        """;

    [Fact]
    public void Every_entry_of_a_vector_cut_off_is_checked()
    {
        var error = Refused(RecallAtK, "RecallAtK", ("K", ImmutableInts(2, -1)));
        Assert.Equal(
            "RecallAtK: `k[m]` must be at least 1: `rank[q, i]` is never below 1, so `rank[q, i] <= k[m]` would always be false; it is -1 with K[1] = -1 (Parameter 'K')",
            error.Message);
        Assert.Contains("it is 0 with K[0] = 0", Refused(RecallAtK, "RecallAtK", ("K", ImmutableInts(0))).Message);
        Accepted(RecallAtK, "RecallAtK", ("K", ImmutableInts(1, 3)));
    }

    [Fact]
    public void A_scalar_cut_off_compared_strictly_with_a_count_needs_one_or_more()
    {
        const string Text = """
            metric TopK(logit: real[n, c], target: index<c>[n], k: int = 1, tau: real = 1) {
                higher[n] = sum[c != target[n]](logit[n, c] > logit[n, target[n]]);
                maximize mean[n](higher[n] < k);
            }
            """;
        var error = Refused(Text, "TopK", ("K", -1));
        Assert.Equal(
            "TopK: `k` must be at least 1: `higher[n]` is never below 0, so `higher[n] < k` would always be false; it is -1 with K = -1 (Parameter 'K')",
            error.Message);
        Refused(Text, "TopK", ("K", 0));
        Accepted(Text, "TopK", ("K", 2));
    }

    [Fact]
    public void A_divisor_made_of_options_must_stay_positive()
    {
        const string Text = """
            metric M(score: real[n], label: bool[n], scale: real = 2, tau: real = 1) {
                maximize sum[n](label[n] & (score[n] > 0)) / (scale - 1);
            }
            """;
        var error = Refused(Text, "M", ("Scale", 1.0));
        Assert.StartsWith("M: the divisor `scale - 1` must be positive and finite (the surrogate divides by max(divisor, ε)", error.Message);
        Assert.Contains("it is 0 with Scale = 1", error.Message);
        Refused(Text, "M", ("Scale", 0.5));
        Accepted(Text, "M", ("Scale", 3.0));
    }

    private static System.Collections.Immutable.ImmutableArray<int> ImmutableInts(params int[] values) => [.. values];

    /// <summary>The generated Exact and Smooth refuse the setting, and the interpreter with the same message.</summary>
    private static ArgumentException Refused(string text, string name, (string Property, object Value) setting)
    {
        var metric = CompiledMetric.Compile(text, name);
        var (tensors, arrays) = metric.RandomInputs(new Random(1), Sizes, float64);
        var options = metric.Options(setting);
        var exact = Assert.ThrowsAny<ArgumentException>(() => metric.Exact(tensors, options));
        var smooth = Assert.ThrowsAny<ArgumentException>(() => metric.Smooth(tensors, options));
        Assert.Equal(exact.Message, smooth.Message);

        var interpreted = Assert.ThrowsAny<ArgumentException>(() => ReferenceInterpreter.Exact(metric.Bound, arrays, InterpreterOptions(metric, setting)));
        var subject = exact.Message[(name.Length + 2)..exact.Message.IndexOf("; it is", StringComparison.Ordinal)];
        Assert.Contains(subject, interpreted.Message);
        return exact;
    }

    private static void Accepted(string text, string name, (string Property, object Value) setting)
    {
        var metric = CompiledMetric.Compile(text, name);
        var (tensors, arrays) = metric.RandomInputs(new Random(1), Sizes, float64);
        var exact = metric.Exact(tensors, metric.Options(setting));
        Assert.Equal(ReferenceInterpreter.Exact(metric.Bound, arrays, InterpreterOptions(metric, setting)), exact, 12);
    }

    /// <summary>The interpreter keys options by their name in the definition (<c>K</c> → <c>k</c>).</summary>
    private static Dictionary<string, double[]> InterpreterOptions(CompiledMetric metric, (string Property, object Value) setting)
    {
        var option = metric.Bound.Options.Single(o => string.Equals(o.Name.Replace("_", ""), setting.Property, StringComparison.OrdinalIgnoreCase));
        var values = setting.Value switch
        {
            System.Collections.Immutable.ImmutableArray<int> list => list.Select(v => (double)v).ToArray(),
            int whole => [whole],
            _ => new[] { Convert.ToDouble(setting.Value, System.Globalization.CultureInfo.InvariantCulture) },
        };
        return new Dictionary<string, double[]> { [option.Name] = values };
    }
}
