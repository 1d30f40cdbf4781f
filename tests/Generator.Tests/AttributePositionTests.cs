using MetricLoss.Generator.Hosts;
using MetricLoss.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// A [Metric] definition may be any constant string: diagnostics point at the fault wherever its text is written as a
/// literal (each literal of a concatenation, through escapes, the text parts of an interpolated string, a const field in
/// another file), and say that the position is approximate where it is not. Also the class checks and text-level errors.
/// </summary>
public class AttributePositionTests
{
    private static (Diagnostic Diagnostic, string Underlined, GeneratorRun Run) Single(params string[] sources)
    {
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), sources);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        var span = diagnostic.Location.SourceSpan;
        var tree = diagnostic.Location.SourceTree ?? run.Output.SyntaxTrees.Single(t => t.FilePath == diagnostic.Location.GetLineSpan().Path);
        return (diagnostic, tree.ToString().Substring(span.Start, span.Length), run);
    }

    private static string Path(Diagnostic diagnostic) => diagnostic.Location.GetLineSpan().Path;

    [Fact]
    public void Each_literal_of_a_concatenation_is_mapped()
    {
        const string source = """
            using MetricLoss;
            [Metric("metric Q(score: real[n], label: bool[n], tau: real = 1) {"
                + "\n  maximize mean[n](score[n] & label[n]);"
                + "\n}")]
            public static partial class Q;
            """;
        var (diagnostic, underlined, _) = Single(source);
        Assert.Equal("MTR0108", diagnostic.Id);
        Assert.Equal("score[n]", underlined);
        Assert.Equal(2, diagnostic.Location.GetLineSpan().StartLinePosition.Line);
        Assert.DoesNotContain("approximate", diagnostic.GetMessage());
    }

    /// <summary>The same faulty definition written in each form of C# string: the fault is underlined exactly in each.</summary>
    public static TheoryData<string> Forms => new()
    {
        "\"metric Q(score: real[n], label: bool[n]) { // \\\"a\\\"\\n maximize mean[n](score[n] & label[n]); }\"",
        "@\"metric Q(score: real[n], label: bool[n]) { // \"\"a\"\"\n maximize mean[n](score[n] & label[n]); }\"",
        "\"\"\"metric Q(score: real[n], label: bool[n]) { maximize mean[n](score[n] & label[n]); }\"\"\"",
        "\"\"\"\n    metric Q(score: real[n], label: bool[n]) {\n        maximize mean[n](score[n] & label[n]);\n    }\n    \"\"\"",
        "$\"metric Q({Parts.Inputs}) {{ // \\\"{{a}}\\\"\\n maximize mean[n](score[n] & label[n]); }}\"",
        "$@\"metric Q({Parts.Inputs}) {{ // \"\"{{a}}\"\"\n maximize mean[n](score[n] & label[n]); }}\"",
        "$$\"\"\"metric Q({{Parts.Inputs}}) { maximize mean[n](score[n] & label[n]); }\"\"\"",
        "$$\"\"\"\n    metric Q({{Parts.Inputs}}) {\n        maximize mean[n](score[n] & label[n]);\n    }\n    \"\"\"",
    };

    [Theory]
    [MemberData(nameof(Forms))]
    public void Every_form_of_string_is_mapped(string literal)
    {
        var source = "using MetricLoss;\nstatic class Parts { public const string Inputs = \"score: real[n], label: bool[n]\"; }\n[Metric(" + literal + ")]\npublic static partial class Q;\n";
        var (diagnostic, underlined, _) = Single(source);
        Assert.Equal("MTR0108", diagnostic.Id);
        Assert.Equal("score[n]", underlined);
        Assert.DoesNotContain("approximate", diagnostic.GetMessage());
    }

    [Fact]
    public void A_concatenation_of_thousands_of_literals_is_followed_without_recursion()
    {
        // One literal per character of a long comment: a syntax tree thousands deep, followed on a small stack.
        var comment = "// " + new string('x', 3000) + "\n";
        var definition = comment + "metric Q(score: real[n], label: bool[n]) { maximize mean[n](score[n] & label[n]); }";
        var parts = string.Join(" + ", definition.Select(c => c == '\n' ? "\"\\n\"" : "\"" + c + "\""));
        var source = "using MetricLoss;\n[Metric(" + parts + ")]\npublic static partial class Q;\n";
        var (diagnostic, underlined, _) = SmallStack.Run(() => Single(source));
        Assert.Equal("MTR0108", diagnostic.Id);
        // Each character is its own literal: the span runs from the s of score to the ] (quotes and pluses between).
        Assert.StartsWith("s\" + \"c", underlined);
        Assert.EndsWith("\"]", underlined);
        Assert.DoesNotContain("approximate", diagnostic.GetMessage());
    }

    [Fact]
    public void Unicode_and_hex_escapes_of_a_regular_literal_are_mapped()
    {
        // \x takes up to four hex digits: \x0020 is a space, and the c after \u0073 is not part of the escape.
        const string source = "using MetricLoss;\n[Metric(\"metric Q(score: real[n], label: bool[n], tau: real = 1) {\\u000A  maximize\\x0020mean[n](\\u0073core[n] & label[n]);\\U0000000A}\")]\npublic static partial class Q;\n";
        var (diagnostic, underlined, _) = Single(source);
        Assert.Equal("MTR0108", diagnostic.Id);
        Assert.Equal("\\u0073core[n]", underlined);
        Assert.DoesNotContain("approximate", diagnostic.GetMessage());
    }

    [Fact]
    public void Text_parts_and_const_holes_of_an_interpolated_string_are_mapped()
    {
        const string source = """
            using MetricLoss;
            static class Parts
            {
                public const string Inputs = "score: real[n], label: bool[n]";
                public const string Goal = "maximize mean[n](score[n] & label[n]);";
            }
            [Metric($"metric Q({Parts.Inputs}, tau: real = 1) {{ {Parts.Goal} }}")]
            public static partial class Q;
            """;
        var (diagnostic, underlined, _) = Single(source);
        Assert.Equal("MTR0108", diagnostic.Id);
        // Inside the const's literal, where the faulty term is written.
        Assert.Equal("score[n]", underlined);
        Assert.Equal(4, diagnostic.Location.GetLineSpan().StartLinePosition.Line);

        // In a text part, after `{{`.
        var inText = source.Replace("tau: real = 1) {{ {Parts.Goal}", "tau: real = 1) {{ maximize mean[n](score[n] & label[n]);", StringComparison.Ordinal);
        var (textDiagnostic, textUnderlined, _) = Single(inText);
        Assert.Equal("score[n]", textUnderlined);
        Assert.Equal(6, textDiagnostic.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public void A_const_field_in_another_file_is_followed_to_its_literal()
    {
        const string definitions = """"
            static class Definitions
            {
                public const string Q = """
                    metric Q(score: real[n], label: bool[n], tau: real = 1) {
                        maximize mean[n](score[n] & label[n]);
                    }
                    """;
            }
            """";
        const string attribute = """
            using MetricLoss;
            [Metric(Definitions.Q)]
            public static partial class Q;
            """;
        var (diagnostic, underlined, _) = Single(attribute, definitions);
        Assert.Equal("Source1.cs", Path(diagnostic));
        Assert.Equal("score[n]", underlined);
        Assert.Equal((4, 29), (diagnostic.Location.GetLineSpan().StartLinePosition.Line, diagnostic.Location.GetLineSpan().StartLinePosition.Character));
        Assert.DoesNotContain("approximate", diagnostic.GetMessage());
    }

    [Fact]
    public void Text_that_is_no_literal_is_placed_on_its_expression_and_said_to_be_approximate()
    {
        // The metric's name comes from nameof: the name mismatch is reported on the nameof, approximately.
        const string source = """
            using MetricLoss;
            class Other { }
            [Metric("metric " + nameof(Other) + "(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); }")]
            public static partial class C;
            """;
        var (diagnostic, underlined, _) = Single(source);
        Assert.Equal("MTR0201", diagnostic.Id);
        Assert.Equal("nameof(Other)", underlined);
        Assert.EndsWith(AttributeHost.ApproximateNote, diagnostic.GetMessage());
    }

    [Fact]
    public void Static_on_another_part_of_the_class_is_enough()
    {
        const string source = """
            using MetricLoss;
            namespace N;
            [Metric("metric S(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); }")]
            public partial class S;
            public static partial class S { }
            """;
        var run = GeneratorHarness.Run(Array.Empty<(string, string)>(), source);
        Assert.Empty(run.DiagnosticLines);
        Assert.Equal(new[] { "N.S.g.cs" }, run.Sources.Keys);
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));
    }

    [Fact]
    public void A_namespace_line_in_the_text_is_an_error_and_nothing_is_generated()
    {
        const string source = """"
            using MetricLoss;
            namespace N;
            [Metric("""
                namespace Other;
                metric M(score: real[n], tau: real = 1) { maximize mean[n](score[n] > 0); }
                """)]
            public static partial class M;
            """";
        var (diagnostic, underlined, run) = Single(source);
        Assert.Equal("MTR0002", diagnostic.Id);
        Assert.Equal("Other", underlined);
        Assert.Empty(run.Sources);
    }

    [Fact]
    public void A_definition_with_cr_only_line_breaks_keeps_what_follows_a_comment()
    {
        // The whole C# file has CR-only line endings, the definition too: its comment ends at the CR.
        var source = string.Join("\r",
            "using MetricLoss;",
            "namespace N;",
            "[Metric(@\"// accuracy at 0",
            "metric A(score: real[n], label: bool[n], tau: real = 1) {",
            "    maximize mean[n](score[n] & label[n]);",
            "}\")]",
            "public static partial class A;",
            "");
        var (diagnostic, underlined, _) = Single(source);
        Assert.Equal("MTR0108", diagnostic.Id);
        Assert.Equal("score[n]", underlined);
        Assert.Equal((4, 21), (diagnostic.Location.GetLineSpan().StartLinePosition.Line, diagnostic.Location.GetLineSpan().StartLinePosition.Character));
    }

    [Fact]
    public void A_metric_file_with_cr_only_line_breaks_is_generated_and_located_by_its_lines()
    {
        var text = "// F1-like\rmetric M(score: real[n], label: bool[n], tau: real = 1) {\r    maximize mean[n]((score[n] > 0) & label[n]);\r}\r";
        var run = GeneratorHarness.Run(text, "cr.metric");
        Assert.Empty(run.DiagnosticLines);
        Assert.Equal(new[] { "Tests.Root.M.g.cs" }, run.Sources.Keys);

        var broken = GeneratorHarness.Run(text.Replace("label[n]);", "lable[n]);", StringComparison.Ordinal), "cr.metric");
        Assert.Equal(new[] { "MTR0100 (3,39): unknown name `lable`; expected an input, option or statement defined above (did you mean `label`?)" }, broken.DiagnosticLines);
    }
}
