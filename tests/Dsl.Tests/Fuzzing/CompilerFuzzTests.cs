using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Parsing;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Tests.Fuzzing;

/// <summary>
/// <see cref="MetricCompiler.Compile"/> must behave on any text: never throw, never fall back to the
/// internal-error diagnostic (MTR0900), and either bind at least one metric without errors or report
/// errors whose spans lie inside the text. Inputs are token soups, soups inside a metric skeleton,
/// grammar-shaped random metrics, and mutations of the normative examples; every run checks the same
/// inputs (see <see cref="DeterministicSample"/>), and a failure prints the smallest failing text.
/// </summary>
public class CompilerFuzzTests
{
    // ---- the property --------------------------------------------------------------------------------

    /// <summary>Compiles <paramref name="text"/> and throws if the compiler misbehaves on it.</summary>
    private static void AssertWellBehaved(string text)
    {
        var compilation = MetricCompiler.Compile(text, "Fuzz");
        var diagnostics = compilation.Diagnostics;
        Check(!diagnostics.Any(d => d.Id == DiagnosticCatalog.InternalError.Id), "internal error: " + string.Join("; ", diagnostics));
        foreach (var diagnostic in diagnostics)
        {
            var span = diagnostic.Span;
            Check(span.Start >= 0 && span.Length >= 0 && span.End <= text.Length, $"span {span.Start}+{span.Length} outside a text of {text.Length}: {diagnostic}");
            Check(span == SourceSpan.FromOffsets(text, span.Start, span.End), $"line/column disagree with the offsets: {diagnostic}");
            Check(diagnostic.Message.Length > 0 && !diagnostic.Message.EndsWith('.') && !diagnostic.Message.Contains('\n'), $"malformed message: {diagnostic}");
        }
        var onlyNoMetricWarning = diagnostics.Count == 1 && diagnostics[0].Id == DiagnosticCatalog.EmptyFile.Id;
        Check(compilation.HasErrors || compilation.Metrics.Count >= 1 || onlyNoMetricWarning,
            "no metric and no error: " + string.Join("; ", diagnostics));
        Check(compilation.Metrics.SequenceEqual(MetricCompiler.Compile(text, "Fuzz").Metrics), "compiling twice gave different models");
    }

    private static void Check(bool condition, string message)
    {
        if (!condition) throw new InvalidOperationException(message);
    }

