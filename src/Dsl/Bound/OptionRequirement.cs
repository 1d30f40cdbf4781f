namespace MetricLoss.Dsl.Bound;

/// <summary>
/// A condition on a value computed from options: a temperature written as arithmetic (<c>tau - 1</c>), a
/// cut-off compared with a count (<c>k[m]</c> in <c>rank &lt;= k[m]</c>), a constant divisor. The binder
/// checked it with the defaults; the generated <c>Options</c> and the reference interpreter check it again
/// with the values given at run time, element by element for a vector option.
/// </summary>
/// <param name="Value">Numbers and options combined with + - * / ^ (<see cref="ConstantExpression.IsOptionArithmetic"/>).</param>
/// <param name="Bound">The value must be finite and at least (or, when <paramref name="Strict"/>, greater than) this.</param>
/// <param name="Subject">What the value is, for messages: "the temperature `tau - 1`".</param>
/// <param name="Reason">Why the bound, appended to the condition; empty when the subject says it.</param>
public sealed record OptionRequirement(BoundExpression Value, double Bound, bool Strict, string Subject, string Reason)
{
    /// <summary>Whether <paramref name="value"/> meets the condition (NaN and infinities never do).</summary>
    public bool IsMetBy(double value) =>
        !double.IsNaN(value) && !double.IsInfinity(value) && (Strict ? value > Bound : value >= Bound);

    /// <summary>"positive and finite", "at least 1", "greater than 0.5".</summary>
    public string Condition => Describe(Bound, Strict);

    public static string Describe(double bound, bool strict) =>
        strict && bound == 0 ? "positive and finite"
        : (strict ? "greater than " : "at least ") + bound.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
