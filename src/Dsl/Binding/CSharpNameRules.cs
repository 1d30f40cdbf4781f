using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Diagnostics;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Binding;

/// <summary>
/// The rules that make every accepted definition's names usable in the generated C# (docs/language.md, "Names"),
/// decided here on the syntax, once, before binding. The generator escapes what C# can express: a C# keyword gets an
/// <c>@</c>, and everything it declares inside a method is spelt with "__" (Generator/Emit/Local). What it cannot
/// express is refused, at the name:
/// <list type="bullet">
/// <item>a name containing "__" (MTR0116): reserved for the generated code, as C# reserves it for the implementation;</item>
/// <item>a metric named like a member of its own class (<c>Exact</c>, <c>Options</c>, ...) or like a type C# refuses or
/// misreads (<c>var</c>) (MTR0116);</item>
/// <item>an option whose property every Options record already has (MTR0116), or which another option already
/// becomes (<c>tau_k</c> and <c>tauK</c>, MTR0101 at the second).</item>
/// </list>
/// </summary>
internal static class CSharpNameRules
{
    public static void Check(MetricSyntax metric, Action<DiagnosticKind, SourceSpan, string> report)
    {
        foreach (var declared in DeclaredNames.Of(metric).Where(d => Names.IsReservedForGeneratedCode(d.Name)))
        {
            report(DiagnosticCatalog.ReservedName, declared.Span,
                $"`{declared.Name}` cannot name {declared.What}: names containing `__` are reserved for the generated code");
        }
        if (Names.GeneratedMembers.Contains(metric.Name))
        {
            report(DiagnosticCatalog.ReservedName, metric.NameSpan,
                $"`{metric.Name}` cannot name a metric: the generated class of a metric has a member `{metric.Name}`; choose another name");
        }
        else if (Names.RefusedClassNames.Contains(metric.Name))
        {
            report(DiagnosticCatalog.ReservedName, metric.NameSpan,
                $"`{metric.Name}` cannot name a metric: a class named `{metric.Name}` would stand for C#'s `{metric.Name}` in the generated code; choose another name");
        }
        CheckOptionProperties(metric, report);
    }

    /// <summary>Each option's property is new to the Options record, and its own.</summary>
    private static void CheckOptionProperties(MetricSyntax metric, Action<DiagnosticKind, SourceSpan, string> report)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var option in metric.Parameters.Where(p => p.Default is not null && !Names.IsBuiltIn(p.Name)))
        {
            var property = Names.ToPascalCase(option.Name);
            if (Names.ReservedOptionProperties.Contains(property))
            {
                report(DiagnosticCatalog.ReservedName, option.NameSpan,
                    $"option `{option.Name}` would become the property `{property}`, which every Options record already has; choose another name");
            }
            else if (owners.TryGetValue(property, out var owner) && owner != option.Name)
            {
                report(DiagnosticCatalog.DuplicateName, option.NameSpan,
                    $"option `{option.Name}` would become the property `{property}`, as option `{owner}` does; rename one of them");
            }
            else
            {
                owners[property] = option.Name;
            }
        }
    }
}
