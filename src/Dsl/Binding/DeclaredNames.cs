using System.Collections.Generic;
using MetricLoss.Dsl.Syntax;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Dsl.Binding;

/// <summary>One name a definition declares, where, and what it names (for messages: "a parameter").</summary>
internal readonly record struct DeclaredName(string Name, SourceSpan Span, string What);

/// <summary>
/// Every name a metric declares, in source order: the metric, its parameters, the axes of their types, its statements,
/// their axes, and the binders of its reductions. These are the names that reach the generated C#, as identifiers or
/// inside them (an axis <c>n</c> becomes the local <c>size__n</c>).
/// </summary>
internal static class DeclaredNames
{
    public static IEnumerable<DeclaredName> Of(MetricSyntax metric)
    {
        yield return new DeclaredName(metric.Name, metric.NameSpan, "a metric");
        foreach (var parameter in metric.Parameters)
        {
            yield return new DeclaredName(parameter.Name, parameter.NameSpan, "a parameter");
            foreach (var axis in parameter.Type.Axes) yield return new DeclaredName(axis.Name, axis.Span, "an axis");
            if (parameter.Type.IndexAxis is { } indexAxis) yield return new DeclaredName(indexAxis, parameter.Type.Span, "an axis");
        }
        foreach (var item in metric.Body)
        {
            if (item.Statement is { } statement)
            {
                yield return new DeclaredName(statement.Name, statement.NameSpan, "a statement");
                foreach (var axis in statement.Axes) yield return new DeclaredName(axis.Name, axis.Span, "an axis");
            }
            var binders = new List<DeclaredName>();
            CollectBinders(item.Statement?.Value ?? item.Goal!.Value, binders);
            foreach (var binder in binders) yield return binder;
        }
    }

    /// <summary>The binders of an expression's reductions (TextLimits bounds the nesting this recursion follows).</summary>
    private static void CollectBinders(ExpressionSyntax expression, List<DeclaredName> binders)
    {
        switch (expression)
        {
            case ReductionSyntax reduction:
                foreach (var binder in reduction.Binders) binders.Add(new DeclaredName(binder.Axis.Name, binder.Axis.Span, "an axis"));
                foreach (var argument in reduction.Arguments) CollectBinders(argument, binders);
                break;
            case UnarySyntax unary: CollectBinders(unary.Operand, binders); break;
            case BinarySyntax binary: CollectBinders(binary.Left, binders); CollectBinders(binary.Right, binders); break;
            case ComparisonSyntax comparison: CollectBinders(comparison.Left, binders); CollectBinders(comparison.Right, binders); break;
            case TemperatureSyntax temperature: CollectBinders(temperature.Target, binders); CollectBinders(temperature.Temperature, binders); break;
            case CallSyntax call: foreach (var argument in call.Arguments) CollectBinders(argument, binders); break;
            case ListSyntax list: foreach (var element in list.Items) CollectBinders(element, binders); break;
        }
    }
}
