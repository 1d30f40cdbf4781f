using System.Reflection;
using MetricLoss.Generator.Model;
using Microsoft.CodeAnalysis;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Pipeline models must be plain equatable data: a Roslyn symbol, syntax node, location or compilation
/// inside one would defeat caching (equality by reference) and keep whole compilations alive.
/// </summary>
public class ModelPurityTests
{
    private static readonly Type[] Banned =
    {
        typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Location), typeof(Compilation),
        typeof(AdditionalText), typeof(Microsoft.CodeAnalysis.Text.SourceText), typeof(Diagnostic),
    };

    [Fact]
    public void Host_results_hold_no_Roslyn_objects()
    {
        var offenders = new List<string>();
        Walk(typeof(HostResult), new HashSet<Type>(), offenders, "HostResult");
        Assert.Empty(offenders);
    }

    private static void Walk(Type type, HashSet<Type> seen, List<string> offenders, string path)
    {
        if (!seen.Add(type) || type.IsPrimitive || type == typeof(string) || type.IsEnum) return;
        if (Banned.Any(b => b.IsAssignableFrom(type)))
        {
            offenders.Add(path + ": " + type.Name);
            return;
        }
        foreach (var argument in type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes)
        {
            Walk(argument, seen, offenders, path + "<" + argument.Name + ">");
        }
        if (type.Namespace?.StartsWith("MetricLoss", StringComparison.Ordinal) != true) return;
        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            Walk(field.FieldType, seen, offenders, path + "." + field.Name);
        }
        // Derived records (BoundExpression's cases) travel in the model too.
        foreach (var derived in type.Assembly.GetTypes().Where(t => t.BaseType == type))
        {
            Walk(derived, seen, offenders, path + "(" + derived.Name + ")");
        }
    }

    [Fact]
    public void Equal_texts_give_equal_models()
    {
        const string text = "metric M(score: real[n], label: bool[n], tau: real = 1) { maximize mean[n](score[n] > 0 & label[n]); }";
        var first = Hosts.MetricFileHost.Compile("m.metric", Microsoft.CodeAnalysis.Text.SourceText.From(text), null, default);
        var second = Hosts.MetricFileHost.Compile("m.metric", Microsoft.CodeAnalysis.Text.SourceText.From(text), null, default);
        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
    }
}
