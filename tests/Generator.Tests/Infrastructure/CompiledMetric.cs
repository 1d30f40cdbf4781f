using System.Reflection;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Generator.Tests.Infrastructure;

/// <summary>
/// A metric generated in memory, compiled, loaded and callable: the bridge for differential tests of
/// generated code against the reference interpreter on any metric text, not only the catalogue.
/// </summary>
internal sealed class CompiledMetric
{
    private readonly MethodInfo _exact;
    private readonly MethodInfo _smooth;
    private readonly MethodInfo _loss;
    private readonly Type _options;

    private CompiledMetric(BoundMetric bound, Type type)
    {
        Bound = bound;
        var tensorArity = bound.Inputs.Count;
        bool IsTensorOverload(MethodInfo m) =>
            m.GetParameters().Length == tensorArity + 1 && m.GetParameters().Take(tensorArity).All(p => p.ParameterType == typeof(Tensor));
        _exact = type.GetMethods().Single(m => m.Name == "Exact" && IsTensorOverload(m));
        _smooth = type.GetMethods().Single(m => m.Name == "Smooth" && IsTensorOverload(m));
        _loss = type.GetMethods().Single(m => m.Name == "Loss" && IsTensorOverload(m));
        _options = type.GetNestedType("Options")!;
        Type = type;
    }

    /// <summary>The generated class (for Info, Criterion and the like).</summary>
    public Type Type { get; }

    /// <summary>The metric's Options with the base settings changed (for example a small MaxPairwiseElements).</summary>
    public object Options(long maxPairwiseElements) => Options((nameof(MetricLoss.MetricOptions.MaxPairwiseElements), maxPairwiseElements));

    /// <summary>The metric's Options with the given properties set.</summary>
    public object Options(params (string Property, object? Value)[] settings)
    {
        var options = Activator.CreateInstance(_options)!;
        foreach (var (property, value) in settings) _options.GetProperty(property)!.SetValue(options, value);
        return options;
    }

    public BoundMetric Bound { get; }

    /// <summary>The metric <paramref name="name"/> of a .metric text, generated, compiled and loaded.</summary>
    public static CompiledMetric Compile(string text, string name) =>
        Load(GeneratorHarness.Run(text, name + ".metric"), text, "Tests.Root", name);

    /// <summary>The metric of a <c>[Metric]</c> class in <paramref name="csharp"/> whose definition is <paramref name="definition"/>.</summary>
    public static CompiledMetric CompileAttribute(string csharp, string definition, string? ns, string name) =>
        Load(GeneratorHarness.Run(Array.Empty<(string, string)>(), csharp), definition, ns, name);

    /// <summary>Warnings (MTR0119 for a metric without a real input, say) do not stop a metric from being generated.</summary>
    private static CompiledMetric Load(GeneratorRun run, string text, string? ns, string name)
    {
        var errors = run.GeneratorDiagnostics.Where(d => d.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0 || run.CompilationErrors.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", errors.Concat(run.CompilationErrors).Select(GeneratorRun.Format)));
        }
        using var stream = new MemoryStream();
        var emitted = run.Output.Emit(stream);
        if (!emitted.Success) throw new InvalidOperationException(string.Join("\n", emitted.Diagnostics));
        var assembly = Assembly.Load(stream.ToArray());
        var bound = MetricLoss.Dsl.MetricCompiler.Compile(text, ns).Metrics.Single(m => m.Name == name);
        var type = assembly.GetTypes().Single(t => t.Name == name && t.IsClass && t.IsAbstract);
        return new CompiledMetric(bound, type);
    }

    public double Exact(IReadOnlyList<Tensor> inputs, object? options = null) => Invoke<double>(_exact, inputs, options);

    public Tensor Smooth(IReadOnlyList<Tensor> inputs, object? options = null) => Invoke<Tensor>(_smooth, inputs, options);

    public Tensor Loss(IReadOnlyList<Tensor> inputs, object? options = null) => Invoke<Tensor>(_loss, inputs, options);

    /// <summary>The smooth value and its gradient with respect to the first input (the scores), on a fresh copy of it.</summary>
    public (double Value, Tensor Gradient) SmoothWithGradient(IReadOnlyList<Tensor> inputs, object? options = null)
    {
        var score = inputs[0].detach().clone().requires_grad_(true);
        var arguments = inputs.ToList();
        arguments[0] = score;
        var smooth = Smooth(arguments, options);
        smooth.backward();
        return (smooth.item<double>(), score.grad!.clone());
    }

    private static T Invoke<T>(MethodInfo method, IReadOnlyList<Tensor> inputs, object? options)
    {
        try
        {
            return (T)method.Invoke(null, inputs.Cast<object?>().Append(options).ToArray())!;
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    /// <summary>Random inputs for the metric's declaration, as tensors (in <paramref name="dtype"/>) and as interpreter arrays.</summary>
    public (List<Tensor> Tensors, Dictionary<string, DenseArray> Arrays) RandomInputs(Random random, IReadOnlyDictionary<string, int> sizes, ScalarType dtype)
    {
        var arrays = RandomArrays.For(Bound, random, sizes);
        var tensors = new List<Tensor>();
        foreach (var input in Bound.Inputs)
        {
            var array = arrays[input.Name];
            var longShape = array.Shape.Select(s => (long)s).ToArray();
            tensors.Add(input.Kind switch
            {
                InputKind.Bool => tensor(array.Data.Select(d => d != 0).ToArray()).reshape(longShape),
                InputKind.Index or InputKind.Int => tensor(array.Data.Select(d => (long)d).ToArray()).reshape(longShape),
                _ => tensor(array.Data, dtype: dtype).reshape(longShape),
            });
        }
        return (tensors, arrays);
    }
}
