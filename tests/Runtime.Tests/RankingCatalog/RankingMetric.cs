using System.Collections.Immutable;
using System.Reflection;
using MetricLoss.Dsl.Bound;
using MetricLoss.Dsl.Interpretation;
using Relaxation = MetricLoss.Relaxation;
using MetricLoss.Native;
using MetricLoss.Runtime.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>
/// One generated metric of Ranking.metric / MultiClass.metric called through reflection, with inputs in
/// declared order and options by their definition names (<c>tau_rank</c>, <c>k</c>), so that one test can
/// run over metrics of different signatures, together with its definition compiled for the reference
/// interpreter.
/// </summary>
public sealed class RankingMetric
{
    public static readonly string[] RankingNames =
    {
        "RocAuc", "AveragePrecision", "RecallAtK", "TopKAccuracy", "NdcgAtK",
        "MeanAveragePrecision", "RetrievalRecallAtK", "PrecisionAtK", "MeanReciprocalRank",
    };

    public static readonly string[] MultiClassNames =
    {
        "MacroF1MultiLabel", "MicroF1MultiLabel", "MacroF1MultiClass", "MicroF1MultiClass",
    };

    public static IEnumerable<string> AllNames => RankingNames.Concat(MultiClassNames);

    private static readonly Dictionary<string, RankingMetric> Cache = new(StringComparer.Ordinal);

    private readonly Type _type;
    private readonly Type _optionsType;
    private readonly MethodInfo _exact;
    private readonly MethodInfo _smooth;
    private readonly MethodInfo _loss;

    private RankingMetric(string name)
    {
        Name = name;
        _type = typeof(MetricOptions).Assembly.GetType($"MetricLoss.Catalog.{name}", throwOnError: true)!;
        _optionsType = _type.GetNestedType("Options")!;
        Info = (MetricInfo)_type.GetProperty("Info")!.GetValue(null)!;
        var arity = Info.Inputs.Count;
        bool TensorOverload(MethodInfo m) =>
            m.GetParameters().Length == arity + 1 && m.GetParameters().Take(arity).All(p => p.ParameterType == typeof(Tensor));
        _exact = _type.GetMethods().Single(m => m.Name == "Exact" && TensorOverload(m));
        _smooth = _type.GetMethods().Single(m => m.Name == "Smooth" && TensorOverload(m));
        _loss = _type.GetMethods().Single(m => m.Name == "Loss" && TensorOverload(m));
        Definition = CatalogDefinitions.Get(name);
    }

    public static RankingMetric Get(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var metric)) Cache[name] = metric = new RankingMetric(name);
            return metric;
        }
    }

    public string Name { get; }

    public MetricInfo Info { get; }

    public BoundMetric Definition { get; }

    public MetricInputInfo Input(string name) => Info.Inputs.Single(i => i.Name == name);

    /// <summary>The generated Options record with these options (by definition name) and base settings.</summary>
    public MetricOptions Options(IReadOnlyDictionary<string, double[]>? options = null, Relaxation relaxation = Relaxation.Sigmoid, long? maxPairwise = null)
    {
        var record = (MetricOptions)Activator.CreateInstance(_optionsType)!;
        foreach (var (name, values) in options ?? new Dictionary<string, double[]>())
        {
            var info = Info.Options.Single(o => o.Name == name);
            var property = _optionsType.GetProperty(info.Property)!;
            object value = property.PropertyType switch
            {
                var t when t == typeof(ImmutableArray<int>) => values.Select(v => checked((int)v)).ToImmutableArray(),
                var t when t == typeof(int) => checked((int)values.Single()),
                var t when t == typeof(double) => values.Single(),
                var t when t == typeof(bool) => values.Single() != 0,
                var t => throw new NotSupportedException($"option {name} of type {t}"),
            };
            property.SetValue(record, value);
        }
        typeof(MetricOptions).GetProperty(nameof(MetricOptions.Relaxation))!.SetValue(record, relaxation);
        if (maxPairwise is long budget) typeof(MetricOptions).GetProperty(nameof(MetricOptions.MaxPairwiseElements))!.SetValue(record, budget);
        return record;
    }

    public double Exact(IReadOnlyList<Tensor> inputs, MetricOptions? options = null) => Invoke<double>(_exact, inputs, options);

    public Tensor Smooth(IReadOnlyList<Tensor> inputs, MetricOptions? options = null) => Invoke<Tensor>(_smooth, inputs, options);

    public Tensor Loss(IReadOnlyList<Tensor> inputs, MetricOptions? options = null) => Invoke<Tensor>(_loss, inputs, options);

    private static T Invoke<T>(MethodInfo method, IReadOnlyList<Tensor> inputs, MetricOptions? options)
    {
        try
        {
            return (T)method.Invoke(null, inputs.Cast<object?>().Append(options).ToArray())!;
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(exception.InnerException).Throw();
            throw;
        }
    }

    /// <summary>
    /// Tensors for the arrays, in declared order: real inputs in <paramref name="dtype"/> (optionally requiring
    /// grad), bool inputs as bool tensors, index/int inputs as int64, const real as float64.
    /// </summary>
    public List<Tensor> Tensors(IReadOnlyDictionary<string, DenseArray> arrays, ScalarType dtype = ScalarType.Float64, bool requiresGrad = false)
    {
        TorchNative.EnsureLoaded();
        var list = new List<Tensor>();
        foreach (var input in Info.Inputs)
        {
            var array = arrays[input.Name];
            var shape = array.Shape.Select(s => (long)s).ToArray();
            Tensor t;
            if (input.Type == "bool")
            {
                t = tensor(array.Data.Select(d => d != 0).ToArray()).reshape(shape);
            }
            else if (input.Type.StartsWith("index", StringComparison.Ordinal) || input.Type == "int")
            {
                t = tensor(array.Data.Select(d => (long)d).ToArray()).reshape(shape);
            }
            else if (input.Type == "real")
            {
                t = tensor(array.Data, ScalarType.Float64).reshape(shape).to_type(dtype);
                if (requiresGrad) t = t.requires_grad_(true);
            }
            else
            {
                t = tensor(array.Data, ScalarType.Float64).reshape(shape);
            }
            list.Add(t);
        }
        return list;
    }

    public double InterpreterExact(IReadOnlyDictionary<string, DenseArray> arrays, IReadOnlyDictionary<string, double[]>? options = null) =>
        ReferenceInterpreter.Exact(Definition, arrays, options);

    public double InterpreterSmooth(IReadOnlyDictionary<string, DenseArray> arrays, IReadOnlyDictionary<string, double[]>? options = null, Relaxation relaxation = Relaxation.Sigmoid) =>
        ReferenceInterpreter.Smooth(Definition, arrays, options,
            new InterpreterSettings(Enum.Parse<MetricLoss.Dsl.Interpretation.Relaxation>(relaxation.ToString())));

    public override string ToString() => Name;
}
