using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Binding;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Which language constructs this version of the back end lowers. The binder accepts the whole
/// language; constructs whose lowering comes later are refused here with MTR0150 at their use,
/// never emitted wrongly or silently dropped.
/// </summary>
internal static class LoweringSupport
{
    /// <summary>Why a feature is not lowered yet, and where its lowering is planned.</summary>
    private static readonly Dictionary<LanguageFeature, string> Pending = new()
    {
        [LanguageFeature.Gather] = "gathers such as `logit[n, target[n]]` are not lowered yet (planned with the pairwise and ranking metrics)",
        [LanguageFeature.Exclusion] = "reductions that skip a position (`sum[j != i]`) are not lowered yet (planned with the pairwise and ranking metrics)",
        [LanguageFeature.VectorOption] = "vector options such as `k[m]` are not lowered yet (planned with the pairwise and ranking metrics)",
        [LanguageFeature.IdealDcg] = "`ideal_dcg` is not lowered yet (planned with the pairwise and ranking metrics)",
        [LanguageFeature.Interpolation] = "`interpolate` metrics (UniLoss) are not lowered yet (planned with the interpolation mode)",
        [LanguageFeature.CrossAxes] = "pairwise terms over axes that no single input spans are not lowered yet: they need the sort-based exact kernels and chunked surrogates of the pairwise and ranking metrics",
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
