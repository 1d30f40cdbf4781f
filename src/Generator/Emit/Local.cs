using System.Globalization;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// The one naming scheme of every identifier the emitter declares inside a method: locals and lambda parameters.
/// The public methods' parameters are the definition's own names (an input keeps its name, so that callers can name
/// their arguments), and so are the class, namespace and option properties. No name of a definition contains "__"
/// (MTR0116; C# reserves such identifiers for the implementation too), and every name here does, so none of them
/// can be a parameter, a keyword or a user's name, whatever the definition says. Three forms:
/// <list type="bullet">
/// <item><c>role__name</c>: a value of a name of the definition (<c>x__score</c>: the input <c>score</c> in the
/// program's dtype; <c>size__n</c>: the size of axis <c>n</c>);</item>
/// <item><c>role__k</c>: the k-th emitter temporary of a kind (<c>t__0</c>), k in digits, which no name starts with;</item>
/// <item><c>__word</c>: the fixed locals every entry point has (<c>__dtype</c>), an empty role.</item>
/// </list>
/// A role is lowercase letters only, so the text before the first "__" tells the forms and the roles apart: two
/// different (role, name) pairs never give one identifier. Names the lowering makes up (a support's positions,
/// the anchor axis) are <c>word__k</c>, so they are no user's name either (<c>size__p__0</c>).
/// </summary>
internal static class Local
{
    // The fixed locals of an entry point.
    public const string Options = "__options";
    public const string Shapes = "__shapes";
    public const string Scope = "__scope";
    public const string NoGrad = "__noGrad";
    public const string Dtype = "__dtype";
    public const string OutputType = "__outputType";
    public const string Device = "__device";
    public const string Eps = "__eps";
    public const string Relaxation = "__relaxation";
    public const string Goal = "__goal";
    public const string Smooth = "__smooth";

    // The parameters of a chunk's lambda (ChunkedReduction) and of the exact tail of an interpolation.
    public const string Leaves = "__L";
    public const string Start = "__start";
    public const string Length = "__length";
    public const string Anchors = "__anchors";

    // An Evaluator's lambdas and locals (EvaluatorEmitter).
    public const string Inputs = "__inputs";
    public const string Statistics = "__statistics";
    public const string Binned = "__binned";

    // The UniLoss surrogate of an interpolated metric.
    public const string Delta = "__delta";
    public const string Valid = "__valid";
    public const string OwnGenerator = "__ownGenerator";
    public const string Generator = "__generator";
    public const string Interpolated = "__interpolated";

    /// <summary>An input converted to the program's dtype.</summary>
    public static string Input(string name) => Of("x", name);

    /// <summary>The int64 copy of an <c>index&lt;c&gt;</c> input (never converted to floats).</summary>
    public static string Index(string name) => Of("ix", name);

    public static string Statement(string name) => Of("s", name);

    public static string Option(string name) => Of("o", name);

    public static string Size(string axis) => Of("size", axis);

    /// <summary>The <paramref name="k"/>-th temporary of a kind: t shared values, c chunked reductions, b chunk locals,
    /// g tie groups, d and w coordinate blocks and their validity, a anchor blocks, v a requirement's value and p its
    /// index counters (Options.ValidateOwn).</summary>
    public static string Temporary(string kind, int k) => kind + "__" + k.ToString(CultureInfo.InvariantCulture);

    private static string Of(string role, string name) => role + "__" + name;
}
