using MetricLoss.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// TorchSharp 0.107's <c>Scalar</c> is a finalizable object that hands its native pointer (a plain <c>nint</c>) to
/// LibTorch. A Scalar that nothing references after that read, such as the temporary of an implicit conversion
/// (<c>t.ne(0)</c>) or the <c>1</c> that <c>Tensor.add(Tensor)</c> creates for its alpha, can be finalized by another
/// thread's garbage collection while LibTorch still reads it: a use after free that surfaced as random
/// "Expected false to be true" failures in <c>Scalar::toDouble</c> under load, and that could as well read another
/// number. Every Scalar the runtime and the generated code create must therefore stay referenced until the call
/// returns: a <c>using</c> local, or a static field. This test reads the runtime's own sources and the generated
/// code of the catalogue and the normative examples, and lists every place that breaks the rule.
/// </summary>
public class ScalarLifetimeTests
{
    // TorchSharp methods that create their own temporary Scalar (decompiled 0.107.0: `add(target, 1)`, `square()` is
    // `pow(2)`, and the like).
    private static readonly HashSet<string> MethodsWithHiddenScalar = new(StringComparer.Ordinal) { "add", "add_", "addcdiv", "addcdiv_", "square", "square_" };

    [Fact]
    public void Runtime_and_generated_code_keep_every_Scalar_alive_across_its_native_call()
    {
        var compilation = RuntimeWithGeneratedCode();
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()));

        var violations = compilation.SyntaxTrees.SelectMany(tree => Violations(compilation.GetSemanticModel(tree), tree)).ToList();

        Assert.True(violations.Count == 0, $"{violations.Count} Scalars may be finalized during their native call:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_check_finds_each_kind_of_unkept_Scalar()
    {
        const string source = """
            using TorchSharp;
            using static TorchSharp.torch;
            static class Bad
            {
                static Tensor Conversion(Tensor t) => t.ne(0);
                static Tensor HiddenAlpha(Tensor a, Tensor b) => a.add(b);
                static Tensor Operator(Tensor a, Tensor b) => a + b;
                static Tensor NumberOperator(Tensor a) => a * 2.0;
                static Tensor Inline(Tensor a) => a.mul(2.0.ToScalar());
                static Tensor Square(Tensor a) => a.square();
                static Tensor Kept(Tensor a, Tensor b)
                {
                    using var two = 2.0.ToScalar();
                    using var one = 1.ToScalar();
                    return a.mul(two).add(b, one).sub(b);
                }
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(source, path: "Bad.cs");
        var compilation = CSharpCompilation.Create("Bad", new[] { tree }, References(), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var violations = Violations(compilation.GetSemanticModel(tree), tree).ToList();

        Assert.Equal(new[] { 5, 6, 7, 8, 9, 10 }, violations.Select(v => int.Parse(v.Split(':')[1])).ToArray());
    }

    private static IEnumerable<string> Violations(SemanticModel model, SyntaxTree tree)
    {
        var scalar = model.Compilation.GetTypeByMetadataName("TorchSharp.Scalar")!;
        // Every operation of every member body, implicit conversions included (they share their operand's syntax).
        var operations = tree.GetRoot().DescendantNodes()
            .Select(node => model.GetOperation(node))
            .Where(operation => operation is not null && operation.Parent is null)
            .SelectMany(root => root!.DescendantsAndSelf());
        foreach (var operation in operations)
        {
            var problem = operation switch
            {
                IConversionOperation { OperatorMethod: not null } c when SymbolEqualityComparer.Default.Equals(c.Type, scalar) && !Kept(c)
                    => "implicit conversion to Scalar",
                IInvocationOperation i when IsTorchSharp(i.TargetMethod) && MethodsWithHiddenScalar.Contains(i.TargetMethod.Name)
                    && i.TargetMethod.Parameters.All(p => p.Name != "alpha" && p.Name != "value")
                    => $"{i.TargetMethod.Name} creates its own Scalar (an alpha of 1, an exponent of 2)",
                IInvocationOperation i when i.TargetMethod.Name == "ToScalar" && !Kept(i)
                    => "ToScalar() not kept in a using local or a static field",
                IBinaryOperation { OperatorMethod: { } method } b when IsTorchSharp(method)
                    && (b.OperatorKind == BinaryOperatorKind.Add || method.Parameters.Any(p => p.Type.SpecialType != SpecialType.None || SymbolEqualityComparer.Default.Equals(p.Type, scalar)))
                    => $"operator {b.OperatorKind} creates its own Scalar",
                _ => null,
            };
            if (problem is null) continue;
            var line = operation.Syntax.GetLocation().GetLineSpan();
            yield return $"{Path.GetFileName(line.Path)}:{line.StartLinePosition.Line + 1}: {problem}: {operation.Syntax}";
        }
    }

    private static bool IsTorchSharp(IMethodSymbol method) =>
        method.ContainingAssembly?.Name == "TorchSharp";

    // A Scalar is kept when it initialises a `using` local or a static field, or is returned to a caller that keeps it.
    private static bool Kept(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation { IsImplicit: true }) parent = parent.Parent;
        return parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation { Parent: IVariableDeclarationGroupOperation { Parent: IUsingDeclarationOperation or IUsingOperation } } } } => true,
            IFieldInitializerOperation f => f.InitializedFields.All(field => field.IsStatic),
            IReturnOperation => true,
            _ => false,
        };
    }

    // The runtime's own sources compiled together with the code the generator writes for the catalogue (as the
    // runtime project does) and for the normative examples.
    private static Compilation RuntimeWithGeneratedCode()
    {
        var root = TestFiles.RepositoryRoot;
        var runtime = Path.Combine(root, "src", "Runtime");
        var trees = Directory.EnumerateFiles(runtime, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), path: f))
            .ToList();
        var metricFiles = Directory.EnumerateFiles(Path.Combine(runtime, "Catalog"), "*.metric")
            .Select(f => (Path: f, Text: File.ReadAllText(f)))
            .Append(("normative.metric", TestFiles.Normative.Replace("namespace MetricLoss.Catalog;", "namespace Copy.Normative;")));
        var compilation = CSharpCompilation.Create("MetricLoss.Runtime", trees, References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        GeneratorHarness.CreateDriver(metricFiles, "MetricLoss").RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return output;
    }

    private static IEnumerable<MetadataReference> References() =>
        Basic.Reference.Assemblies.Net100.References.All.Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(TorchSharp.torch).Assembly.Location));

}
