using System.ComponentModel;

namespace MetricLoss.Runtime;

/// <summary>How the results of the chunks of a reduction make the whole.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public enum ChunkCombine
{
    /// <summary>The chunk axis is an output axis: concatenate the chunks along it.</summary>
    Concatenate,

    /// <summary>The chunk axis is reduced by a sum (or a mean already divided by the full count): add the chunks.</summary>
    Sum,
}
