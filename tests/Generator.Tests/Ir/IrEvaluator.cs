using System.Runtime.CompilerServices;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Ir;
using MetricLoss.Interpolation;
using MetricLoss.Runtime;
using ChunkedReduction = MetricLoss.Generator.Ir.ChunkedReduction;
using RuntimeChunks = MetricLoss.Runtime.ChunkedReduction;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests.Ir;

/// <summary>
/// Evaluates a lowered program (Ir/LoweredProgram) in float64 on the CPU without printing or compiling C#: the
/// statements run in order over an environment holding what the entry point defines around them
/// (<see cref="IrEntryLocals"/>); a chunked reduction runs through the runtime's ChunkedReduction.Reduce with its
/// body evaluated per chunk (leaves, start and length bound, sliced leaves handed over narrowed by the runtime), an
/// interpolation through UniLossSurrogate.Evaluate with its exact tail evaluated per batch of anchors. So a program
/// can be compared with the reference interpreter before and after each pass, each pass differential-tested.
/// </summary>
internal sealed class IrEvaluator
{
    private readonly IrTrace _trace;

    /// <summary>Whether an interpolation returns its exact tail at the hard state instead of the surrogate (<see cref="EvaluateAtHardState"/>).</summary>
    private readonly bool _hardState;

    private IrEvaluator(IrTrace trace, bool hardState = false)
    {
        _trace = trace;
        _hardState = hardState;
    }

    /// <summary>The program's goal on <paramref name="inputs"/> (interpreter arrays, keyed by input name).</summary>
    /// <param name="trace">Counts the chunked reductions run, to tell a test whether its budget split any.</param>
    public static double Evaluate(BoundMetric metric, LoweredProgram program, IReadOnlyDictionary<string, DenseArray> inputs, IrSettings settings, IrTrace? trace = null)
    {
        // The inputs' tensors are disposed with this scope.
        using var scope = NewDisposeScope();
        return Evaluate(program, IrEntryLocals.For(metric, inputs, settings), trace);
    }

    /// <summary>
    /// An interpolated metric's smooth program with its interpolation replaced by the exact tail at the one anchor
    /// h = [Δ &gt; 0] (invalid coordinates 1, as UniLossSurrogate hands them): on inputs without ties, the metric's
    /// exact value, which the reference interpreter gives, so the tail has an oracle although the anchors are random.
    /// </summary>
    public static double EvaluateAtHardState(BoundMetric metric, LoweredProgram program, IReadOnlyDictionary<string, DenseArray> inputs, IrSettings settings, IrTrace? trace = null)
    {
        using var scope = NewDisposeScope();
        return Evaluate(program, IrEntryLocals.For(metric, inputs, settings), trace, hardState: true);
    }

    /// <summary>The program's goal in an environment that binds every name it reads (a hand-written program's test).</summary>
    public static double Evaluate(LoweredProgram program, IrEnvironment environment, IrTrace? trace = null) => Evaluate(program, environment, trace, hardState: false);

    private static double Evaluate(LoweredProgram program, IrEnvironment environment, IrTrace? trace, bool hardState)
    {
        // Every tensor the program makes is disposed with the scope; the value leaves as a double.
        using var scope = NewDisposeScope();
        var evaluator = new IrEvaluator(trace ?? new IrTrace(), hardState);
        var owned = new List<IDisposable>();
        try
        {
            evaluator.Run(program.Statements, environment, owned);
            var goal = IrOpEvaluator.Evaluate(program.Goal.Code, environment);
            return goal is Tensor tensor ? tensor.item<double>() : IrOpEvaluator.ToDouble(goal);
        }
        finally
        {
            // The `using var` locals (sorts kept for counts, the anchors' generator), last declared first.
            for (var k = owned.Count - 1; k >= 0; k--) owned[k].Dispose();
        }
    }

    /// <summary>Runs statements in order; a <see cref="Return"/> ends them with its value (an interpolation's tail).</summary>
    private object? Run(IEnumerable<Statement> statements, IrEnvironment environment, List<IDisposable> owned)
    {
        foreach (var statement in statements)
        {
            RuntimeHelpers.EnsureSufficientExecutionStack();
            switch (statement)
            {
                case Let let:
                    environment.Bind(let.Name, Value(let, environment, owned));
                    break;
                case LetTuple tuple:
                    var parts = (ITuple)IrOpEvaluator.Evaluate(tuple.Value, environment)!;
                    if (parts.Length != tuple.Names.Count) throw new InvalidOperationException($"IR evaluator: {tuple.Names.Count} names for a tuple of {parts.Length}");
                    for (var k = 0; k < parts.Length; k++) environment.Bind(tuple.Names[k], parts[k]);
                    break;
                case Check check:
                    IrOpEvaluator.Evaluate(check.Call, environment);
                    break;
                case Return ret:
                    return IrOpEvaluator.Evaluate(ret.Value, environment);
                case ChunkedReduction chunked:
                    environment.Bind(chunked.Name, Chunked(chunked, environment));
                    break;
                case Interpolate interpolate:
                    environment.Bind(interpolate.Name, Interpolated(interpolate, environment));
                    break;
                default:
                    throw new InvalidOperationException($"IR evaluator: no evaluation of the statement {statement.GetType().Name}");
            }
        }
        return null;
    }

