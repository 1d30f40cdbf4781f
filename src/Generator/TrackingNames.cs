namespace MetricLoss.Generator;

/// <summary>Names of the pipeline steps, used by <c>WithTrackingName</c> and by the caching tests.</summary>
public static class TrackingNames
{
    public const string MetricFiles = nameof(MetricFiles);
    public const string MetricAttributes = nameof(MetricAttributes);
    public const string Units = nameof(Units);
    public const string Declarations = nameof(Declarations);
    public const string DuplicateNames = nameof(DuplicateNames);
    public const string RuntimeReferenced = nameof(RuntimeReferenced);
}
