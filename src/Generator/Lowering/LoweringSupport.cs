using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Binding;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Which language constructs this version of the back end lowers. The binder accepts the whole
/// language; constructs whose lowering comes later are refused here with MTR0150 at their use,
/// never emitted wrongly or silently dropped. Gathers, `!=` binders, vector options, ideal_dcg and
/// pairwise terms are lowered densely (each pairwise term within Options.MaxPairwiseElements).
/// </summary>
internal static class LoweringSupport
{
    /// <summary>Why a feature is not lowered yet, and where its lowering is planned.</summary>
    private static readonly Dictionary<LanguageFeature, string> Pending = new()
    {
    };

    /// <summary>The first unsupported use of each feature in <paramref name="metric"/>, in source order.</summary>
    public static IEnumerable<(FeatureUse Use, string Reason)> Unsupported(string metric, IEnumerable<FeatureUse> features) =>
        features
            .Where(f => f.Metric == metric && Pending.ContainsKey(f.Feature))
            .GroupBy(f => f.Feature)
            .Select(g => g.OrderBy(f => f.Span.Start).First())
            .OrderBy(f => f.Span.Start)
            .Select(f => (f, Pending[f.Feature]));
}
