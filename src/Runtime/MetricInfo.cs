using System.Collections.Generic;

namespace MetricLoss;

public enum MetricDirection
{
    Maximize,
    Minimize,
}

/// <summary>An input of a metric: <c>score: real[n]</c> is ("score", "real", ["n"], differentiable).</summary>
public sealed record MetricInputInfo(string Name, string Type, IReadOnlyList<string> Axes, bool IsDifferentiable);

/// <summary>An option: its name in the definition, its Options property, its type and default values.</summary>
public sealed record MetricOptionInfo(string Name, string Property, string Type, IReadOnlyList<double> Default);

/// <summary>What a generated metric is: name, definition text, inputs, options and goal direction.</summary>
public sealed record MetricInfo(
    string Name,
    string Namespace,
    string Source,
    IReadOnlyList<MetricInputInfo> Inputs,
    IReadOnlyList<MetricOptionInfo> Options,
    MetricDirection Direction,
    bool IsInterpolated)
{
    public override string ToString() => $"{Namespace}.{Name}";
}
