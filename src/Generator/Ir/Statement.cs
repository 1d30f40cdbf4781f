using MetricLoss.Dsl.Text;
using MetricLoss.Generator.Emit;

namespace MetricLoss.Generator.Ir;

/// <summary>
/// A statement of a lowered program (<see cref="LoweredProgram"/>): what the lowering decided, in order, for
/// <see cref="ProgramPrinter"/> to write as C#.
/// </summary>
internal abstract record Statement;

internal enum LetKind
{
    /// <summary><c>var name = value;</c>: a tensor.</summary>
    Tensor,
    /// <summary><c>double name = value;</c>.</summary>
    Number,
    /// <summary><c>long name = value;</c>: a size.</summary>
    Size,
    /// <summary><c>using var name = value;</c>: a value the program disposes itself (a sort kept for counts, a generator).</summary>
    Owned,
}

/// <summary>A local: a statement's value, a shared subexpression, a sort, a chunk's local.</summary>
internal sealed record Let(string Name, Op Value, LetKind Kind = LetKind.Tensor) : Statement;

/// <summary><c>var (names…) = value;</c>: a support's positions, validity and size (DenseOps.Support).</summary>
internal sealed record LetTuple(EquatableArray<string> Names, Op Value) : Statement;

/// <summary>
/// A check that throws on bad sizes (DenseOps.RequirePairwiseBudget) of a value over <see cref="Axes"/> (axis
/// variables): placed before the first statement that makes such a value (<see cref="CheckPlacement"/>).
/// </summary>
internal sealed record Check(Op Call, EquatableArray<string> Axes) : Statement;

/// <summary><c>return value;</c>: the per-anchor value of an interpolation's exact tail.</summary>
internal sealed record Return(Op Value) : Statement;

/// <summary>
/// A reduction computed chunk by chunk along an axis (ChunkedReduction.Reduce): the body, a lambda of the leaves and
/// the chunk's start and length, with its locals; the leaves (tensors of the program) and, per leaf, the dimension it
/// arrives sliced along (−1: whole; decided by <see cref="ChunkLeafSlicing"/>); the axis's size; the shapes of the
/// body's intermediates without the chunk axis (the largest sizes a chunk within the budget); the dimension of the
/// result the chunks are concatenated along, or, when <see cref="Concatenate"/> is false, summed.
/// </summary>
internal sealed record ChunkedReduction(
    string Name,
    EquatableArray<Let> Locals,
    Op Result,
    EquatableArray<string> Leaves,
    EquatableArray<int> Slices,
    Op Size,
    EquatableArray<EquatableArray<string>> Shapes,
    int Dimension,
    bool Concatenate,
    bool Differentiable) : Statement;

/// <summary>
/// The UniLoss surrogate of an interpolated metric (Interpolation/UniLossSurrogate.Evaluate): Δ and its validity
/// (<see cref="Delta"/>, <see cref="Valid"/>), the anchors' generator, and the exact tail evaluated for a batch of
/// anchors, <see cref="Tail"/>, ending in a <see cref="Return"/>.
/// </summary>
internal sealed record Interpolate(string Name, string Delta, string Valid, string Generator, EquatableArray<Statement> Tail) : Statement;
