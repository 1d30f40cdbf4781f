using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace MetricLoss.Evaluation;

/// <summary>
/// The bounded state of ROC AUC and AP (<see cref="EvaluatorStateKind.Bins"/>): positives and negatives per score bin,
/// 2·Count + 2 numbers whatever the number of items. Compute is the metric of the binned scores
/// (<see cref="BinnedRanks"/>), <see cref="ErrorBound"/> how far from the exact value it can be.
/// </summary>
public sealed class BinnedStore : EvaluatorStore
{
    private readonly BinnedRankForm _form;
    private readonly EvaluatorBins _bins;
    private readonly double[] _positives;
    private readonly double[] _negatives;

    /// <summary>An empty store of <paramref name="bins"/>.</summary>
    /// <param name="info">The metric.</param>
    /// <param name="form">Which metric the counts give.</param>
    /// <param name="bins">The bins.</param>
    public BinnedStore(MetricInfo info, BinnedRankForm form, EvaluatorBins bins)
        : base(info, EvaluatorStateKind.Bins)
    {
        _bins = bins ?? throw new ArgumentNullException(nameof(bins));
        bins.Validate();
        _form = form;
        _positives = new double[bins.Count];
        _negatives = new double[bins.Count];
    }

    /// <summary>The bins.</summary>
    public EvaluatorBins Bins => _bins;

    /// <summary>Counts one batch of scores and labels (already checked by the generated Update).</summary>
    /// <param name="score">The scores, one dimension.</param>
    /// <param name="label">The labels (bool or 0/1), as many.</param>
    public void AddScores(Tensor score, Tensor label)
    {
        if (score is null) throw new ArgumentNullException(nameof(score));
        if (label is null) throw new ArgumentNullException(nameof(label));
        using var scope = NewDisposeScope();
        var scores = score.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        var labels = label.detach().to_type(ScalarType.Float64).cpu().contiguous().data<double>().ToArray();
        for (var i = 0; i < scores.Length; i++)
        {
            var bin = _bins.BinOf(scores[i]);
            if (labels[i] != 0) _positives[bin]++;
            else _negatives[bin]++;
        }
        Count += scores.Length;
    }

    /// <inheritdoc/>
    public override double ErrorBound => BinnedRanks.Compute(_form, _positives, _negatives).Bound;

    /// <inheritdoc/>
    public override double Compute() => BinnedRanks.Compute(_form, _positives, _negatives).Value;

    /// <inheritdoc/>
    public override EvaluatorState ToState() => new(
        Info.Name,
        Count,
        new[]
        {
            new EvaluatorInput("positives", new long[] { _bins.Count }, _positives.ToArray()),
            new EvaluatorInput("negatives", new long[] { _bins.Count }, _negatives.ToArray()),
            new EvaluatorInput("range", new long[] { 2 }, new[] { _bins.Low, _bins.High }),
        })
    {
        Kind = Kind,
    };

    /// <inheritdoc/>
    public override void Add(EvaluatorState state)
    {
        Check(state, 3);
        var range = state.Inputs[2].Data;
        if (state.Inputs[0].Data.Length != _bins.Count || state.Inputs[1].Data.Length != _bins.Count || range.Length != 2 || range[0] != _bins.Low || range[1] != _bins.High)
        {
            throw new ArgumentException(
                $"{Info.Name}: the state's bins ({state.Inputs[0].Data.Length} over [{string.Join(", ", range)}]) are not this evaluator's ({_bins.Count} over [{_bins.Low}, {_bins.High}]); counts of different bins do not add.",
                nameof(state));
        }
        for (var b = 0; b < _bins.Count; b++)
        {
            _positives[b] += state.Inputs[0].Data[b];
            _negatives[b] += state.Inputs[1].Data[b];
        }
        Count += state.Count;
    }

    /// <inheritdoc/>
    public override void Reset()
    {
        Array.Clear(_positives, 0, _positives.Length);
        Array.Clear(_negatives, 0, _negatives.Length);
        Count = 0;
    }
}
