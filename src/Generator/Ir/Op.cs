using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Text;

namespace MetricLoss.Generator.Ir;

/// <summary>
/// A value of a lowered program: a tree of typed tensor and number operations (<see cref="OpCode"/>) over named
/// values (inputs, statements, options, sizes, the entry point's fixed locals) and a chunk's leaves. The lowering
/// (Lowering/ProgramLowering) builds it with every decision made; the passes read and rewrite it (a chunk's leaf slicing
/// and its locals, Ir/ChunkLeafSlicing and Ir/ChunkLocalInlining); <see cref="OpPrinter"/> turns it into C# and decides
/// nothing. Records, so equal values are equal trees (a chunk's equal subexpressions are found by ==).
/// </summary>
internal abstract record Op
{
    /// <summary>A named value or a literal, as it is printed (<c>s__tp</c>, <c>__eps</c>, <c>1d</c>, <c>true</c>).</summary>
    public static Op Name(string text) => new NameOp(text);

    /// <summary>An operation on its operands, in the order of <see cref="OpCode"/>'s documentation.</summary>
    public static Op Call(OpCode code, params Op[] operands) => new CallOp(code, new EquatableArray<Op>(operands));

    /// <summary>A list of sizes or dimensions, <c>new long[] { … }</c>.</summary>
    public static Op Longs(IEnumerable<Op> items) => new ListOp(ListKind.Longs, items.ToEquatableArray());

    /// <summary>A list of dimensions as a method's trailing arguments (<c>permute(1, 0)</c>).</summary>
    public static Op Arguments(IEnumerable<Op> items) => new ListOp(ListKind.Arguments, items.ToEquatableArray());

    /// <summary>A list of tensors, <c>new Tensor[] { … }</c>.</summary>
    public static Op Tensors(IEnumerable<Op> items) => new ListOp(ListKind.Tensors, items.ToEquatableArray());

    /// <summary>The number of positions of some axes, a double: <c>(double)(size__n * size__m)</c>.</summary>
    public static Op Count(IEnumerable<Op> sizes) => new ListOp(ListKind.Count, sizes.ToEquatableArray());

    /// <summary>A sum of terms, <c>a + b + c</c> (offsets into the anchors).</summary>
    public static Op Terms(IEnumerable<Op> terms) => new ListOp(ListKind.Terms, terms.ToEquatableArray());

    public static Op Int(long value) => new NameOp(value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Op Bool(bool value) => new NameOp(value ? "true" : "false");
}

/// <summary>A named value or a literal (see <see cref="Op.Name"/>).</summary>
internal sealed record NameOp(string Text) : Op;

/// <summary>
/// An operation and its operands. <see cref="Axes"/>: for a tensor-valued operation that the lowering made a value of
/// the program (an expression's value, a mask), the axis variables its dimensions stand for, in order; null for a
/// number and for the views and indices the lowering builds along the way.
/// </summary>
internal sealed record CallOp(OpCode Code, EquatableArray<Op> Operands) : Op
{
    public EquatableArray<string>? Axes { get; init; }

    /// <summary>The same operation on the same operands is the same value, whatever axes a use recorded for it.</summary>
    public bool Equals(CallOp? other) => other is not null && Code == other.Code && Operands.Equals(other.Operands);

    public override int GetHashCode() => ((int)Code * 397) ^ Operands.GetHashCode();
}

internal enum ListKind
{
    Longs,
    Arguments,
    Tensors,
    Count,
    Terms,
}

/// <summary>A list (see <see cref="Op.Longs"/>, <see cref="Op.Arguments"/>, <see cref="Op.Tensors"/>, <see cref="Op.Count"/>).</summary>
internal sealed record ListOp(ListKind Kind, EquatableArray<Op> Items) : Op;

/// <summary>
/// A tensor of the enclosing program read inside a chunk's body through the lambda's leaf array, <c>__L[Index]</c>.
/// <see cref="Dimension"/> is the dimension along which the body reads it narrowed to the chunk (−1: read whole).
/// Whether the body narrows it itself, or ChunkedReduction hands it over narrowed already (the leaf is sliced), is the
/// decision of <see cref="ChunkLeafSlicing"/>, recorded in <see cref="NarrowedHere"/> before printing.
/// </summary>
internal sealed record LeafOp(int Index, int Dimension, bool NarrowedHere = false) : Op
{
    /// <summary>The <see cref="Dimension"/> of a leaf read whole.</summary>
    public const int Whole = -1;
}
