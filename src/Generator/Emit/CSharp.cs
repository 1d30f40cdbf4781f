using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;

namespace MetricLoss.Generator.Emit;

/// <summary>C# spelling helpers: identifiers, literals (invariant culture, round-trip) and qualified names.</summary>
internal static class CSharp
{
    public const string Tensor = "global::TorchSharp.torch.Tensor";
    public const string Torch = "global::TorchSharp.torch";
    public const string Ops = "global::MetricLoss.Runtime.MetricOps";
    public const string Kept = "global::MetricLoss.Runtime.KeptScalars";

    /// <summary>
    /// A name usable as a C# identifier: keywords get an <c>@</c>, contextual ones too (a class <c>file</c> is an error,
    /// <c>@file</c> is not), including those newer than the Roslyn this generator is built against.
    /// </summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None || NewerKeywords.Contains(name)
            ? "@" + name
            : name;

    /// <summary>Contextual keywords of recent C# versions, which the Roslyn this generator references (4.14) may not know.</summary>
    private static readonly string[] NewerKeywords = { "extension", "field", "allows" };

    /// <summary>A dotted namespace with each part usable in C# (<c>my.class</c> → <c>my.@class</c>).</summary>
    public static string Namespace(string name) => string.Join(".", name.Split('.').Select(Identifier));

    public static string Double(double value)
    {
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        if (double.IsNaN(value)) return "double.NaN";
        return value.ToString("R", CultureInfo.InvariantCulture) + "d";
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string String(string value) => SymbolDisplay.FormatLiteral(value, quote: true);
}
