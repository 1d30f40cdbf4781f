using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MetricLoss.Dsl.Tests;

/// <summary>
/// The documentation is self-contained: every relative link in the repository's markdown (README.md, docs/,
/// the samples' and benchmarks' READMEs) points at a file or folder of the repository, a link to a section
/// (<c>file.md#anchor</c>, <c>#anchor</c>) names a heading that exists, with GitHub's anchor rules, and the
/// section and rule numbers that comments cite exist. Links to the web are not checked (no network in tests).
/// </summary>
public class DocumentationLinksTests
{
    private static readonly string Root = FindRoot();

    public static TheoryData<string> MarkdownFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in MarkdownFilesUnder(Root)) data.Add(Relative(file));
        return data;
    }

    [Fact]
    public void The_documents_the_repository_promises_are_scanned()
    {
        var files = MarkdownFilesUnder(Root).Select(Relative).ToList();
        Assert.Contains("README.md", files);
        Assert.Contains("docs/language.md", files);
        Assert.Contains("docs/surrogates.md", files);
        Assert.Contains("docs/torchsharp-rules.md", files);
        Assert.Contains(files, f => f.StartsWith("samples/", StringComparison.Ordinal) && f.EndsWith("/README.md", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_relative_link_points_into_the_repository(string file)
    {
        var path = Path.Combine(Root, file);
        var problems = new List<string>();
        foreach (var (line, target) in Links(File.ReadAllText(path)))
        {
            var problem = Check(path, target);
            if (problem is not null) problems.Add($"{file}:{line}: ({target}) {problem}");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Anchors_follow_GitHub()
    {
        Assert.Equal(new[] { "34-multistage-backpropagation-for-large-batches" }, Slugs("### 3.4 Multistage backpropagation for large batches"));
        Assert.Equal(new[] { "3-runtime-srcruntime" }, Slugs("## 3. Runtime (`src/Runtime`)"));
        Assert.Equal(new[] { "interpolation-mode-uniloss" }, Slugs("## Interpolation mode (UniLoss)"));
        Assert.Equal(new[] { "time-benchmarkdotnet" }, Slugs("### Time (BenchmarkDotNet)"));
        Assert.Equal(new[] { "a", "a-1", "a-2" }, Slugs("# A\n## A\n```\n# not a heading\n```\n### A"));
    }

    [Fact]
    public void Links_in_code_are_not_links()
    {
        var text = "See [a](a.md) and `sum[i](x)`.\n```\nmean[n](score[n] > 0)\n```\n![img](images/x.png) [w](https://example.com)\n"
            + "a paragraph\n  [LABEL]: continued\n\n[ref]: b.md";
        Assert.Equal(new[] { "a.md", "images/x.png", "https://example.com", "b.md" }, Links(text).Select(l => l.Target));
    }

    /// <summary>
    /// Citations in text and comments (<c>surrogates.md §3.4</c>, <c>torchsharp-rules.md rule 9</c>) name sections
    /// and rules that exist, and nothing cites a document that is not in the repository.
    /// </summary>
    [Fact]
    public void Cited_sections_and_rules_exist_and_no_outside_document_is_cited()
    {
        var sections = new HashSet<string>(
            File.ReadLines(Path.Combine(Root, "docs", "surrogates.md"))
                .Select(l => SectionHeading.Match(l))
                .Where(m => m.Success)
                .Select(m => m.Groups["number"].Value));
        var rules = File.ReadLines(Path.Combine(Root, "docs", "torchsharp-rules.md"))
            .Select(l => RuleItem.Match(l))
            .Where(m => m.Success)
            .Select(m => int.Parse(m.Groups["number"].Value, CultureInfo.InvariantCulture))
            .ToList();
        Assert.Contains("3.4", sections);
        Assert.Equal(Enumerable.Range(1, rules.Count), rules);

        var problems = new List<string>();
        var self = Path.Combine("tests", "Dsl.Tests", nameof(DocumentationLinksTests) + ".cs");
        foreach (var file in SourceFilesUnder(Root))
        {
            var relative = Relative(file);
            if (relative == self.Replace(Path.DirectorySeparatorChar, '/')) continue;
            var text = File.ReadAllText(file);
            foreach (Match m in SurrogateCitation.Matches(text))
            {
                foreach (Match n in SectionNumber.Matches(m.Groups["refs"].Value))
                {
                    var number = n.Value.TrimEnd('.');
                    if (!sections.Contains(number)) problems.Add($"{relative}: `{m.Value}` cites §{number}, which docs/surrogates.md does not have");
                }
            }
            foreach (Match m in RuleCitation.Matches(text))
            {
                foreach (Match n in Number.Matches(m.Groups["numbers"].Value))
                {
                    var rule = int.Parse(n.Value, CultureInfo.InvariantCulture);
                    if (rule < 1 || rule > rules.Count) problems.Add($"{relative}: `{m.Value}` cites rule {rule}; docs/torchsharp-rules.md has {rules.Count}");
                }
            }
            foreach (Match m in OutsideDocument.Matches(text)) problems.Add($"{relative}: `{m.Value}` is not in the repository");
        }
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static readonly Regex SectionHeading = new(@"^#{2,3} (?<number>\d+(?:\.\d+)?)\.? ", RegexOptions.Compiled);

    private static readonly Regex RuleItem = new(@"^(?<number>\d+)\. \*\*", RegexOptions.Compiled);

    private static readonly Regex SurrogateCitation = new(
        @"surrogates\.md,?\s*(?<refs>§\d+(?:\.\d+)?(?:\s*(?:,|and|–|/)\s*§?\d+(?:\.\d+)?)*)", RegexOptions.Compiled);

    private static readonly Regex SectionNumber = new(@"\d+(?:\.\d+)?", RegexOptions.Compiled);

    private static readonly Regex RuleCitation = new(
        @"torchsharp-rules\.md,?\s*rules?\s+(?<numbers>\d+(?:\s*(?:,|and)\s*\d+)*)", RegexOptions.Compiled);

    private static readonly Regex Number = new(@"\d+", RegexOptions.Compiled);

    /// <summary>Documents of the project's design and reference notes that live outside the repository.</summary>
    private static readonly Regex OutsideDocument = new(
        @"(?<![\w/.-])(?:torchsharp|libraries|peers-2026|generator-style)\.md|shared/(?:reference|design)|\.\./reference/|docs/design\b",
        RegexOptions.Compiled);

    private static IEnumerable<string> SourceFilesUnder(string root)
    {
        var extensions = new[] { ".md", ".cs", ".metric", ".py", ".csproj", ".props", ".targets" };
        return FilesUnder(root).Where(f => extensions.Contains(Path.GetExtension(f)));
    }

    private static string? Check(string fromFile, string target)
    {
        if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var hash = target.IndexOf('#');
        var pathPart = hash < 0 ? target : target[..hash];
        var anchor = hash < 0 ? null : Uri.UnescapeDataString(target[(hash + 1)..]);
        string resolved;
        if (pathPart.Length == 0)
        {
            resolved = fromFile;
        }
        else
        {
            if (pathPart.StartsWith('/')) return "absolute path: write it relative to the file";
            resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fromFile)!, Uri.UnescapeDataString(pathPart)));
            var rootWithSeparator = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
            if (!resolved.StartsWith(rootWithSeparator, StringComparison.Ordinal)) return "points outside the repository";
            if (!File.Exists(resolved) && !Directory.Exists(resolved)) return "no such file or folder in the repository";
        }
        if (anchor is null || anchor.Length == 0) return null;
        if (!resolved.EndsWith(".md", StringComparison.OrdinalIgnoreCase)) return null;
        var anchors = Slugs(File.ReadAllText(resolved));
        return anchors.Contains(anchor) ? null : $"no heading with anchor #{anchor} in {Relative(resolved)}";
    }

    /// <summary>
    /// Inline links, images and reference definitions, outside code blocks and code spans. A reference
    /// definition cannot interrupt a paragraph, so <c>[label]: text</c> continuing one is plain text.
    /// </summary>
    private static IEnumerable<(int Line, string Target)> Links(string markdown)
    {
        var lines = WithoutFencedCode(markdown);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = CodeSpan.Replace(lines[i], "");
            foreach (Match m in InlineLink.Matches(line)) yield return (i + 1, m.Groups["target"].Value);
            var definition = ReferenceDefinition.Match(line);
            if (definition.Success && (i == 0 || lines[i - 1].Trim().Length == 0)) yield return (i + 1, definition.Groups["target"].Value);
        }
    }

    /// <summary>The anchors GitHub gives the headings of a markdown file (duplicates get -1, -2, ...).</summary>
    private static List<string> Slugs(string markdown)
    {
        var result = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in WithoutFencedCode(markdown))
        {
            var heading = Heading.Match(line);
            if (!heading.Success) continue;
            var text = heading.Groups["text"].Value;
            text = InlineLink.Replace(text, m => m.Groups["text"].Value);
            text = text.Replace("`", "").Replace("*", "");
            var slug = new StringBuilder();
            foreach (var c in text.ToLowerInvariant())
            {
                var category = char.GetUnicodeCategory(c);
                if (c == ' ') slug.Append('-');
                else if (c == '-' || char.IsLetterOrDigit(c) || category is UnicodeCategory.NonSpacingMark
                             or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark
                             or UnicodeCategory.ConnectorPunctuation or UnicodeCategory.LetterNumber
                             or UnicodeCategory.OtherNumber)
                {
                    slug.Append(c);
                }
            }
            var anchor = slug.ToString();
            if (seen.TryGetValue(anchor, out var count))
            {
                seen[anchor] = count + 1;
                anchor = $"{anchor}-{count}";
            }
            else
            {
                seen[anchor] = 1;
            }
            result.Add(anchor);
        }
        // Anchors written by hand in HTML are targets too.
        foreach (Match m in HtmlAnchor.Matches(markdown)) result.Add(m.Groups["id"].Value);
        return result;
    }

    private static string[] WithoutFencedCode(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var inFence = false;
        string? fence = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!inFence && (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal)))
            {
                inFence = true;
                fence = trimmed[..3];
                lines[i] = "";
            }
            else if (inFence)
            {
                if (trimmed.StartsWith(fence!, StringComparison.Ordinal)) inFence = false;
                lines[i] = "";
            }
        }
        return lines;
    }

    private static readonly Regex CodeSpan = new(@"(`+)(?:(?!\1).)+?\1", RegexOptions.Compiled);

    private static readonly Regex InlineLink = new(
        @"!?\[(?<text>[^\]]*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)", RegexOptions.Compiled);

    private static readonly Regex ReferenceDefinition = new(@"^\s{0,3}\[[^\]]+\]:\s*(?<target>\S+)", RegexOptions.Compiled);

    private static readonly Regex Heading = new(@"^\s{0,3}#{1,6}\s+(?<text>.*?)\s*#*\s*$", RegexOptions.Compiled);

    private static readonly Regex HtmlAnchor = new(@"<a\s+(?:name|id)=""(?<id>[^""]+)""", RegexOptions.Compiled);

    private static IEnumerable<string> MarkdownFilesUnder(string root) =>
        FilesUnder(root).Where(f => f.EndsWith(".md", StringComparison.Ordinal));

    /// <summary>The repository's files, without build outputs and tool folders.</summary>
    private static IEnumerable<string> FilesUnder(string root)
    {
        var skipped = new[] { "bin", "obj", ".git", "TestResults", "BenchmarkDotNet.Artifacts", "node_modules" };
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var directory = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(directory).OrderBy(f => f, StringComparer.Ordinal)) yield return file;
            foreach (var sub in Directory.EnumerateDirectories(directory))
            {
                var name = Path.GetFileName(sub);
                if (!skipped.Contains(name) && !name.StartsWith('.')) pending.Push(sub);
            }
        }
    }

    private static string Relative(string path) => Path.GetRelativePath(Root, path).Replace(Path.DirectorySeparatorChar, '/');

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Generator.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Generator.sln not found above " + AppContext.BaseDirectory);
    }
}
