using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// The XML documentation of generated members that several emitters share: what each input must be, the
/// <c>options</c> parameter, the exceptions of the entry points. Consumers that build with GenerateDocumentationFile
/// get CS1591 for any public generated member without a comment, so every public member gets one.
/// </summary>
internal static class DocComments
{
    /// <summary>Text as XML content: definitions contain <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c>.</summary>
    public static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A tensor input: its declaration, its shape, the dtypes <c>InputShapes</c> accepts for its role.</summary>
    public static void TensorParameters(BoundMetric metric, SourceWriter w)
    {
        foreach (var input in metric.Inputs)
        {
            w.Line($"/// <param name=\"{input.Name}\"><c>{Escape(Declaration(input))}</c>: {Shape(input)} of {Dtypes(input)}.</param>");
        }
        OptionsParameter(metric, w);
    }

    /// <summary>An input of a span overload: the values of the tensor input, as a flat array.</summary>
    public static void SpanParameters(BoundMetric metric, SourceWriter w, string real)
    {
        foreach (var input in metric.Inputs)
        {
            var values = input.Kind switch
            {
                InputKind.Real or InputKind.ConstReal => $"{real} values",
                InputKind.Bool => "bool values",
                InputKind.Index => $"positions along axis <c>{input.IndexAxis}</c> (0-based)",
                _ => "integers",
            };
            w.Line($"/// <param name=\"{input.Name}\"><c>{Escape(Declaration(input))}</c>: the {values}, one per position of <c>{input.Axes[0]}</c>.</param>");
        }
        OptionsParameter(metric, w);
    }

    private static void OptionsParameter(BoundMetric metric, SourceWriter w) =>
        w.Line($"/// <param name=\"{MetricShape.OptionsParameter(metric)}\">The options; null for <see cref=\"{MetricShape.Class(metric)}.Options.Default\"/>.</param>");

    /// <summary>What the prologue of a tensor entry point refuses (InputShapes, InputValues, Options.Validate, TorchNative).</summary>
    public static void Exceptions(SourceWriter w, bool checksValues, bool drawsAnchors = false)
    {
        var values = checksValues
            ? "; an input holds a value outside its domain (NaN in a real input, a label other than 0 and 1, an index out of range), "
              + "unless <see cref=\"global::MetricLoss.MetricOptions.ValidateValues\"/> is false"
            : "; with <see cref=\"global::MetricLoss.MetricOptions.ValidateValues\"/> true, an input holds a value outside its domain "
              + "(by default values are not checked: that would synchronise with the device)";
        var generator = drawsAnchors ? "; the Generator option is on another device than the inputs" : "";
        ArgumentException(w, "An input is null or disposed, has the wrong number of dimensions or dtype, lies on another device "
            + "than the first input, is empty along an axis, or gives an axis another size than an earlier input did"
            + values + "; an option is out of range" + generator);
        NativeLibraryException(w);
    }

    /// <summary>What a span overload refuses: the arrays become CPU tensors of the right rank and dtype, so only their lengths and values can be wrong.</summary>
    public static void SpanExceptions(SourceWriter w)
    {
        ArgumentException(w, "The arrays differ in length or one is empty; a value is outside its domain (NaN in a real input, "
            + "an index out of range); an option is out of range");
        NativeLibraryException(w);
    }

    private static void ArgumentException(SourceWriter w, string cases) =>
        w.Line($"/// <exception cref=\"global::System.ArgumentException\">{cases}; or a pairwise term evaluated densely would exceed "
            + "<see cref=\"global::MetricLoss.MetricOptions.MaxPairwiseElements\"/>.</exception>");

    private static void NativeLibraryException(SourceWriter w) =>
        w.Line("/// <exception cref=\"global::System.InvalidOperationException\">TorchSharp's native library cannot be loaded "
            + "(the message gives the dynamic loader's reason).</exception>");

    /// <summary><c>score: real[n]</c>, as in the definition.</summary>
    private static string Declaration(BoundInput input) =>
        input.Axes.Count == 0 ? $"{input.Name}: {MetricShape.TypeText(input)}" : $"{input.Name}: {MetricShape.TypeText(input)}[{string.Join(", ", input.Axes)}]";

    private static string Shape(BoundInput input) =>
        input.Axes.Count == 0 ? "a 0-dim tensor" : $"a tensor of shape [{string.Join(", ", input.Axes)}]";

    private static string Dtypes(BoundInput input) => input.Kind switch
    {
        InputKind.Real => "a floating dtype (float16, bfloat16, float32 or float64); the surrogate is differentiable with respect to it",
        InputKind.ConstReal => "any real or integer dtype; a constant (no gradient flows into it)",
        InputKind.Bool => "bool, or numbers that are 0 or 1",
        InputKind.Int => "an integer dtype",
        _ => $"int64 or int32: positions along axis <c>{input.IndexAxis}</c>, from 0 to its size − 1",
    };
}
