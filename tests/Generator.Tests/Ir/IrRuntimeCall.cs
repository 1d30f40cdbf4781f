using System.Reflection;
using System.Text.RegularExpressions;
using MetricLoss.Generator.Ir;
using MetricLoss.Runtime;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// The runtime helper an operation prints as (OpPrinter: <c>global::MetricLoss.Runtime.MetricOps.DivideSmooth({0}, {1}, {2})</c>),
/// called by reflection with the overload C# would pick for the operands' run-time types. Reading the method from the
/// printer rather than from a table of our own means the evaluator calls what the generated code calls.
/// </summary>
internal static class IrRuntimeCall
{
    private static readonly Regex Printed = new(@"^global::(?<type>[\w.]+)\.(?<method>\w+)\((?<arguments>.*)\)$", RegexOptions.CultureInvariant);
    private static readonly Regex Argument = new(@"^(\w+: )?#(?<k>\d+)#$", RegexOptions.CultureInvariant);

    /// <summary>The static method the call prints as, or null when its printed form is not one (a tensor method, an operator).</summary>
    public static (Type Type, string Method)? Target(CallOp call)
    {
        var placeholders = Enumerable.Range(0, call.Operands.Count).Select(k => Op.Name($"#{k}#")).ToArray();
        var text = OpPrinter.Print(Op.Call(call.Code, placeholders));
        var match = Printed.Match(text);
        if (!match.Success) return null;
        // Every operand once, in order, as a plain argument: otherwise the form is more than a call (a conditional, say).
        var arguments = match.Groups["arguments"].Value.Length == 0 ? Array.Empty<string>() : match.Groups["arguments"].Value.Split(", ");
        if (arguments.Length != call.Operands.Count) return null;
        for (var k = 0; k < arguments.Length; k++)
        {
            var argument = Argument.Match(arguments[k]);
            if (!argument.Success || int.Parse(argument.Groups["k"].Value) != k) return null;
        }
        var type = typeof(MetricOps).Assembly.GetType(match.Groups["type"].Value);
        return type is null ? null : (type, match.Groups["method"].Value);
    }

    /// <summary>Calls the overload of <paramref name="method"/> that fits <paramref name="arguments"/> best (exact types before conversions).</summary>
    public static object? Invoke(Type type, string method, object?[] arguments, OpCode code)
    {
        var candidates = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m.Name == method && m.GetParameters().Length == arguments.Length)
            .Select(m => (Method: m, Cost: Cost(m.GetParameters(), arguments)))
            .Where(c => c.Cost >= 0)
            .OrderBy(c => c.Cost)
            .ToList();
        if (candidates.Count == 0)
        {
            var types = string.Join(", ", arguments.Select(a => a?.GetType().Name ?? "null"));
            throw new InvalidOperationException($"IR evaluator: {code} prints as {type.Name}.{method}, which has no overload for ({types})");
        }
        var chosen = candidates[0].Method;
        var converted = chosen.GetParameters().Select((p, k) => Convert(arguments[k], p.ParameterType)).ToArray();
        try
        {
            return chosen.Invoke(null, converted);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    /// <summary>The conversions a call needs (0 for exact types), or −1 when an argument does not fit.</summary>
    private static int Cost(ParameterInfo[] parameters, object?[] arguments)
    {
        var cost = 0;
        for (var k = 0; k < parameters.Length; k++)
        {
            var step = Cost(parameters[k].ParameterType, arguments[k]);
            if (step < 0) return -1;
            cost += step;
        }
        return cost;
    }

    private static int Cost(Type parameter, object? argument)
    {
        if (argument is null) return !parameter.IsValueType || Nullable.GetUnderlyingType(parameter) is not null ? 0 : -1;
        if (parameter.IsInstanceOfType(argument)) return 0;
        // C#'s implicit numeric conversions of the literals and sizes the lowering prints (1d / o__k, size__n as a double).
        return (parameter, argument) switch
        {
            _ when parameter == typeof(double) && argument is long or int => 1,
            _ when parameter == typeof(long) && argument is int => 1,
            _ when Nullable.GetUnderlyingType(parameter) is { } underlying => Cost(underlying, argument),
            _ => -1,
        };
    }

    private static object? Convert(object? value, Type type)
    {
        if (value is null || type.IsInstanceOfType(value)) return value;
        var target = Nullable.GetUnderlyingType(type) ?? type;
        return System.Convert.ChangeType(value, target, System.Globalization.CultureInfo.InvariantCulture);
    }
}
