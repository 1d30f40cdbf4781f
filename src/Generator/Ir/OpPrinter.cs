using System;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using MetricLoss.Generator.Emit;

namespace MetricLoss.Generator.Ir;

/// <summary>
/// Prints a lowered value as C#: each operation's form is a template with its operands in place, so printing decides
/// nothing (what to compute, where to narrow, what to share is settled in the tree it is given).
/// </summary>
internal static class OpPrinter
{
    private const string Ops = CSharp.Ops;
    private const string Dense = "global::MetricLoss.Runtime.DenseOps";
    private const string Math = "global::System.Math";
    private const string Ranking = "global::MetricLoss.Runtime.Ranking";

    public static string Print(Op op)
    {
        var text = new StringBuilder();
        Print(op, text);
        return text.ToString();
    }

    private static void Print(Op op, StringBuilder text)
    {
        // A tree is as deep as the definition's expressions (TextLimits, LoweringLimits); should one still be too
        // deep, this throws (MTR0900) where running out of stack would kill the compiler.
        RuntimeHelpers.EnsureSufficientExecutionStack();
        switch (op)
        {
            case NameOp name:
                text.Append(name.Text);
                break;
            case LeafOp leaf:
                text.Append(Local.Leaves).Append('[').Append(leaf.Index).Append(']');
                if (leaf.NarrowedHere) text.Append(".narrow(").Append(leaf.Dimension).Append(", ").Append(Local.Start).Append(", ").Append(Local.Length).Append(')');
                break;
            case ListOp list:
                PrintList(list, text);
                break;
            case CallOp call:
                Fill(Template(call.Code), call, text);
                break;
            default:
                throw new InvalidOperationException($"{op.GetType().Name} has no printed form");
        }
    }

    private static void PrintList(ListOp list, StringBuilder text)
    {
        var (open, separator, close) = list.Kind switch
        {
            ListKind.Longs => ("new long[] { ", ", ", " }"),
            ListKind.Tensors => ($"new {CSharp.Tensor}[] {{ ", ", ", " }"),
            ListKind.Count => ("(double)(", " * ", ")"),
            ListKind.Terms => ("", " + ", ""),
            _ => ("", ", ", ""),
        };
        if (list.Kind == ListKind.Longs && list.Items.Count == 0)
        {
            text.Append("new long[0]");
            return;
        }
        text.Append(open);
        for (var k = 0; k < list.Items.Count; k++)
        {
            if (k > 0) text.Append(separator);
            Print(list.Items[k], text);
        }
        text.Append(close);
    }

    /// <summary>The template with <c>{k}</c> replaced by operand k.</summary>
    private static void Fill(string template, CallOp call, StringBuilder text)
    {
        for (var position = 0; position < template.Length; position++)
        {
            var c = template[position];
            if (c == '{' && position + 2 < template.Length && char.IsDigit(template[position + 1]) && template[position + 2] == '}')
            {
                Print(call.Operands[template[position + 1] - '0'], text);
                position += 2;
            }
            else
            {
                text.Append(c);
            }
        }
    }