    private static string Show(string text) => "text (C# literal): \"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", "\\r").Replace("\n", "\\n").Replace("\t", "\\t") + "\"\n" + text;

    // ---- (a) token soups ----------------------------------------------------------------------------

    private static readonly string[] Tokens =
    {
        "metric", "namespace", "maximize", "minimize", "interpolate", "const", "real", "bool", "int", "index",
        "sum", "mean", "max", "min", "any", "all", "step", "sqrt", "log", "log2", "exp", "abs", "clamp", "where", "ideal_dcg",
        "good", "nearby", "random", "epsilon", "seed",
        "M", "F1", "score", "label", "target", "logit", "gain", "tau", "k", "x", "pred", "n", "i", "j", "q", "c", "m",
        "0", "1", "2", "0.5", "73", "1e-3", "2.5E+2", "1e400", "16",
        "(", ")", "[", "]", "{", "}", "<", ">", ",", ";", ":", "=", ".", "@",
        "!", "!=", ">=", "<=", "+", "-", "*", "/", "^", "&", "|",
        "// comment\n", "//", "\n", "\r\n", "\t", " ",
        "#", "$", "\"", "'", "é", "٣", "\u00a0", "\\", "?", "%",
    };

    private static readonly Gen<string> Token = Gen.OneOf(Tokens);

    private static Gen<string> Soup(int maxTokens) =>
        Gen.Select(Token, Gen.Bool).Array[0, maxTokens].Select(items => string.Concat(items.Select(t => t.Item2 ? t.Item1 + " " : t.Item1)));

    [Fact]
    public void Token_soups_never_break_the_compiler() =>
        DeterministicSample.Run(Soup(40), AssertWellBehaved, Show, iterations: 1_500, seed: 1);

    private const string Header = "metric M(score: real[n], label: bool[n], target: index<c>[n], logit: real[n, c], k: int[m] = [1, 2], tau: real = 1)";

    /// <summary>Soups where the grammar gets furthest: as parameters, as statements, as the goal's expression.</summary>
    private static readonly Gen<string> SoupInSkeleton =
        Gen.Select(Gen.Int[0, 3], Soup(25)).Select(t => t.Item1 switch
        {
            0 => "metric M(" + t.Item2 + ") { maximize 1; }",
            1 => Header + " {\n    " + t.Item2 + "\n    maximize 1;\n}",
            2 => Header + " {\n    maximize " + t.Item2 + ";\n}",
            _ => Header + " {\n    x[n] = " + t.Item2 + ";\n    maximize mean[n](x[n]);\n}",
        });

    [Fact]
    public void Token_soups_inside_a_metric_never_break_the_compiler() =>
        DeterministicSample.Run(SoupInSkeleton, AssertWellBehaved, Show, iterations: 1_500, seed: 2);

    // ---- grammar-shaped random metrics (reach the binder far more often than soups) ---------------------

    private static readonly Gen<string> Atom = Gen.OneOf(
        "score[n]", "score[i]", "score[j]", "label[n]", "label[j]", "logit[n, c]", "logit[n, target[n]]", "logit[target[n], c]",
        "k[m]", "k", "tau", "x[n]", "x", "target[n]", "n", "0", "1", "0.5", "2", "score[k]", "label[n != i]", "undefined");

    private static readonly Gen<string> Expression = Gen.Recursive<string>((depth, self) =>
    {
        if (depth >= 4) return Atom;
        var binary = Gen.Select(self, Gen.OneOf("|", "&", ">", ">=", "<", "<=", "+", "-", "*", "/", "^"), self).Select(t => $"{t.Item1} {t.Item2} {t.Item3}");
        var unary = Gen.Select(Gen.OneOf("!", "-"), self).Select(t => t.Item1 + t.Item2);
        var annotated = Gen.Select(self, Gen.OneOf("tau", "0.1", "score[n]", "k[m]", "k")).Select(t => $"({t.Item1}) @ {t.Item2}");
        var call = Gen.Select(Gen.OneOf("step", "sqrt", "log2", "min", "max", "clamp", "where", "sigmoid", "sum", "ideal_dcg"), self.Array[1, 3])
            .Select(t => $"{t.Item1}({string.Join(", ", t.Item2)})");
        var reduction = Gen.Select(Gen.OneOf("sum", "mean", "max", "min", "any", "all", "ideal_dcg", "sqrt"),
                Gen.OneOf("n", "i", "j", "c", "j != i", "c != target[n]", "i, j", "n, m", "z"), self.Array[1, 2])
            .Select(t => $"{t.Item1}[{t.Item2}]({string.Join(", ", t.Item3)})");
        return Gen.Frequency<string>((4, Atom), (4, binary), (1, unary), (1, annotated), (1, call), (2, reduction), (1, self.Select(e => $"({e})")));
    });

    private static readonly Gen<string> ShapedMetric =
        Gen.Select(Gen.Select(Gen.OneOf("x", "x[n]", "x[n, c]", "score", "y[i]"), Expression).Array[0, 3], Gen.OneOf("maximize", "minimize"), Expression,
                Gen.OneOf("", " interpolate", " interpolate(good: 4, nearby: 2, random: 0)", " interpolate(far: 1)"))
            .Select(t => Header + t.Item4 + " {\n" + string.Concat(t.Item1.Select(s => $"    {s.Item1} = {s.Item2};\n")) + $"    {t.Item2} {t.Item3};\n}}");

    [Fact]
    public void Grammar_shaped_random_metrics_never_break_the_compiler() =>
        DeterministicSample.Run(ShapedMetric, AssertWellBehaved, Show, iterations: 1_500, seed: 3);

    // ---- (b) mutations of the normative examples ----------------------------------------------------

    private static readonly string NormativeFile = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", "normative.metric"));

    /// <summary>The whole normative file, then each of its metrics on its own (smaller texts, more mutations per second).</summary>
    private static readonly string[] Seeds =
        new[] { NormativeFile }.Concat(MetricParser.Parse(NormativeFile).File!.Metrics.Select(m => NormativeFile.Substring(m.Span.Start, m.Span.Length))).ToArray();

    private enum Edit { DeleteChar, InsertChar, DuplicateRange, SwapChars, DeleteToken, DuplicateToken, SwapTokens, ReplaceToken }

    /// <summary>One edit; positions are taken modulo the current length, so every edit applies to every text.</summary>
    private sealed record Mutation(Edit Edit, int A, int B, string Token);

    private sealed record Mutated(int Seed, Mutation[] Mutations)
    {
        public string Text => Mutations.Aggregate(Seeds[Seed], Apply);

        public override string ToString() => $"seed text {Seed}, edits [{string.Join(", ", Mutations.Select(m => m.ToString()))}]\n{Show(Text)}";
    }

    private static readonly Gen<Mutated> Mutations =
        Gen.Select(Gen.Int[0, Seeds.Length - 1],
            Gen.Select(Gen.Enum<Edit>(), Gen.Int[0, 100_000], Gen.Int[0, 100_000], Token).Select(t => new Mutation(t.Item1, t.Item2, t.Item3, t.Item4)).Array[1, 4])
        .Select(t => new Mutated(t.Item1, t.Item2));

    private static readonly Regex TokenPattern = new(@"//[^\n]*|[A-Za-z_][A-Za-z0-9_]*|\d+(\.\d+)?([eE][+-]?\d+)?|>=|<=|!=|\S");

    private static string Apply(string text, Mutation m)
    {
        if (text.Length == 0) return m.Token;
        int At(int x) => x % text.Length;
        var tokens = TokenPattern.Matches(text);
        Match TokenAt(int x) => tokens[x % tokens.Count];
        switch (m.Edit)
        {
            case Edit.DeleteChar: return text.Remove(At(m.A), 1);
            case Edit.InsertChar: return text.Insert(At(m.A), m.Token.Substring(0, 1));
            case Edit.DuplicateRange:
                var length = Math.Min(1 + m.B % 40, text.Length - At(m.A));
                return text.Insert(At(m.A), text.Substring(At(m.A), length));
            case Edit.SwapChars:
                var chars = text.ToCharArray();
                (chars[At(m.A)], chars[At(m.B)]) = (chars[At(m.B)], chars[At(m.A)]);
                return new string(chars);
        }
        if (tokens.Count == 0) return text + m.Token;
        var token = TokenAt(m.A);
        switch (m.Edit)
        {
            case Edit.DeleteToken: return text.Remove(token.Index, token.Length);
            case Edit.DuplicateToken: return text.Insert(token.Index, token.Value + " ");
            case Edit.ReplaceToken: return text.Remove(token.Index, token.Length).Insert(token.Index, m.Token);
            default:
                var (first, second) = token.Index <= TokenAt(m.B).Index ? (token, TokenAt(m.B)) : (TokenAt(m.B), token);
                if (first.Index == second.Index) return text;
                return new StringBuilder(text).Remove(second.Index, second.Length).Insert(second.Index, first.Value)
                    .Remove(first.Index, first.Length).Insert(first.Index, second.Value).ToString();
        }
    }

    [Fact]
    public void Mutations_of_the_normative_examples_never_break_the_compiler() =>
        DeterministicSample.Run(Mutations, m => AssertWellBehaved(m.Text), m => m.ToString(), iterations: 2_000, seed: 4);

    [Fact]
    public void The_mutation_seeds_themselves_compile_cleanly() =>
        Assert.All(Seeds, seed => Assert.False(MetricCompiler.Compile(seed, "Fuzz").HasErrors));

    // ---- inputs built to exhaust the stack --------------------------------------------------------------

    public static TheoryData<string> DeepExpressions => new()
    {
        new string('(', 5_000) + "s[n]" + new string(')', 5_000),
        new string('-', 5_000) + "s[n]",
        new string('!', 5_000) + "(s[n] > 0)",
        "s[n]" + string.Concat(Enumerable.Repeat(" + 1", 5_000)),
        "s[n]" + string.Concat(Enumerable.Repeat(" ^ 1", 5_000)),
        string.Concat(Enumerable.Repeat("exp(", 5_000)) + "s[n]" + new string(')', 5_000),
        string.Concat(Enumerable.Repeat("x[", 5_000)) + "n" + new string(']', 5_000),
    };

    /// <summary>A stack overflow cannot be caught and would take the compiler down: such texts must be refused first.</summary>
    [Theory]
    [MemberData(nameof(DeepExpressions))]
    public void Deeply_nested_or_very_long_expressions_are_refused_without_exhausting_the_stack(string expression)
    {
        var text = "metric M(s: real[n], tau: real = 1) {\n    x[n] = " + expression + ";\n    maximize mean[n](x[n]);\n}";
        var diagnostic = Assert.Single(OnSmallStack(() => MetricCompiler.Compile(text, "Fuzz")).Diagnostics);
        Assert.Equal("MTR0001", diagnostic.Id);
        Assert.Matches("^expression (nested too deeply|too long)", diagnostic.Message);
    }

    [Fact]
    public void Expressions_just_within_the_limits_compile_on_a_small_stack()
    {
        var nested = new string('(', 31) + "s[n]" + string.Concat(Enumerable.Repeat(" ^ 1", 99)) + new string(')', 31);
        var text = "metric M(s: real[n], tau: real = 1) {\n    x[n] = " + nested + ";\n    maximize mean[n](x[n]);\n}";
        var compilation = OnSmallStack(() => MetricCompiler.Compile(text, "Fuzz"));
        Assert.Empty(compilation.Diagnostics);
        Assert.Equal(compilation.Metrics, OnSmallStack(() => MetricCompiler.Compile(text, "Fuzz")).Metrics);
    }

    /// <summary>Runs on a 1 MiB stack, the default for threads on Windows (the test runner's own threads may have more).</summary>
    private static T OnSmallStack<T>(Func<T> action)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { result = action(); }
            catch (Exception e) { failure = e; }
        }, 1024 * 1024);
        thread.Start();
        thread.Join();
        return failure is null ? result : throw new InvalidOperationException("failed on the small stack", failure);
    }
}
