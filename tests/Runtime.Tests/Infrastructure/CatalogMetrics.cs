using MetricLoss.Catalog;

namespace MetricLoss.Runtime.Tests.Infrastructure;

/// <summary>Every generated metric of src/Runtime/Catalog, in the order of the .metric files.</summary>
public static class CatalogMetrics
{
    public static IReadOnlyList<CatalogMetric> All { get; } = new[]
    {
        CatalogMetric.Create<Accuracy.Options>(Accuracy.Info, Accuracy.Exact, Accuracy.Exact, Accuracy.Exact, Accuracy.Smooth, Accuracy.Loss, o => new Accuracy.Criterion(o)),
        CatalogMetric.Create<Precision.Options>(Precision.Info, Precision.Exact, Precision.Exact, Precision.Exact, Precision.Smooth, Precision.Loss, o => new Precision.Criterion(o)),
        CatalogMetric.Create<Recall.Options>(Recall.Info, Recall.Exact, Recall.Exact, Recall.Exact, Recall.Smooth, Recall.Loss, o => new Recall.Criterion(o)),
        CatalogMetric.Create<Specificity.Options>(Specificity.Info, Specificity.Exact, Specificity.Exact, Specificity.Exact, Specificity.Smooth, Specificity.Loss, o => new Specificity.Criterion(o)),
        CatalogMetric.Create<F1.Options>(F1.Info, F1.Exact, F1.Exact, F1.Exact, F1.Smooth, F1.Loss, o => new F1.Criterion(o)),
        CatalogMetric.Create<FBeta.Options>(FBeta.Info, FBeta.Exact, FBeta.Exact, FBeta.Exact, FBeta.Smooth, FBeta.Loss, o => new FBeta.Criterion(o)),
        CatalogMetric.Create<BalancedAccuracy.Options>(BalancedAccuracy.Info, BalancedAccuracy.Exact, BalancedAccuracy.Exact, BalancedAccuracy.Exact, BalancedAccuracy.Smooth, BalancedAccuracy.Loss, o => new BalancedAccuracy.Criterion(o)),
        CatalogMetric.Create<GMean.Options>(GMean.Info, GMean.Exact, GMean.Exact, GMean.Exact, GMean.Smooth, GMean.Loss, o => new GMean.Criterion(o)),
        CatalogMetric.Create<Mcc.Options>(Mcc.Info, Mcc.Exact, Mcc.Exact, Mcc.Exact, Mcc.Smooth, Mcc.Loss, o => new Mcc.Criterion(o)),
        CatalogMetric.Create<Jaccard.Options>(Jaccard.Info, Jaccard.Exact, Jaccard.Exact, Jaccard.Exact, Jaccard.Smooth, Jaccard.Loss, o => new Jaccard.Criterion(o)),
        CatalogMetric.Create<Dice.Options>(Dice.Info, Dice.Exact, Dice.Exact, Dice.Exact, Dice.Smooth, Dice.Loss, o => new Dice.Criterion(o)),
        CatalogMetric.Create<CohenKappa.Options>(CohenKappa.Info, CohenKappa.Exact, CohenKappa.Exact, CohenKappa.Exact, CohenKappa.Smooth, CohenKappa.Loss, o => new CohenKappa.Criterion(o)),
        CatalogMetric.Create<AccuracyAnyLoss.Options>(AccuracyAnyLoss.Info, AccuracyAnyLoss.Exact, AccuracyAnyLoss.Exact, AccuracyAnyLoss.Exact, AccuracyAnyLoss.Smooth, AccuracyAnyLoss.Loss, o => new AccuracyAnyLoss.Criterion(o)),
        CatalogMetric.Create<F1AnyLoss.Options>(F1AnyLoss.Info, F1AnyLoss.Exact, F1AnyLoss.Exact, F1AnyLoss.Exact, F1AnyLoss.Smooth, F1AnyLoss.Loss, o => new F1AnyLoss.Criterion(o)),
        CatalogMetric.Create<BalancedAccuracyAnyLoss.Options>(BalancedAccuracyAnyLoss.Info, BalancedAccuracyAnyLoss.Exact, BalancedAccuracyAnyLoss.Exact, BalancedAccuracyAnyLoss.Exact, BalancedAccuracyAnyLoss.Smooth, BalancedAccuracyAnyLoss.Loss, o => new BalancedAccuracyAnyLoss.Criterion(o)),
        CatalogMetric.Create<GMeanAnyLoss.Options>(GMeanAnyLoss.Info, GMeanAnyLoss.Exact, GMeanAnyLoss.Exact, GMeanAnyLoss.Exact, GMeanAnyLoss.Smooth, GMeanAnyLoss.Loss, o => new GMeanAnyLoss.Criterion(o)),
    };

    private static readonly Dictionary<string, CatalogMetric> ByName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static CatalogMetric Get(string name) =>
        ByName.TryGetValue(name, out var metric) ? metric : throw new ArgumentException($"no catalogue metric named {name}", nameof(name));

    /// <summary>The names of every catalogue metric, as theory data.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var metric in All) data.Add(metric.Name);
            return data;
        }
    }

    /// <summary>The metrics on logits (score &gt; threshold).</summary>
    public static TheoryData<string> LogitNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var metric in All.Where(m => !m.IsAnyLoss)) data.Add(metric.Name);
            return data;
        }
    }

    /// <summary>The AnyLoss variants (prob &gt; 0.5, τ = 1/73).</summary>
    public static TheoryData<string> AnyLossNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var metric in All.Where(m => m.IsAnyLoss)) data.Add(metric.Name);
            return data;
        }
    }
}