    private static string Template(OpCode code) => code switch
    {
        OpCode.NumberNegate => "(-{0})",
        OpCode.NumberNot => "(1d - {0})",
        OpCode.NumberAdd => "({0} + {1})",
        OpCode.NumberSubtract => "({0} - {1})",
        OpCode.NumberMultiply => "({0} * {1})",
        OpCode.NumberReciprocal => "1d / {0}",
        OpCode.NumberPower => Math + ".Pow({0}, {1})",
        OpCode.NumberGreater => "({0} > {1} ? 1d : 0d)",
        OpCode.NumberGreaterOrEqual => "({0} >= {1} ? 1d : 0d)",
        OpCode.NumberNonZero => "{0} != 0d ? 1d : 0d",
        OpCode.NumberWhere => "({0} != 0d ? {1} : {2})",
        OpCode.NumberExp => Math + ".Exp({0})",
        OpCode.NumberAbs => Math + ".Abs({0})",
        OpCode.NumberMin => Math + ".Min({0}, {1})",
        OpCode.NumberMax => Math + ".Max({0}, {1})",
        OpCode.NumberSqrt => Math + ".Sqrt({0})",
        OpCode.NumberLog => Math + ".Log({0})",
        OpCode.NumberLog2 => Math + ".Log({0}, 2d)",
        OpCode.NumberAnyOf => "(1d - " + Math + ".Pow(1d - {0}, {1}))",

        OpCode.Negate => "{0}.neg()",
        OpCode.Not => Ops + ".Not({0})",
        OpCode.Add => "{0}.add({1}, " + CSharp.Kept + ".One)",
        OpCode.Subtract => "{0}.sub({1})",
        OpCode.Multiply => "{0}.mul({1})",
        OpCode.AddNumber => Ops + ".Add({0}, {1})",
        OpCode.SubtractNumber => Ops + ".Subtract({0}, {1})",
        OpCode.MultiplyNumber => Ops + ".Multiply({0}, {1})",
        OpCode.Or => Ops + ".Or({0}, {1})",
        OpCode.Power => Ops + ".Power({0}, {1})",
        OpCode.DivideSmooth => Ops + ".DivideSmooth({0}, {1}, {2})",
        OpCode.DivideByConstant => Ops + ".DivideByConstant({0}, {1})",
        OpCode.DivideExact => Ops + ".DivideExact({0}, {1})",
        OpCode.Greater => Ops + ".Greater({0}, {1}, {2})",
        OpCode.Minimum => Ops + ".Minimum({0}, {1})",
        OpCode.Maximum => Ops + ".Maximum({0}, {1})",
        OpCode.Difference => Ops + ".Difference({0}, {1})",
        OpCode.RelaxPairwise => Ops + ".RelaxPairwise({0}, {1}, {2}, {3})",
        OpCode.Relax => Ops + ".Relax({0}, {1}, {2})",
        OpCode.RelaxDifference => Ops + ".RelaxDifference({0}, {1}, {2})",
        OpCode.StepDifference => Ops + ".StepDifference({0}, {1})",
        OpCode.Step => Ops + ".Step({0})",
        OpCode.Exp => "{0}.exp()",
        OpCode.Abs => "{0}.abs()",
        OpCode.SqrtSmooth => Ops + ".SqrtSmooth({0}, {1})",
        OpCode.LogSmooth => Ops + ".LogSmooth({0}, {1})",
        OpCode.Log2Smooth => Ops + ".Log2Smooth({0}, {1})",
        OpCode.Sqrt => "{0}.sqrt()",
        OpCode.Log => "{0}.log()",
        OpCode.Log2 => "{0}.log2()",
        OpCode.Fill => Ops + ".Fill({0}, {1})",
        OpCode.Where => Ops + ".Where({0}, {1}, {2})",
        OpCode.NonZero => Ops + ".NonZero({0})",

        OpCode.Full => Ops + ".Full({0}, {1}, {2}, {3})",
        OpCode.Expand => "{0}.expand({1})",
        OpCode.Permute => "{0}.permute({1})",
        OpCode.Unsqueeze => "{0}.unsqueeze({1})",
        OpCode.ToType => "{0}.to_type({1})",
        OpCode.Contiguous => "{0}.contiguous()",
        OpCode.Reshape => "{0}.reshape({1})",

        OpCode.Sum => "{0}.sum({1}, false)",
        OpCode.Mean => "{0}.mean({1}, false)",
        OpCode.Max => "{0}.amax({1}, false)",
        OpCode.Min => "{0}.amin({1}, false)",
        OpCode.Any => Ops + ".Any({0}, {1})",
        OpCode.All => Ops + ".All({0}, {1})",
        OpCode.SumWhere => Dense + ".SumWhere({0}, {1}, {2})",
        OpCode.MeanMasked => Dense + ".MeanMasked({0}, {1}, {2})",
        OpCode.MaxMasked => Dense + ".MaxMasked({0}, {1}, {2})",
        OpCode.MinMasked => Dense + ".MinMasked({0}, {1}, {2})",
        OpCode.AnyMasked => Dense + ".AnyMasked({0}, {1}, {2})",
        OpCode.AllMasked => Dense + ".AllMasked({0}, {1}, {2})",

        OpCode.Positions => Dense + ".Positions({0}, {1})",
        OpCode.PositionRange => Dense + ".PositionRange({0}, {1}, {2})",
        OpCode.Index => "{0}.index({1})",
        OpCode.Keep => Dense + ".Keep({0}, {1})",
        OpCode.KeepWhere => Dense + ".KeepWhere({0}, {1}, {2})",
        OpCode.Exclude => Dense + ".Exclude({0}, {1}, {2})",
        OpCode.LogicalAnd => "{0}.logical_and({1})",
        OpCode.IdealDcg => Dense + ".IdealDcg({0}, {1}, {2})",
        OpCode.Support => Dense + ".Support({0}, {1})",
        OpCode.RequirePairwiseBudget => Dense + ".RequirePairwiseBudget({0}, {1}, {2}, {3})",
        OpCode.Concatenate => CSharp.Torch + ".cat({0}, 0)",

        OpCode.OwnAnchorGenerator => "{0}.Generator is null ? " + Dense + ".AnchorGenerator({0}.Seed, {1}) : null",
        OpCode.AnchorGenerator => "{0}.Generator ?? {1}!",
        OpCode.AnchorCount => "{0}.shape[0]",
        OpCode.AnchorBlock => Dense + ".AnchorBlock({0}, {1}, {2})",
        OpCode.Numel => "{0}.numel()",

        OpCode.TieGroups => "new " + Ranking + ".TieGroups({0})",
        OpCode.CountAbove => "{0}.CountAbove({1}, strict: {2}, excludeSelf: {3})",
        OpCode.StepCountAbove => "{0}.StepCountAbove({1}, excludeSelf: {2})",
        OpCode.SmoothRankSum => Ranking + ".SmoothRankSums.Sum({0}, {1}, {2}, excludeSelf: {3}, {4})",
        OpCode.SmoothRankSumAt => Ranking + ".SmoothRankSums.Sum({0}, {1}, {2}, excludeSelf: {3}, {4}, rows: {5})",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "no printed form"),
    };
}
