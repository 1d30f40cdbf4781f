namespace MetricLoss.Generator.Lowering;

/// <summary>
/// How far the generator follows a definition (docs/diagnostics.md, MTR0151). A bound expression is only as deep as
/// its text allows (the parser's TextLimits), but the support rewrite inlines the statements a masked sum reads into
/// that sum, so a chain of statements becomes one expression as deep as the chain. The lowering and the printers recurse over
/// expressions, and so does the C# compiler over the code written from them; a stack overflow kills the compiler
/// (it cannot be caught), so a rewrite beyond these limits refuses the metric with a diagnostic instead.
/// Real metrics inline a few statements a few levels deep.
/// </summary>
internal static class LoweringLimits
{
    /// <summary>
    /// Nesting depth of a masked sum once the statements it reads on its mask's support are inlined: about what one
    /// statement within TextLimits can reach, so emitting a rewritten sum needs no more stack than emitting a statement.
    /// </summary>
    public const int MaxInlinedDepth = 128;

    /// <summary>Terms (expression nodes) of a masked sum once inlined, each inlined statement counted once however often it is read.</summary>
    public const int MaxInlinedSize = 4096;
}
