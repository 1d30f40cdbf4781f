using System.Text;
using Xunit.Sdk;

namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>Tests of the snapshot helper itself, each in its own temporary folder.</summary>
public sealed class SnapshotTests : IDisposable
{
    private const string Base = "FakeTests.Method";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "snapshot-tests-" + Guid.NewGuid().ToString("N"));

    public SnapshotTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string PathOf(string fileName) => Path.Combine(_dir, fileName);

    private void WriteFile(string fileName, string text) => File.WriteAllText(PathOf(fileName), text);

    private static Dictionary<string, string> Files(params (string Hint, string Text)[] files) =>
        files.ToDictionary(f => f.Hint, f => f.Text);

    [Fact]
    public void Match_passes_and_writes_nothing()
    {
        WriteFile($"{Base}#F1.g.verified.cs", "class A {}\n");

        Snapshot.VerifyIn(_dir, Base, Files(("F1.g.cs", "class A {}\n")), accept: false);

        Assert.Equal([$"{Base}#F1.g.verified.cs"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Mismatch_fails_writes_received_and_reports_line_and_diff()
    {
        WriteFile($"{Base}#F1.verified.cs", "line one\nline two\nline three\n");

        var ex = Assert.Throws<XunitException>(() =>
            Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "line one\nline 2\nline three\n")), accept: false));

        Assert.Contains(PathOf($"{Base}#F1.verified.cs"), ex.Message);
        Assert.Contains("first difference at line 2", ex.Message);
        Assert.Contains("- line two", ex.Message);
        Assert.Contains("+ line 2", ex.Message);
        Assert.Equal("line one\nline 2\nline three\n", File.ReadAllText(PathOf($"{Base}#F1.received.cs")));
        Assert.Equal("line one\nline two\nline three\n", File.ReadAllText(PathOf($"{Base}#F1.verified.cs")));
    }

    [Fact]
    public void Diff_shows_at_most_forty_changed_lines()
    {
        var verified = string.Concat(Enumerable.Range(0, 100).Select(i => $"old {i}\n"));
        var received = string.Concat(Enumerable.Range(0, 100).Select(i => $"new {i}\n"));
        WriteFile($"{Base}#F1.verified.cs", verified);

        var ex = Assert.Throws<XunitException>(() => Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", received)), accept: false));

        var changedLines = ex.Message.Split('\n').Count(l => l.StartsWith("  - ", StringComparison.Ordinal) || l.StartsWith("  + ", StringComparison.Ordinal));
        Assert.Equal(40, changedLines);
        Assert.Contains("160 more changed lines", ex.Message);
    }

    [Fact]
    public void Accept_overwrites_verified_and_deletes_received()
    {
        WriteFile($"{Base}#F1.verified.cs", "old\n");
        WriteFile($"{Base}#F1.received.cs", "older attempt\n");

        Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "new")), accept: true);

        Assert.Equal("new\n", File.ReadAllText(PathOf($"{Base}#F1.verified.cs")));
        Assert.False(File.Exists(PathOf($"{Base}#F1.received.cs")));
    }

    [Fact]
    public void Missing_verified_fails_without_creating_it()
    {
        var ex = Assert.Throws<XunitException>(() => Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "x")), accept: false));

        Assert.Contains($"Missing snapshot: {PathOf($"{Base}#F1.verified.cs")}", ex.Message);
        Assert.False(File.Exists(PathOf($"{Base}#F1.verified.cs")));
        Assert.Equal("x\n", File.ReadAllText(PathOf($"{Base}#F1.received.cs")));
    }

    [Fact]
    public void Missing_verified_is_created_in_accept_mode()
    {
        Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "x")), accept: true);

        Assert.Equal("x\n", File.ReadAllText(PathOf($"{Base}#F1.verified.cs")));
    }

    [Fact]
    public void Stale_verified_file_fails_and_is_deleted_in_accept_mode()
    {
        WriteFile($"{Base}#F1.verified.cs", "x\n");
        WriteFile($"{Base}#Gone.verified.cs", "y\n");

        var ex = Assert.Throws<XunitException>(() => Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "x")), accept: false));
        Assert.Contains($"Stale snapshot (its hint name is no longer generated): {PathOf($"{Base}#Gone.verified.cs")}", ex.Message);
        Assert.True(File.Exists(PathOf($"{Base}#Gone.verified.cs")));

        Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "x")), accept: true);
        Assert.False(File.Exists(PathOf($"{Base}#Gone.verified.cs")));
    }

    [Fact]
    public void Snapshots_of_other_tests_and_parameters_are_not_stale()
    {
        WriteFile($"{Base}#F1.verified.cs", "x\n");
        WriteFile($"{Base}_param#Other.verified.cs", "y\n");
        WriteFile($"{Base}Longer#Other.verified.cs", "y\n");

        Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "x")), accept: false);
    }

    [Fact]
    public void Crlf_bom_and_trailing_newlines_do_not_matter()
    {
        File.WriteAllText(PathOf($"{Base}#F1.verified.cs"), "a\r\nb\r\n\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "a\nb")), accept: false);
        Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "\uFEFFa\r\nb\r\n")), accept: false);
    }

    [Fact]
    public void Written_files_are_lf_without_bom()
    {
        Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "a\r\nb\r\n\r\n")), accept: true);

        Assert.Equal("a\nb\n"u8.ToArray(), File.ReadAllBytes(PathOf($"{Base}#F1.verified.cs")));
    }

    [Fact]
    public void Stale_received_files_are_deleted_when_the_comparison_passes()
    {
        WriteFile($"{Base}#F1.verified.cs", "x\n");
        WriteFile($"{Base}#F1.received.cs", "old failure\n");
        WriteFile($"{Base}#Gone.received.cs", "old failure\n");

        Snapshot.VerifyIn(_dir, Base, Files(("F1.cs", "x")), accept: false);

        Assert.False(File.Exists(PathOf($"{Base}#F1.received.cs")));
        Assert.False(File.Exists(PathOf($"{Base}#Gone.received.cs")));
    }

    [Fact]
    public void All_problems_of_a_set_are_reported_together()
    {
        WriteFile($"{Base}#A.verified.cs", "a\n");
        WriteFile($"{Base}#Gone.verified.cs", "g\n");

        var ex = Assert.Throws<XunitException>(() =>
            Snapshot.VerifyIn(_dir, Base, Files(("A.cs", "changed"), ("B.cs", "b")), accept: false));

        Assert.Contains("Snapshot mismatch", ex.Message);
        Assert.Contains("Missing snapshot", ex.Message);
        Assert.Contains("Stale snapshot", ex.Message);
    }

    [Fact]
    public void Text_snapshot_uses_its_extension()
    {
        var ex = Assert.Throws<XunitException>(() => Snapshot.VerifyTextIn(_dir, Base, "ML0001: error", "txt", accept: false));
        Assert.Contains(PathOf($"{Base}.verified.txt"), ex.Message);
        Assert.True(File.Exists(PathOf($"{Base}.received.txt")));

        File.Move(PathOf($"{Base}.received.txt"), PathOf($"{Base}.verified.txt"));
        Snapshot.VerifyTextIn(_dir, Base, "ML0001: error\r\n", ".txt", accept: false);
    }

    [Fact]
    public void Public_entry_names_files_after_caller_file_test_and_parameter()
    {
        // A caller file that exists on disk, so its sibling Snapshots/ folder is used.
        // The snapshot matches, so the test passes whether or not SNAPSHOT_ACCEPT is set.
        var callerFile = PathOf("FakeTests.cs");
        File.WriteAllText(callerFile, "");
        Directory.CreateDirectory(PathOf("Snapshots"));
        File.WriteAllText(PathOf("Snapshots/FakeTests.Method_p1#F1.g.verified.cs"), "x\n");
        File.WriteAllText(PathOf("Snapshots/FakeTests.Method_p1.verified.log"), "y\n");

        Snapshot.Verify(Files(("F1.g.cs", "x")), callerFile, "Method", parameter: "p1");
        Snapshot.VerifyText("y", "log", callerFile, "Method", parameter: "p1");
    }
}
