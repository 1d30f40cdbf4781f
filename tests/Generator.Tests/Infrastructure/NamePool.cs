using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>
/// Names to try in every place a definition names something: C#'s keywords, reserved and contextual (with the
/// contextual ones of C# versions newer than this Roslyn), and every identifier of the emitted code
/// (<see cref="EmittedCode"/>) with the names its locals are made of: <c>x__score</c> gives <c>x_score</c> (the
/// scheme of old) and <c>x</c>, <c>score</c>; <c>__dtype</c> gives <c>dtype</c>. Only what the language's lexer
/// reads as one name is kept.
/// </summary>
internal static class NamePool
{
    private static readonly Regex LanguageName = new("^[A-Za-z_][A-Za-z0-9_]*$");

    public static IReadOnlyList<string> Keywords { get; } = SyntaxFacts.GetKeywordKinds()
        .Concat(SyntaxFacts.GetContextualKeywordKinds())
        .Select(SyntaxFacts.GetText)
        .Concat(new[] { "extension", "field", "allows" })
        .Where(name => LanguageName.IsMatch(name))
        .Distinct(StringComparer.Ordinal)
        .OrderBy(name => name, StringComparer.Ordinal)
        .ToList();

    public static IReadOnlyList<string> Emitted { get; } = EmittedCode.Identifiers
        .SelectMany(Forms)
        .Where(name => LanguageName.IsMatch(name))
        .Distinct(StringComparer.Ordinal)
        .OrderBy(name => name, StringComparer.Ordinal)
        .ToList();

    public static IReadOnlyList<string> All { get; } = Keywords.Concat(Emitted).Distinct(StringComparer.Ordinal).ToList();

    private static IEnumerable<string> Forms(string identifier)
    {
        yield return identifier;
        if (!identifier.Contains("__", StringComparison.Ordinal)) yield break;
        yield return identifier.Replace("__", "_", StringComparison.Ordinal);
        foreach (var part in identifier.Split("__", StringSplitOptions.RemoveEmptyEntries)) yield return part;
    }
}
