using MetricLoss;
using MetricLoss.Baselines;
using MetricLoss.Catalog;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Imbalanced;

/// <summary>What a loss knows about the run it trains: the training set's positive rate (for class weights and AUC-M).</summary>
public sealed record RunContext(double PositiveRate);

/// <summary>
/// The objective of one run: the loss of a batch of logits and 0/1 labels, any parameters of its own (AUC-M's a
/// and b), and what it does after each backward pass (AUC-M's ascent in α).
/// </summary>
public class Objective(Func<Tensor, Tensor, Tensor> loss) : IDisposable
{
    public Tensor Loss(Tensor logits, Tensor labels) => loss(logits, labels);
    public virtual IEnumerable<Parameter> Parameters => [];
    public virtual void AfterBackward() { }
    public virtual void Dispose() { }
}

/// <summary>AUC-M: the loss on σ(logit), a and b minimised with the model, α maximised by projected ascent.</summary>
public sealed class AucMObjective : Objective
{
    /// <summary>η of α's ascent step, chosen before any run: at p ≈ 3 % it moves α to its optimum in a few hundred steps.</summary>
    public const double AlphaStep = 0.1;

    private readonly AucMSquare.Variables _variables;

    private AucMObjective(AucMSquare.Variables variables, double positiveRate)
        : base((logits, labels) => AucMSquare.Loss(sigmoid(logits), labels, variables.A, variables.B, variables.Alpha, positiveRate)) =>
        _variables = variables;

    public static AucMObjective Create(double positiveRate) => new(new AucMSquare.Variables(), positiveRate);

    public override IEnumerable<Parameter> Parameters => [_variables.A, _variables.B];
    public override void AfterBackward() => _variables.AscendAlpha(AlphaStep);
    public override void Dispose() => _variables.Dispose();
}

/// <summary>A training objective of the comparison: a name, a description and how a run creates it.</summary>
public sealed record LossSpec(string Name, string Description, Func<RunContext, Objective> Create)
{
    /// <summary>The nine losses compared, all at their defaults; every one receives the same batches and initial weights.</summary>
    public static IReadOnlyList<LossSpec> All { get; } =
    [
        new("BCE", "binary cross-entropy on logits",
            _ => new Objective((z, y) => nn.functional.binary_cross_entropy_with_logits(z, y))),
        new("Weighted BCE", "BCE with positives weighted by #negatives / #positives of the training set",
            context =>
            {
                var weight = tensor((float)((1 - context.PositiveRate) / context.PositiveRate));
                return new Objective((z, y) => nn.functional.binary_cross_entropy_with_logits(z, y, pos_weights: weight));
            }),
        new("Focal", "Focal.Loss: γ 2, α 0.25 (Lin et al., ICCV 2017)",
            _ => new Objective((z, y) => Focal.Loss(z, y))),
        new("AUC-M", "AucMSquare.Loss(σ(z)): margin 1, a, b with Adam, α by projected ascent (step 0.1) (Yuan et al., ICCV 2021)",
            context => AucMObjective.Create(context.PositiveRate)),
        new("F1", "F1.Loss(z): 1 − soft F1, σ(z / τ), τ 1",
            _ => new Objective((z, y) => F1.Loss(z, y))),
        new("AnyLoss-F1", "F1AnyLoss.Loss(σ(z)): σ(73·(p − 0.5)) (Han et al., KDD 2024)",
            _ => new Objective((z, y) => F1AnyLoss.Loss(sigmoid(z), y))),
        new("MCC", "Mcc.Loss(z): soft Matthews correlation, τ 1",
            _ => new Objective((z, y) => Mcc.Loss(z, y))),
        new("ROC AUC", "RocAuc.Loss(z): pairwise σ((s_i − s_j) / τ), τ 0.05",
            _ => new Objective((z, y) => RocAuc.Loss(z, y))),
        new("AP", "AveragePrecision.Loss(z): Smooth-AP ranks, τ 0.01 (Brown et al., ECCV 2020)",
            _ => new Objective((z, y) => AveragePrecision.Loss(z, y))),
    ];

    /// <summary>The F1 surrogate at another temperature (the τ sweep).</summary>
    public static LossSpec F1At(double tau) => new(
        FormattableString.Invariant($"F1, τ {tau}"), FormattableString.Invariant($"F1.Loss(z), τ {tau}"),
        _ => new Objective((z, y) => F1.Loss(z, y, new F1.Options { Tau = tau })));

    /// <summary>
    /// The ROC AUC and AP surrogates under each relaxation (the relaxation sweep, issue 15): σ runs the pairwise program,
    /// Linear and Smoothstep the sort-based one (the same values as their pairwise programs, to rounding).
    /// </summary>
    public static IEnumerable<LossSpec> RankSurrogatesRelaxed()
    {
        foreach (var relaxation in new[] { Relaxation.Sigmoid, Relaxation.Linear, Relaxation.Smoothstep })
        {
            yield return new($"ROC AUC, {relaxation}", $"RocAuc.Loss(z), τ 0.05, Relaxation.{relaxation}",
                _ => new Objective((z, y) => RocAuc.Loss(z, y, new RocAuc.Options { Relaxation = relaxation })));
        }
        foreach (var relaxation in new[] { Relaxation.Sigmoid, Relaxation.Linear, Relaxation.Smoothstep })
        {
            yield return new($"AP, {relaxation}", $"AveragePrecision.Loss(z), τ 0.01, Relaxation.{relaxation}",
                _ => new Objective((z, y) => AveragePrecision.Loss(z, y, new AveragePrecision.Options { Relaxation = relaxation })));
        }
    }

    /// <summary>The AP surrogate at another temperature (the τ sweep).</summary>
    public static LossSpec ApAt(double tau) => new(
        FormattableString.Invariant($"AP, τ {tau}"), FormattableString.Invariant($"AveragePrecision.Loss(z), τ {tau}"),
        _ => new Objective((z, y) => AveragePrecision.Loss(z, y, new AveragePrecision.Options { Tau = tau })));
}
