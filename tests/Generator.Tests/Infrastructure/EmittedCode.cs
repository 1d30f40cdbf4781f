using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>
/// What the emitter writes, read from its output for the whole catalogue and the normative examples (every lowering:
/// rank counts, supports, chunks, interpolation): the identifiers of that code and the members of the classes it
/// declares. The naming tests take their names from here rather than from a list kept by hand, so that a local or a
/// member the emitter gains is tried as a user's name too.
/// </summary>
internal static class EmittedCode
{
    private static readonly Lazy<(IReadOnlyList<SyntaxTree> Trees, ISet<string> OptionProperties)> Output = new(Generate);

    /// <summary>Every identifier the generated code spells (declared or used), without a leading <c>@</c>.</summary>
    public static IReadOnlyList<string> Identifiers { get; } = Distinct(Output.Value.Trees
        .SelectMany(tree => tree.GetRoot().DescendantTokens())
        .Where(token => token.IsKind(SyntaxKind.IdentifierToken))
        .Select(token => token.ValueText));

    /// <summary>The members of the metrics' classes.</summary>
    public static IReadOnlyList<string> ClassMembers { get; } = Distinct(MetricClasses().SelectMany(c => c.Members).Select(MemberName));

    /// <summary>The members of the Options records that no option of a definition became.</summary>
    public static IReadOnlyList<string> OptionsMembers { get; } = Distinct(MetricClasses()
        .SelectMany(c => c.Members.OfType<RecordDeclarationSyntax>())
        .SelectMany(r => r.Members)
        .Select(MemberName)
        .Where(name => !Output.Value.OptionProperties.Contains(name)));

    private static (IReadOnlyList<SyntaxTree>, ISet<string>) Generate()
    {
        var files = new[] { "ConfusionMatrix.metric", "AnyLoss.metric", "MultiClass.metric", "Ranking.metric", "Interpolated.metric" }
            .Select(f => ("Catalog/" + f, TestFiles.Catalog(f).Replace("namespace MetricLoss.Catalog;", "namespace Copy.Catalog;")))
            .Append(("normative.metric", TestFiles.Normative.Replace("namespace MetricLoss.Catalog;", "namespace Copy.Normative;")))
            .ToList();
        var run = GeneratorHarness.Run(files);
        if (run.GeneratorDiagnostics.Count > 0 || run.Sources.Count < 40) throw new InvalidOperationException(string.Join("\n", run.DiagnosticLines));
        var properties = files
            .SelectMany(f => MetricLoss.Dsl.MetricCompiler.Compile(f.Item2, null).Metrics)
            .SelectMany(m => m.Options)
            .Select(o => MetricLoss.Dsl.Binding.Names.ToPascalCase(o.Name))
            .ToHashSet(StringComparer.Ordinal);
        return (run.Sources.Values.Select(text => CSharpSyntaxTree.ParseText(text)).ToList(), properties);
    }

    private static IEnumerable<ClassDeclarationSyntax> MetricClasses() =>
        Output.Value.Trees.SelectMany(tree => tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .Where(c => c.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax));

    private static string MemberName(MemberDeclarationSyntax member) => member switch
    {
        BaseTypeDeclarationSyntax type => type.Identifier.ValueText,
        MethodDeclarationSyntax method => method.Identifier.ValueText,
        PropertyDeclarationSyntax property => property.Identifier.ValueText,
        FieldDeclarationSyntax field => field.Declaration.Variables.Single().Identifier.ValueText,
        _ => throw new NotSupportedException(member.Kind().ToString()),
    };

    private static IReadOnlyList<string> Distinct(IEnumerable<string> names) =>
        names.Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
}
