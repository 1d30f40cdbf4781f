using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Lowering;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// The evaluator itself: every operation the printer knows has an evaluation (a runtime method that exists, or a
/// case of its own), and what it cannot evaluate fails with a message that names it rather than with a wrong value.
/// </summary>
public class IrEvaluatorTests
{
    [Fact]
    public void Every_operation_has_an_evaluation()
    {
        foreach (var code in Enum.GetValues<OpCode>())
        {
            var arity = Arity(code);
            // Number operations get numbers; the others null, which fails in the operation itself (a null tensor), never for want of a case.
            var operand = Op.Name(code.ToString().StartsWith("Number", StringComparison.Ordinal) ? "1d" : "null");
            var call = (CallOp)Op.Call(code, Enumerable.Repeat(operand, arity).ToArray());
            if (IrRuntimeCall.Target(call) is { } target)
            {
                Assert.True(target.Type.GetMethods().Any(m => m.Name == target.Method && m.GetParameters().Length == arity), $"{code}: no {target.Type.Name}.{target.Method} of {arity} parameters");
                continue;
            }
            var error = Record.Exception(() => IrOpEvaluator.Evaluate(call, new IrEnvironment()));
            Assert.False(error is InvalidOperationException && error.Message.Contains("no evaluation of", StringComparison.Ordinal), $"{code}: {error?.Message}");
        }
    }

    [Fact]
    public void A_name_nothing_binds_is_an_error_that_names_it()
    {
        var error = Assert.Throws<InvalidOperationException>(() => IrOpEvaluator.Evaluate(Op.Name("s__missing"), new IrEnvironment()));
        Assert.Contains("s__missing", error.Message);
    }

    [Fact]
    public void Operands_no_runtime_overload_takes_are_an_error_that_names_the_operation()
    {
        using var scope = NewDisposeScope();
        var environment = IrEntryLocals.Fixed(new IrSettings());
        environment.Bind("t", ones(3, dtype: ScalarType.Float64));
        // DivideSmooth's ε must be a number: a tensor there has no overload.
        var call = Op.Call(OpCode.DivideSmooth, Op.Name("t"), Op.Name("t"), Op.Name("t"));
        var error = Assert.Throws<InvalidOperationException>(() => IrOpEvaluator.Evaluate(call, environment));
        Assert.Contains("DivideSmooth", error.Message);
        Assert.Contains("(Tensor, Tensor, Tensor)", error.Message);
    }

    [Fact]
    public void Literals_read_as_CSharp_reads_them()
    {
        var environment = new IrEnvironment();
        Assert.Equal(0.5, environment.Read("0.5d"));
        Assert.Equal(1E-05, environment.Read("1E-05d"));
        Assert.Equal(0L, environment.Read("0L"));
        Assert.Equal(-1L, environment.Read("-1"));
        Assert.Equal(double.PositiveInfinity, environment.Read("double.PositiveInfinity"));
        Assert.Equal("a \"b\"", environment.Read("\"a \\\"b\\\"\""));
        Assert.Null(environment.Read("null"));
        Assert.Equal(true, environment.Read("true"));
    }

    [Fact]
    public void A_number_goal_is_its_value()
    {
        var program = new LoweredProgram(
            new Statement[] { new Let("s__half", Op.Call(OpCode.NumberReciprocal, Op.Name("2d")), LetKind.Number) },
            ProgramValue.Number(Op.Call(OpCode.NumberAdd, Op.Name("s__half"), Op.Name("size__n"))));
        var environment = IrEntryLocals.Fixed(new IrSettings());
        environment.Bind("size__n", 3L);
        Assert.Equal(3.5, IrEvaluator.Evaluate(program, environment));
    }

    /// <summary>The number of operands of an operation: the fewest its printed form can be filled with.</summary>
    private static int Arity(OpCode code)
    {
        for (var arity = 0; arity < 8; arity++)
        {
            try
            {
                OpPrinter.Print(Op.Call(code, Enumerable.Range(0, arity).Select(k => Op.Name($"#{k}#")).ToArray()));
                return arity;
            }
            catch (Exception exception) when (exception is ArgumentOutOfRangeException or IndexOutOfRangeException)
            {
                // Fewer operands than the form reads: try one more.
            }
        }
        throw new InvalidOperationException($"{code}: no arity up to 8");
    }
}
