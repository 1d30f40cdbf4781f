using System;
using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// Lowers a bound metric to straight-line TorchSharp code, one local per statement, for either program.
/// Every tensor value carries its axes; operands are permuted and unsqueezed into the axes of the result
/// so broadcasting lines them up (the dense lowering of elementwise terms and reductions).
/// </summary>
internal sealed partial class ProgramEmitter
{
    private readonly BoundMetric _metric;
    private readonly ProgramKind _kind;
    private readonly SourceWriter _writer;
    private readonly Dictionary<string, AxisVariable> _variables;
    private readonly Dictionary<string, bool> _statementIsNumber = new();

    private ProgramEmitter(BoundMetric metric, ProgramKind kind, SourceWriter writer)
    {
        _metric = metric;
        _kind = kind;
        _writer = writer;
        _variables = metric.Variables.ToDictionary(v => v.Id);
    }

    private bool IsSmooth => _kind == ProgramKind.Smooth;

    /// <summary>Writes the statements and returns the goal as a value (a 0-dim tensor or a number).</summary>
    public static ProgramValue Emit(BoundMetric metric, ProgramKind kind, SourceWriter writer)
    {
        var emitter = new ProgramEmitter(metric, kind, writer);
        foreach (var statement in metric.Statements) emitter.EmitStatement(statement);
        return emitter.EmitExpression(metric.Goal);
    }

    public static string StatementLocal(string name) => "s_" + name;

    public static string InputLocal(string name) => "x_" + name;

    public static string OptionLocal(string name) => "o_" + name;

    public static string SizeLocal(string axis) => "size_" + axis;

    private void EmitStatement(BoundStatement statement)
    {
        var value = EmitExpression(statement.Value);
        var local = StatementLocal(statement.Name);
        _statementIsNumber[statement.Name] = value.IsNumber && statement.Axes.Count == 0;
        if (value.IsNumber && statement.Axes.Count == 0)
        {
            _writer.Line($"double {local} = {value.Code};");
            return;
        }
        var code = value.IsNumber
            ? $"{CSharp.Ops}.Full(new long[] {{ {Sizes(statement.Axes)} }}, {value.Code}, dtype, device)"
            : Expand(Align(value, statement.Axes), value, statement.Axes);
        _writer.Line($"var {local} = {code};");
    }

    /// <summary>A statement missing some of its declared axes is expanded, so later reductions see every position.</summary>
    private string Expand(string aligned, ProgramValue value, IReadOnlyList<string> axes) =>
        value.Axes.Count == axes.Count ? aligned : $"{aligned}.expand(new long[] {{ {Sizes(axes)} }})";

    private string Sizes(IEnumerable<string> variables) => string.Join(", ", variables.Select(SizeOf));

    private string SizeOf(string variable) => SizeLocal(_variables[variable].SizeAxis);

    /// <summary>Permutes and unsqueezes a tensor value so its dimensions are <paramref name="target"/> (missing ones of size 1).</summary>
    private static string Align(ProgramValue value, IReadOnlyList<string> target)
    {
        var code = value.Code;
        var present = target.Where(value.Axes.Contains).ToList();
        if (!present.SequenceEqual(value.Axes))
        {
            code += $".permute({string.Join(", ", present.Select(a => IndexOf(value.Axes, a)))})";
        }
        for (var position = 0; position < target.Count; position++)
        {
            if (!value.Axes.Contains(target[position])) code += $".unsqueeze({position})";
        }
        return code;
    }

    private static int IndexOf(IReadOnlyList<string> list, string item)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == item) return i;
        }
        return -1;
    }

    private ProgramValue EmitExpression(BoundExpression expression) => expression switch
    {
        BoundNumber number => ProgramValue.Number(CSharp.Double(number.Value)),
        BoundOptionRef option when option.IndexVariable is null => ProgramValue.Number(OptionLocal(option.Option)),
        BoundInputRef input when input.Indices.All(i => !i.IsGather) =>
            ProgramValue.Tensor(InputLocal(input.Input), input.Indices.Select(i => i.Variable!).ToList()),
        BoundLocalRef local => _statementIsNumber[local.Statement]
            ? ProgramValue.Number(StatementLocal(local.Statement))
            : ProgramValue.Tensor(StatementLocal(local.Statement), local.Renaming.ToList()),
        BoundUnary unary => EmitUnary(unary),
        BoundBinary binary => EmitBinary(binary),
        BoundComparison comparison => EmitComparison(comparison),
        BoundStep step => EmitStep(step),
        BoundReduction reduction when reduction.Binders.All(b => b.Excluded is null) => EmitReduction(reduction),
        BoundCall call => EmitCall(call),
        _ => throw new NotSupportedException($"{expression.GetType().Name} is not lowered by this version of MetricLoss"),
    };
}
