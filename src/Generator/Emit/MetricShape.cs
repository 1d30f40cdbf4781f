using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Binding;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>Facts about a metric's signature that several emitters need.</summary>
internal static class MetricShape
{
    public static string Role(BoundInput input) => input.Kind switch
    {
        InputKind.Real => "Score",
        InputKind.ConstReal => "Constant",
        InputKind.Bool => "Label",
        InputKind.Int => "Integer",
        _ => "Index",
    };

    public static string TypeText(BoundInput input) => input.Kind switch
    {
        InputKind.Real => "real",
        InputKind.ConstReal => "const real",
        InputKind.Bool => "bool",
        InputKind.Int => "int",
        _ => $"index<{input.IndexAxis}>",
    };

    public static string Property(BoundOption option) => Names.ToPascalCase(option.Name);

    /// <summary>
    /// The metric's class from anywhere, <c>global::</c>-qualified: a parameter or an inherited member (Criterion's
    /// base classes have many) with the class's name would capture a plain <c>F1.Options</c>, and so would
    /// <c>Options</c> alone an input named <c>Options</c>.
    /// </summary>
    public static string Class(BoundMetric metric) =>
        "global::" + (metric.Namespace is null ? "" : CSharp.Namespace(metric.Namespace) + ".") + CSharp.Identifier(metric.Name);

    /// <summary>
    /// The entry points' options parameter: <c>options</c>, or <c>options_</c> (then <c>options__</c>) when an input
    /// already has that name. A definition's names never hold "__", so the last is always free.
    /// </summary>
    public static string OptionsParameter(BoundMetric metric)
    {
        var name = "options";
        while (metric.Inputs.Any(i => i.Name == name)) name += "_";
        return name;
    }

    public static string OptionType(BoundOption option)
    {
        var element = option.Kind switch { OptionKind.Int => "int", OptionKind.Bool => "bool", _ => "double" };
        return option.IsVector ? $"global::System.Collections.Immutable.ImmutableArray<{element}>" : element;
    }

    public static string OptionTypeText(BoundOption option)
    {
        var element = option.Kind switch { OptionKind.Int => "int", OptionKind.Bool => "bool", _ => "real" };
        return option.IsVector ? $"{element}[{option.VectorAxis}]" : element;
    }

    /// <summary>The input whose dtype and device the programs follow: the first differentiable one, else the first.</summary>
    public static BoundInput? Leading(BoundMetric metric) =>
        metric.Inputs.FirstOrDefault(i => i.IsDifferentiable) ?? metric.Inputs.FirstOrDefault();

    /// <summary>
    /// Options that are a temperature by themselves (they must be positive). An option inside a temperature written
    /// as arithmetic (<c>@ (0 - t)</c>) is not one: the whole expression is checked (<see cref="RequirementEmitter"/>).
    /// </summary>
    public static ISet<string> TemperatureOptions(BoundMetric metric)
    {
        var names = new HashSet<string>();
        void Visit(BoundExpression? expression)
        {
            switch (expression)
            {
                case BoundComparison c:
                    AddIfOption(c.Temperature, names);
                    Visit(c.Left);
                    Visit(c.Right);
                    break;
                case BoundStep s:
                    AddIfOption(s.Temperature, names);
                    Visit(s.Argument);
                    break;
                case BoundUnary u: Visit(u.Operand); break;
                case BoundBinary b: Visit(b.Left); Visit(b.Right); break;
                case BoundReduction r: Visit(r.Body); break;
                case BoundCall call: foreach (var a in call.Arguments) Visit(a); break;
                case BoundIdealDcg d: Visit(d.Gain); Visit(d.K); break;
            }
        }
        foreach (var statement in metric.Statements) Visit(statement.Value);
        Visit(metric.Goal);
        return names;
    }

    private static void AddIfOption(BoundExpression? temperature, ISet<string> names)
    {
        if (temperature is BoundOptionRef o) names.Add(o.Option);
    }

    /// <summary>Span overloads of Exact exist when every input is a vector (docs/architecture.md, "Generated API").</summary>
    public static bool HasSpanOverloads(BoundMetric metric) =>
        metric.Inputs.Count > 0 && metric.Inputs.All(i => i.Axes.Count == 1);
}
