using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// The run-time half of the binder's checks of constant parts (<see cref="BoundMetric.Requirements"/>): inside
/// <c>Options.ValidateOwn</c>, each temperature written as arithmetic, cut-off and constant divisor is computed
/// from the option values as written (plain arithmetic, element by element for a vector option) and refused with
/// an ArgumentException that names the metric, the expression and the options it read.
/// </summary>
internal static class RequirementEmitter
{
    private const string Checks = "global::MetricLoss.Runtime.DerivedOptionChecks";

    public static void Emit(BoundMetric metric, SourceWriter w)
    {
        for (var r = 0; r < metric.Requirements.Count; r++)
        {
            var requirement = metric.Requirements[r];
            var references = ConstantExpression.OptionRefs(requirement.Value);
            var variables = references.Where(o => o.IndexVariable is not null).Select(o => o.IndexVariable!).Distinct().ToList();
            var loops = new List<System.IDisposable>();
            foreach (var variable in variables)
            {
                var counter = Counter(variables, variable);
                var lengths = references.Where(o => o.IndexVariable == variable).Select(o => Property(metric, o) + ".Length").Distinct().ToList();
                var length = lengths.Skip(1).Aggregate(lengths[0], (a, b) => $"global::System.Math.Min({a}, {b})");
                loops.Add(w.Block($"for (var {counter} = 0; {counter} < {length}; {counter}++)"));
            }

            var value = Local.Temporary("v", r);
            w.Line($"var {value} = {Code(metric, requirement.Value, variables)};");
            using (w.Block($"if (!{Checks}.Holds({value}, {CSharp.Double(requirement.Bound)}, strict: {(requirement.Strict ? "true" : "false")}))"))
            {
                // The names as string literals, not nameof(...): a namespace part called nameof would turn it into that namespace.
                var names = references.Select(o => o.IndexVariable is null
                    ? CSharp.String(Shown(metric, o))
                    : $"{CSharp.String(Shown(metric, o) + "[")} + {Counter(variables, o.IndexVariable)}.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \"]\"");
                var values = references.Select(o => Read(metric, o, variables));
                var parameter = string.Join(", ", references.Select(o => Shown(metric, o)).Distinct());
                w.Line($"throw {Checks}.Failure(metric, {CSharp.String(requirement.Subject)}, {CSharp.String(requirement.Condition + requirement.Reason)}, {value},");
                w.Line($"    new[] {{ {string.Join(", ", names)} }}, new double[] {{ {string.Join(", ", values)} }}, {CSharp.String(parameter)});");
            }
            for (var l = loops.Count - 1; l >= 0; l--) loops[l].Dispose();
        }
    }

    private static string Counter(List<string> variables, string variable) => Local.Temporary("p", variables.IndexOf(variable));

    /// <summary>The option's property as the user reads it in a message (without the @ of an escaped keyword).</summary>
    private static string Shown(BoundMetric metric, BoundOptionRef reference) => Property(metric, reference).TrimStart('@');

    private static string Property(BoundMetric metric, BoundOptionRef reference) =>
        MetricShape.Property(metric.Options.First(o => o.Name == reference.Option));

    /// <summary>An option's value as a double: ints are converted so that k / 2 is not an integer division.</summary>
    private static string Read(BoundMetric metric, BoundOptionRef reference, List<string> variables)
    {
        var element = Property(metric, reference) + (reference.IndexVariable is null ? "" : $"[{Counter(variables, reference.IndexVariable)}]");
        return reference.Kind == ValueKind.Bool ? $"({element} ? 1d : 0d)" : $"(double){element}";
    }

    /// <summary>The part as a C# double expression, evaluated as written (a / b is a plain division here).</summary>
    private static string Code(BoundMetric metric, BoundExpression expression, List<string> variables) => expression switch
    {
        BoundNumber number => CSharp.Double(number.Value),
        BoundOptionRef option => Read(metric, option, variables),
        BoundUnary unary => $"(-{Code(metric, unary.Operand, variables)})",
        BoundBinary { Operator: BinaryOperator.Power } power =>
            $"global::System.Math.Pow({Code(metric, power.Left, variables)}, {Code(metric, power.Right, variables)})",
        BoundBinary binary => $"({Code(metric, binary.Left, variables)} {Symbol(binary.Operator)} {Code(metric, binary.Right, variables)})",
        _ => throw new System.InvalidOperationException($"not a constant part: {expression.GetType().Name}"),
    };

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        _ => throw new System.InvalidOperationException($"not an arithmetic operator: {op}"),
    };
}
