using System.ComponentModel;
using TorchSharp;

namespace MetricLoss.Runtime;

/// <summary>
/// TorchSharp Scalars that live as long as the process, for the calls that need a constant one.
/// </summary>
/// <remarks>
/// Called by generated code; public only for that. TorchSharp 0.107's <see cref="Scalar"/> is finalizable and hands
/// LibTorch its native pointer as a plain integer, so a Scalar that nothing references after that read (the
/// temporary of an implicit conversion, or the <c>1</c> that <c>Tensor.add(Tensor)</c> creates for its alpha) can
/// be freed by a garbage collection on another thread while LibTorch still reads it: a use after free, seen as
/// random LibTorch check failures in <c>Scalar::toDouble</c> under load. MetricLoss therefore passes every Scalar
/// from a <c>using</c> local or from a field of this class (tests/Generator.Tests/ScalarLifetimeTests checks the
/// runtime and the generated code). LibTorch only reads a Scalar, so one instance serves every thread.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class KeptScalars
{
    /// <summary>The integer 1, the alpha of <c>a.add(b, One)</c> (a + 1·b).</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>The integer 2, the exponent of <c>x.pow(Two)</c>: TorchSharp's <c>square()</c> is <c>pow(2)</c> with a
    /// temporary Scalar.</summary>
    public static readonly Scalar Two = 2.ToScalar();

    // An explicit static constructor makes the initialiser run at first use (no beforefieldinit), after the caller
    // has loaded LibTorch, rather than whenever the runtime chooses.
    static KeptScalars()
    {
    }
}
