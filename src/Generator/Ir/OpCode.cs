namespace MetricLoss.Generator.Ir;

/// <summary>
/// The operations of a lowered program. Number operations are C# <c>double</c> arithmetic (constants, options,
/// sizes); tensor operations are TorchSharp methods or the runtime's helpers (MetricOps, DenseOps, the ranking
/// kernels), whose semantics are documented there. Operands are listed in brackets; <see cref="OpPrinter"/> holds each
/// one's C# form.
/// </summary>
internal enum OpCode
{
    // Numbers.
    /// <summary>−[a].</summary>
    NumberNegate,
    /// <summary>1 − [a] (a bool as 0/1).</summary>
    NumberNot,
    /// <summary>[a] + [b].</summary>
    NumberAdd,
    /// <summary>[a] − [b].</summary>
    NumberSubtract,
    /// <summary>[a] · [b].</summary>
    NumberMultiply,
    /// <summary>1 / [a].</summary>
    NumberReciprocal,
    /// <summary>[a]^[b].</summary>
    NumberPower,
    /// <summary>1 if [a] &gt; [b], else 0.</summary>
    NumberGreater,
    /// <summary>1 if [a] ≥ [b], else 0.</summary>
    NumberGreaterOrEqual,
    /// <summary>1 if [a] ≠ 0, else 0.</summary>
    NumberNonZero,
    /// <summary>[b] if [a] ≠ 0, else [c].</summary>
    NumberWhere,
    /// <summary>e^[a].</summary>
    NumberExp,
    /// <summary>|[a]|.</summary>
    NumberAbs,
    /// <summary>min([a], [b]).</summary>
    NumberMin,
    /// <summary>max([a], [b]).</summary>
    NumberMax,
    /// <summary>√[a].</summary>
    NumberSqrt,
    /// <summary>ln [a].</summary>
    NumberLog,
    /// <summary>log₂ [a].</summary>
    NumberLog2,
    /// <summary>1 − (1 − [a])^[n]: any of [n] equal values.</summary>
    NumberAnyOf,

    // Elementwise, on tensors or (the helpers with number overloads) numbers.
    /// <summary>−[t].</summary>
    Negate,
    /// <summary>1 − [t] (MetricOps.Not).</summary>
    Not,
    /// <summary>[t] + [u].</summary>
    Add,
    /// <summary>[t] − [u].</summary>
    Subtract,
    /// <summary>[t] · [u].</summary>
    Multiply,
    /// <summary>[a] + [b], one of them a number (MetricOps.Add).</summary>
    AddNumber,
    /// <summary>[a] − [b], one of them a number (MetricOps.Subtract).</summary>
    SubtractNumber,
    /// <summary>[a] · [b], one of them a number (MetricOps.Multiply).</summary>
    MultiplyNumber,
    /// <summary>[a] + [b] − [a]·[b] (MetricOps.Or).</summary>
    Or,
    /// <summary>[a]^[b] (MetricOps.Power).</summary>
    Power,
    /// <summary>[a] / max([b], [ε]) (MetricOps.DivideSmooth).</summary>
    DivideSmooth,
    /// <summary>[a] / [b], 0 where [b] = 0, no gradient through [b] (MetricOps.DivideByConstant).</summary>
    DivideByConstant,
    /// <summary>[a] / [b], 0 where [b] = 0 (MetricOps.DivideExact).</summary>
    DivideExact,
    /// <summary>1 where [a] &gt; [b] (or ≥ when [orEqual]) (MetricOps.Greater).</summary>
    Greater,
    /// <summary>min([a], [b]) (MetricOps.Minimum).</summary>
    Minimum,
    /// <summary>max([a], [b]) (MetricOps.Maximum).</summary>
    Maximum,
    /// <summary>[a] − [b] with ∞ − ∞ a tie (MetricOps.Difference).</summary>
    Difference,
    /// <summary>relax(([high] − [low])/[τ]) under [relaxation], pairwise, in place (MetricOps.RelaxPairwise).</summary>
    RelaxPairwise,
    /// <summary>relax([d]/[τ]) under [relaxation] (MetricOps.Relax).</summary>
    Relax,
    /// <summary>relax([d]/[τ]) of a fresh difference, in place (MetricOps.RelaxDifference).</summary>
    RelaxDifference,
    /// <summary>1 where [high] − [low] &gt; 0, ∞ − ∞ a tie (MetricOps.StepDifference).</summary>
    StepDifference,
    /// <summary>1 where [a] &gt; 0 (MetricOps.Step).</summary>
    Step,
    /// <summary>e^[t].</summary>
    Exp,
    /// <summary>|[t]|.</summary>
    Abs,
    /// <summary>√max([t], [ε]) (MetricOps.SqrtSmooth).</summary>
    SqrtSmooth,
    /// <summary>ln max([t], [ε]) (MetricOps.LogSmooth).</summary>
    LogSmooth,
    /// <summary>log₂ max([t], [ε]) (MetricOps.Log2Smooth).</summary>
    Log2Smooth,
    /// <summary>√[t].</summary>
    Sqrt,
    /// <summary>ln [t].</summary>
    Log,
    /// <summary>log₂ [t].</summary>
    Log2,
    /// <summary>A tensor shaped like [like] filled with the number [value] (MetricOps.Fill).</summary>
    Fill,
    /// <summary>[b] where [condition] ≠ 0, else [c] (MetricOps.Where).</summary>
    Where,
    /// <summary>1 where [t] ≠ 0 (MetricOps.NonZero).</summary>
    NonZero,

