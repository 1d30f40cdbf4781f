namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>
/// Tests that read process-wide or thread-wide counters (dispose-scope statistics, Tensor.TotalCount) run
/// alone: this collection is never run in parallel with any other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ResourceCountingCollection
{
    public const string Name = "Resource counting (not parallel)";
}
