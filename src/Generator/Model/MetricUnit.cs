using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Model;

/// <summary>One metric to emit as one generated file. Holds no spans, so whitespace edits keep it equal.</summary>
public sealed record MetricUnit(BoundMetric Metric)
{
    public string FullName => Metric.Namespace is null ? Metric.Name : Metric.Namespace + "." + Metric.Name;

    public string HintName => FullName + ".g.cs";
}

/// <summary>Where a metric is declared: for the duplicate-name check only.</summary>
public sealed record MetricDeclaration(string FullName, LocationInfo Location);