    /// <summary>A local's value in its declared C# type (<c>double</c>, <c>long</c>), an owned one kept for disposal.</summary>
    private static object? Value(Let let, IrEnvironment environment, List<IDisposable> owned)
    {
        var value = IrOpEvaluator.Evaluate(let.Value, environment);
        switch (let.Kind)
        {
            case LetKind.Number:
                return IrOpEvaluator.ToDouble(value);
            case LetKind.Size:
                return IrOpEvaluator.ToLong(value);
            case LetKind.Owned:
                if (value is IDisposable disposable) owned.Add(disposable);
                return value;
            default:
                return value;
        }
    }

    /// <summary>
    /// ChunkedReduction.Reduce as ProgramPrinter writes it: the body a lambda of (__L, __start, __length) whose locals
    /// are its own, the chunk length from the budget and the intermediates' shapes.
    /// </summary>
    private Tensor Chunked(ChunkedReduction chunked, IrEnvironment environment)
    {
        var options = (MetricOptions)environment.Read(Local.Options)!;
        Tensor Body(Tensor[] leaves, long start, long length)
        {
            var body = new IrEnvironment(environment);
            body.Bind(Local.Leaves, leaves);
            body.Bind(Local.Start, start);
            body.Bind(Local.Length, length);
            // Before ChunkLeafSlicing has decided (no slices yet), every leaf arrives whole and each narrowed read narrows.
            body.Bind(IrOpEvaluator.SlicesUndecided, chunked.Slices.Count == 0);
            foreach (var local in chunked.Locals) body.Bind(local.Name, IrOpEvaluator.Evaluate(local.Value, body));
            return (Tensor)IrOpEvaluator.Evaluate(chunked.Result, body)!;
        }
        var leaves = chunked.Leaves.Select(name => (Tensor)environment.Read(name)!).ToArray();
        var shapes = chunked.Shapes.Select(shape => shape.Select(size => IrOpEvaluator.ToLong(environment.Read(size))).ToArray()).ToArray();
        var size = IrOpEvaluator.ToLong(IrOpEvaluator.Evaluate(chunked.Size, environment));
        var chunk = RuntimeChunks.ChunkLength(options.MaxPairwiseElements, shapes);
        _trace.Chunked++;
        if (chunk < size) _trace.Split++;
        var slices = chunked.Slices.Count == 0 ? leaves.Select(_ => (long)LeafOp.Whole).ToArray() : chunked.Slices.Select(s => (long)s).ToArray();
        return RuntimeChunks.Reduce(Body, leaves, slices, size, chunk, options.MaxPairwiseElements,
            chunked.Dimension, chunked.Concatenate ? ChunkCombine.Concatenate : ChunkCombine.Sum, chunked.Differentiable);
    }

    /// <summary>UniLossSurrogate.Evaluate as ProgramPrinter writes it, the exact tail run on each batch of anchors.</summary>
    private Tensor Interpolated(Interpolate interpolate, IrEnvironment environment)
    {
        var options = (IrOptions)environment.Read(Local.Options)!;
        Tensor Tail(Tensor anchors)
        {
            var tail = new IrEnvironment(environment);
            tail.Bind(Local.Anchors, anchors);
            var owned = new List<IDisposable>();
            try
            {
                return Run(interpolate.Tail, tail, owned) as Tensor
                    ?? throw new InvalidOperationException("IR evaluator: an interpolation's tail ended without returning a tensor");
            }
            finally
            {
                for (var k = owned.Count - 1; k >= 0; k--) owned[k].Dispose();
            }
        }
        var delta = (Tensor)environment.Read(interpolate.Delta)!;
        var valid = (Tensor)environment.Read(interpolate.Valid)!;
        if (_hardState)
        {
            using var zero = 0.0.ToScalar();
            var hard = where(valid.ne(zero), delta.gt(zero).to_type(ScalarType.Float64), ones_like(delta)).unsqueeze(0);
            return Tail(hard).reshape(Array.Empty<long>());
        }
        return UniLossSurrogate.Evaluate(
            delta, valid, 1d,
            options.AnchorsGood, options.AnchorsNearby, options.AnchorsRandom, (torch.Generator)environment.Read(interpolate.Generator)!,
            Tail, IrOpEvaluator.ToDouble(environment.Read(Local.Eps)), (MetricLoss.Relaxation)environment.Read(Local.Relaxation)!);
    }
}
