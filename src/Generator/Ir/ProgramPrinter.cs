using System;
using System.Globalization;
using System.Linq;
using MetricLoss.Generator.Emit;

namespace MetricLoss.Generator.Ir;

/// <summary>
/// Writes a lowered program's statements as C#: each statement's form, its values printed by <see cref="OpPrinter"/>.
/// It decides nothing: every local, check, chunk and its slicing is in the program it is given.
/// </summary>
internal static class ProgramPrinter
{
    public static void Print(LoweredProgram program, SourceWriter writer)
    {
        foreach (var statement in program.Statements) Print(statement, writer);
    }

    private static void Print(Statement statement, SourceWriter w)
    {
        switch (statement)
        {
            case Let let:
                w.Line($"{Declaration(let.Kind)} {let.Name} = {OpPrinter.Print(let.Value)};");
                break;
            case LetTuple tuple:
                w.Line($"var ({string.Join(", ", tuple.Names)}) = {OpPrinter.Print(tuple.Value)};");
                break;
            case Check check:
                w.Line($"{OpPrinter.Print(check.Call)};");
                break;
            case Return ret:
                w.Line($"return {OpPrinter.Print(ret.Value)};");
                break;
            case ChunkedReduction chunked:
                PrintChunked(chunked, w);
                break;
            case Interpolate interpolate:
                PrintInterpolate(interpolate, w);
                break;
            default:
                throw new InvalidOperationException($"{statement.GetType().Name} has no printed form");
        }
    }

    private static string Declaration(LetKind kind) => kind switch
    {
        LetKind.Number => "double",
        LetKind.Size => "long",
        LetKind.Owned => "using var",
        _ => "var",
    };

    /// <summary>The lambda's parameters: the leaves, the chunk's start and length.</summary>
    private static readonly string Parameters = $"({Local.Leaves}, {Local.Start}, {Local.Length})";

    private static void PrintChunked(ChunkedReduction chunked, SourceWriter w)
    {
        w.Line($"var {chunked.Name} = global::MetricLoss.Runtime.ChunkedReduction.Reduce(");
        w.Indent();
        if (chunked.Locals.Count == 0)
        {
            w.Line($"{Parameters} => {OpPrinter.Print(chunked.Result)},");
        }
        else
        {
            w.Line($"{Parameters} =>");
            w.Line("{");
            w.Indent();
            foreach (var local in chunked.Locals) Print(local, w);
            w.Line($"return {OpPrinter.Print(chunked.Result)};");
            w.Outdent();
            w.Line("},");
        }
        var shapes = chunked.Shapes.Select(shape => $", new long[] {{ {string.Join(", ", shape)} }}");
        w.Line($"new {CSharp.Tensor}[] {{ {string.Join(", ", chunked.Leaves)} }},");
        w.Line($"new long[] {{ {string.Join(", ", chunked.Slices.Select(s => s.ToString(CultureInfo.InvariantCulture)))} }},");
        w.Line($"{OpPrinter.Print(chunked.Size)}, global::MetricLoss.Runtime.ChunkedReduction.ChunkLength({Local.Options}.MaxPairwiseElements{string.Concat(shapes)}), {Local.Options}.MaxPairwiseElements,");
        var combine = chunked.Concatenate ? "Concatenate" : "Sum";
        w.Line($"{chunked.Dimension}, global::MetricLoss.Runtime.ChunkCombine.{combine}, differentiable: {(chunked.Differentiable ? "true" : "false")});");
        w.Outdent();
    }

    private static void PrintInterpolate(Interpolate interpolate, SourceWriter w)
    {
        w.Line($"var {interpolate.Name} = global::MetricLoss.Interpolation.UniLossSurrogate.Evaluate(");
        w.Indent();
        w.Line($"{interpolate.Delta}, {interpolate.Valid}, 1d, {Local.Options}.AnchorsGood, {Local.Options}.AnchorsNearby, {Local.Options}.AnchorsRandom, {interpolate.Generator},");
        w.Line($"{Local.Anchors} =>");
        w.Line("{");
        w.Indent();
        foreach (var statement in interpolate.Tail) Print(statement, w);
        w.Outdent();
        w.Line("},");
        w.Line($"{Local.Eps}, {Local.Relaxation});");
        w.Outdent();
    }
}
