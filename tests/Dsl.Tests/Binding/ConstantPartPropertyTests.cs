using System.Globalization;
using CsCheck;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Dsl.Tests.Fuzzing;

namespace MetricLoss.Dsl.Tests.Binding;

/// <summary>
/// The checks of constant parts against independent oracles, on random parts: a temperature written as arithmetic
/// on numbers and an option is accepted exactly when every divisor in it is positive and its value is positive and
/// finite, at build time with the default and at run time with another value; a cut-off compared with a rank or a
/// count is refused exactly when the comparison would have the same outcome for every count.
/// </summary>
public class ConstantPartPropertyTests
{
    private const int Iterations = 300;

    /// <summary>A part: a number 0..3, the option t, unary minus or + - * /; printed fully bracketed.</summary>
    private abstract record Part
    {
        public abstract string Text { get; }
    }

    private sealed record Leaf(double? Number) : Part
    {
        public override string Text => Number is { } n ? n.ToString(CultureInfo.InvariantCulture) : "t";
    }

    private sealed record Negate(Part Operand) : Part
    {
        public override string Text => $"(-{Operand.Text})";
    }

    private sealed record Binary(char Operator, Part Left, Part Right) : Part
    {
        public override string Text => $"({Left.Text} {Operator} {Right.Text})";
    }

    /// <summary>Built from a stream of draws, so that CsCheck can shrink a failing part through its draws.</summary>
    private static readonly Gen<Part> Parts = Gen.Int[0, 99].Array[24].Select(draws =>
    {
        var next = 0;
        int Draw() => draws[next++ % draws.Length];
        Part Build(int depth)
        {
            var kind = depth == 0 ? Draw() % 2 : Draw() % 7;
            return kind switch
            {
                0 => new Leaf(Draw() % 4),
                1 => new Leaf(null),
                2 => new Negate(Build(depth - 1)),
                _ => new Binary("+-*/"[kind - 3], Build(depth - 1), Build(depth - 1)),
            };
        }
        return Build(3);
    });

    /// <summary>The oracle: the value as written, and whether some divisor is not a positive finite number.</summary>
    private static (double Value, bool BadDivisor) Evaluate(Part part, double t)
    {
        switch (part)
        {
            case Leaf leaf:
                return (leaf.Number ?? t, false);
            case Negate negate:
                var operand = Evaluate(negate.Operand, t);
                return (-operand.Value, operand.BadDivisor);
            default:
                var binary = (Binary)part;
                var (left, badLeft) = Evaluate(binary.Left, t);
                var (right, badRight) = Evaluate(binary.Right, t);
                var bad = badLeft || badRight || (binary.Operator == '/' && !(right > 0 && double.IsFinite(right)));
                return (binary.Operator switch { '+' => left + right, '-' => left - right, '*' => left * right, _ => left / right }, bad);
        }
    }

    private static bool Accepted(Part part, double t)
    {
        var (value, badDivisor) = Evaluate(part, t);
        return !badDivisor && value > 0 && double.IsFinite(value);
    }

    private static readonly Dictionary<string, DenseArray> Scores = new()
    {
        ["score"] = DenseArray.Vector(new[] { 0.5, -1.0, 2.0 }),
    };

    [Fact]
    public void A_temperature_written_as_arithmetic_is_accepted_exactly_when_it_and_its_divisors_are_positive()
    {
        var gen = Gen.Select(Parts, Gen.Int[-3, 3], Gen.Int[-3, 3], (part, byDefault, atRunTime) => (part, byDefault / 2.0, atRunTime / 2.0));
        DeterministicSample.Run(gen, x =>
        {
            var (part, byDefault, atRunTime) = x;
            var text = $"metric M(score: real[n], t: real = {byDefault.ToString(CultureInfo.InvariantCulture)}) {{ maximize mean[n](score[n] > 0 @ {part.Text}); }}";
            var compilation = MetricCompiler.Compile(text, "Tests");
            var (value, badDivisor) = Evaluate(part, byDefault);
            var expected = badDivisor ? "MTR0122" : Accepted(part, byDefault) ? null : "MTR0112";
            // Each bad divisor is its own fault: both operands of one operator can report one.
            Assert.Equal(expected, compilation.Diagnostics.Select(d => d.Id).Distinct().SingleOrDefault());
            if (expected is not null) return;

            var options = new Dictionary<string, double[]> { ["t"] = new[] { atRunTime } };
            var metric = compilation.Metrics.Single();
            if (Accepted(part, atRunTime))
            {
                Assert.InRange(ReferenceInterpreter.Smooth(metric, Scores, options), 0, 1);
            }
            else
            {
                Assert.ThrowsAny<ArgumentException>(() => ReferenceInterpreter.Smooth(metric, Scores, options));
            }
        }, x => $"{x.part.Text} with t = {x.Item2} by default and {x.Item3} at run time", Iterations, seed: 20261201);
    }

    [Fact]
    public void A_cut_off_is_refused_exactly_when_the_comparison_with_the_count_cannot_change()
    {
        var gen = Gen.Select(Gen.Int[0, 1], Gen.Int[0, 3], Gen.Bool, Gen.Int[-3, 3], Gen.Int[-3, 3]);
        DeterministicSample.Run(gen, x =>
        {
            var (isRank, op, countOnLeft, byDefault, atRunTime) = x;
            var symbol = new[] { "<", "<=", ">", ">=" }[op];
            var (count, lowest) = isRank == 1 ? ("1 + sum[j != i](score[q, j] > score[q, i])", 1) : ("sum[j != i](score[q, j] > score[q, i])", 0);
            var comparison = countOnLeft ? $"c[q, i] {symbol} k" : $"k {symbol} c[q, i]";
            var text = $$"""
                metric M(score: real[q, i], label: bool[q, i], k: int = {{byDefault}}, tau: real = 1) {
                    c[q, i] = {{count}};
                    maximize mean[q](sum[i](label[q, i] & ({{comparison}})));
                }
                """;
            // The oracle: the comparison at the lowest count and at a count far above every k tried.
            bool Holds(int c, int k) => (countOnLeft ? (c, k) : (k, c)) switch
            {
                var (a, b) => symbol switch { "<" => a < b, "<=" => a <= b, ">" => a > b, _ => a >= b },
            };
            bool Decided(int k) => Holds(lowest, k) == Holds(lowest + 100, k);

            var compilation = MetricCompiler.Compile(text, "Tests");
            Assert.Equal(Decided(byDefault) ? "MTR0121" : null, compilation.Diagnostics.SingleOrDefault()?.Id);
            if (Decided(byDefault)) return;

            var inputs = new Dictionary<string, DenseArray>
            {
                ["score"] = DenseArray.Matrix(new[,] { { 0.5, -1.0, 2.0 } }),
                ["label"] = DenseArray.Matrix(new double[,] { { 1, 0, 1 } }),
            };
            var options = new Dictionary<string, double[]> { ["k"] = new double[] { atRunTime } };
            var metric = compilation.Metrics.Single();
            if (Decided(atRunTime))
            {
                Assert.ThrowsAny<ArgumentException>(() => ReferenceInterpreter.Exact(metric, inputs, options));
            }
            else
            {
                Assert.InRange(ReferenceInterpreter.Exact(metric, inputs, options), 0, 3);
            }
        }, x => x.ToString(), Iterations, seed: 20261202);
    }
}
