using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Runtime.Tests.Infrastructure;

public delegate double SpanExact<TScore, TOptions>(ReadOnlySpan<TScore> score, ReadOnlySpan<bool> label, TOptions? options)
    where TOptions : MetricOptions;

/// <summary>One generated catalogue metric behind a uniform surface, so a test can run over all of them.</summary>
public sealed class CatalogMetric
{
    private readonly Func<MetricSettings, MetricOptions> _options;
    private readonly Func<Tensor, Tensor, MetricOptions?, double> _exact;
    private readonly SpanExact<float, MetricOptions> _exactFloat;
    private readonly SpanExact<double, MetricOptions> _exactDouble;
    private readonly Func<Tensor, Tensor, MetricOptions?, Tensor> _smooth;
    private readonly Func<Tensor, Tensor, MetricOptions?, Tensor> _loss;
    private readonly Func<MetricOptions?, Loss<Tensor, Tensor, Tensor>> _criterion;

    private CatalogMetric(
        MetricInfo info,
        Type optionsType,
        Func<MetricSettings, MetricOptions> options,
        Func<Tensor, Tensor, MetricOptions?, double> exact,
        SpanExact<float, MetricOptions> exactFloat,
        SpanExact<double, MetricOptions> exactDouble,
        Func<Tensor, Tensor, MetricOptions?, Tensor> smooth,
        Func<Tensor, Tensor, MetricOptions?, Tensor> loss,
        Func<MetricOptions?, Loss<Tensor, Tensor, Tensor>> criterion)
    {
        Info = info;
        OptionsType = optionsType;
        _options = options;
        _exact = exact;
        _exactFloat = exactFloat;
        _exactDouble = exactDouble;
        _smooth = smooth;
        _loss = loss;
        _criterion = criterion;
    }

    public static CatalogMetric Create<TOptions>(
        MetricInfo info,
        Func<Tensor, Tensor, TOptions?, double> exact,
        SpanExact<float, TOptions> exactFloat,
        SpanExact<double, TOptions> exactDouble,
        Func<Tensor, Tensor, TOptions?, Tensor> smooth,
        Func<Tensor, Tensor, TOptions?, Tensor> loss,
        Func<TOptions?, Loss<Tensor, Tensor, Tensor>> criterion)
        where TOptions : MetricOptions, new() =>
        new(info,
            typeof(TOptions),
            s => s.Build<TOptions>(),
            (a, b, o) => exact(a, b, (TOptions?)o),
            (a, b, o) => exactFloat(a, b, (TOptions?)o),
            (a, b, o) => exactDouble(a, b, (TOptions?)o),
            (a, b, o) => smooth(a, b, (TOptions?)o),
            (a, b, o) => loss(a, b, (TOptions?)o),
            o => criterion((TOptions?)o));

    public MetricInfo Info { get; }

    public Type OptionsType { get; }

    public string Name => Info.Name;

    /// <summary>The AnyLoss variants take probabilities and compare them with 0.5; they have no threshold option.</summary>
    public bool IsAnyLoss => Name.EndsWith("AnyLoss", StringComparison.Ordinal);

    public string ScoreInput => Info.Inputs[0].Name;

    public string LabelInput => Info.Inputs[1].Name;

    public bool HasOption(string name) => Info.Options.Any(o => o.Name == name);

    /// <summary>The value the score is compared with under these settings.</summary>
    public double DecisionThreshold(MetricSettings? settings) =>
        IsAnyLoss ? 0.5 : settings?.Threshold ?? Info.Options.Single(o => o.Name == "threshold").Default[0];

    /// <summary>The temperature under these settings.</summary>
    public double Temperature(MetricSettings? settings) =>
        settings?.Tau ?? Info.Options.Single(o => o.Name == "tau").Default[0];

    /// <summary>Null settings pass null options (the generated defaults); otherwise the metric's own record.</summary>
    public MetricOptions? Options(MetricSettings? settings) => settings is null ? null : _options(settings);

    public double Exact(Tensor score, Tensor label, MetricSettings? settings = null) => _exact(score, label, Options(settings));

    public double Exact(float[] score, bool[] label, MetricSettings? settings = null) => _exactFloat(score, label, Options(settings));

    public double Exact(double[] score, bool[] label, MetricSettings? settings = null) => _exactDouble(score, label, Options(settings));

    public Tensor Smooth(Tensor score, Tensor label, MetricSettings? settings = null) => _smooth(score, label, Options(settings));

    public Tensor Loss(Tensor score, Tensor label, MetricSettings? settings = null) => _loss(score, label, Options(settings));

    public Loss<Tensor, Tensor, Tensor> Criterion(MetricSettings? settings = null) => _criterion(Options(settings));

    public override string ToString() => Name;
}
