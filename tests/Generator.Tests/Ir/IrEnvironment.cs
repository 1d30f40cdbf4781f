using System.Globalization;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// The named values an evaluated program reads: the entry point's fixed locals and the program's own, in scopes (a
/// chunk's body and an interpolation's tail see the enclosing program's values and bind their own on top, as the
/// generated lambdas do). A name that is no binding is read as the C# literal it is printed as.
/// </summary>
internal sealed class IrEnvironment
{
    private readonly Dictionary<string, object?> _values = new(StringComparer.Ordinal);
    private readonly IrEnvironment? _parent;

    public IrEnvironment(IrEnvironment? parent = null) => _parent = parent;

    public void Bind(string name, object? value) => _values[name] = value;

    /// <summary>The value of a printed name: a binding, <c>binding.Property</c> (the options' settings), or a literal.</summary>
    public object? Read(string text)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._values.TryGetValue(text, out var value)) return value;
        }
        var dot = text.IndexOf('.');
        if (dot > 0 && !text.StartsWith("double.", StringComparison.Ordinal) && TryReadBinding(text[..dot], out var owner) && owner is not null)
        {
            var property = owner.GetType().GetProperty(text[(dot + 1)..])
                ?? throw new InvalidOperationException($"IR evaluator: `{text}`: {owner.GetType().Name} has no property {text[(dot + 1)..]}");
            return property.GetValue(owner);
        }
        return Literal(text);
    }

    private bool TryReadBinding(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope._parent)
        {
            if (scope._values.TryGetValue(name, out value)) return true;
        }
        value = null;
        return false;
    }

    /// <summary>The C# literals the lowering prints (CSharp.Double, Op.Int, Op.Bool, <c>0L</c>, <c>null</c>, strings).</summary>
    private static object? Literal(string text)
    {
        switch (text)
        {
            case "true": return true;
            case "false": return false;
            case "null": return null;
            case "double.PositiveInfinity": return double.PositiveInfinity;
            case "double.NegativeInfinity": return double.NegativeInfinity;
            case "double.NaN": return double.NaN;
        }
        if (text.StartsWith('"'))
        {
            // A metric's name or an axis list in a budget check: Roslyn reads the literal as the compiler would.
            var literal = (Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax)Microsoft.CodeAnalysis.CSharp.SyntaxFactory.ParseExpression(text);
            return literal.Token.ValueText;
        }
        if (text.EndsWith('d') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)) return number;
        if (text.EndsWith('L') && long.TryParse(text[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var suffixed)) return suffixed;
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return integer;
        throw new InvalidOperationException($"IR evaluator: no value named `{text}` (not bound by the entry point or the program, and not a literal)");
    }
}