    // Shapes and types.
    /// <summary>A tensor of shape [sizes] filled with [value], in [dtype] on [device] (MetricOps.Full).</summary>
    Full,
    /// <summary>[t] broadcast to [sizes].</summary>
    Expand,
    /// <summary>[t] with its dimensions in the order [dims].</summary>
    Permute,
    /// <summary>[t] with a dimension of size 1 inserted at [dim].</summary>
    Unsqueeze,
    /// <summary>[t] in [dtype].</summary>
    ToType,
    /// <summary>[t] copied contiguous.</summary>
    Contiguous,
    /// <summary>[t] reshaped to [shape].</summary>
    Reshape,

    // Reductions over [dims] of [t].
    /// <summary>Σ over [dims].</summary>
    Sum,
    /// <summary>Mean over [dims].</summary>
    Mean,
    /// <summary>Max over [dims].</summary>
    Max,
    /// <summary>Min over [dims].</summary>
    Min,
    /// <summary>Any over [dims], 1 − Π(1 − t) (MetricOps.Any).</summary>
    Any,
    /// <summary>All over [dims], Π t (MetricOps.All).</summary>
    All,
    /// <summary>Σ over [dims] of [t] where the bool [mask] holds (DenseOps.SumWhere).</summary>
    SumWhere,
    /// <summary>Mean over [dims] of [t] weighted by the 0/1 [mask] (DenseOps.MeanMasked).</summary>
    MeanMasked,
    /// <summary>Max under [mask] (DenseOps.MaxMasked).</summary>
    MaxMasked,
    /// <summary>Min under [mask] (DenseOps.MinMasked).</summary>
    MinMasked,
    /// <summary>Any under [mask] (DenseOps.AnyMasked).</summary>
    AnyMasked,
    /// <summary>All under [mask] (DenseOps.AllMasked).</summary>
    AllMasked,

    // Positions, gathers and masks.
    /// <summary>0 … [n] − 1 as int64 on [device] (DenseOps.Positions).</summary>
    Positions,
    /// <summary>[start] … [start] + [length] − 1 as int64 on [device] (DenseOps.PositionRange).</summary>
    PositionRange,
    /// <summary>[t] indexed by one int64 tensor per dimension, [indices] (advanced indexing).</summary>
    Index,
    /// <summary>Bool: [positions] ≠ [excluded] (DenseOps.Keep).</summary>
    Keep,
    /// <summary>Bool: [positions] ≠ [excluded] and [condition] (DenseOps.KeepWhere).</summary>
    KeepWhere,
    /// <summary>0/1 in [dtype]: [positions] ≠ [excluded] (DenseOps.Exclude).</summary>
    Exclude,
    /// <summary>[a] and [b], bool.</summary>
    LogicalAnd,
    /// <summary>The ideal DCG of the gains [t] along [dim] at cut-off [k] (DenseOps.IdealDcg).</summary>
    IdealDcg,
    /// <summary>The positions where the 0/1 [mask] holds, per row, as (index, valid, size) in [dtype] (DenseOps.Support).</summary>
    Support,
    /// <summary>Dense.RequirePairwiseBudget([metric], [sizes], [budget], [names]): an ArgumentException beyond the budget.</summary>
    RequirePairwiseBudget,
    /// <summary>[tensors] concatenated along dimension 0.</summary>
    Concatenate,

    // The UniLoss surrogate of an interpolated metric (docs/language.md, "Interpolation mode").
    /// <summary>A generator of the program's own, seeded by [options].Seed on [device], unless [options] brings one (DenseOps.AnchorGenerator).</summary>
    OwnAnchorGenerator,
    /// <summary>[options]'s generator, else [own].</summary>
    AnchorGenerator,
    /// <summary>The number of anchors in the batch [anchors].</summary>
    AnchorCount,
    /// <summary>The coordinate block shaped like [block] read from the anchors [anchors] at [offset] (DenseOps.AnchorBlock).</summary>
    AnchorBlock,
    /// <summary>The number of elements of [t].</summary>
    Numel,

    // Ranking kernels (src/Runtime/Kernels/Ranking).
    /// <summary>The sort of each row of [x], its ties grouped (TieGroups), shared by the counts over it.</summary>
    TieGroups,
    /// <summary>Per item, Σ_j [mask]_j·[x_j &gt; x_i] (or ≥ unless [strict]), without j = i when [excludeSelf] (TieGroups.CountAbove on [groups]).</summary>
    CountAbove,
    /// <summary>As <see cref="CountAbove"/> with step's ties (TieGroups.StepCountAbove on [groups]: [mask], [excludeSelf]).</summary>
    StepCountAbove,
    /// <summary>Per item, Σ_j [mask]_j·relax(([x_j] − [x_i])/[τ]) by one sort and prefix sums ([excludeSelf], [relaxation]) (SmoothRankSums.Sum).</summary>
    SmoothRankSum,

    /// <summary>SmoothRankSum only at the items of a constant mask [rows], 0 elsewhere (SmoothRankSums.Sum's row restriction).</summary>
    SmoothRankSumAt,
}
