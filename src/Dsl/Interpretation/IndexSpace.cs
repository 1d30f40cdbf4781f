using System.Collections.Generic;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>All assignments of a list of axis variables, each ranging over 0..size−1.</summary>
internal static class IndexSpace
{
    /// <summary>
    /// Every extension of <paramref name="outer"/> by <paramref name="variables"/> (with the given sizes), in
    /// row-major order: the last variable varies fastest, so the n-th assignment is the n-th element of a
    /// <see cref="DenseArray"/> over these variables. No variables: the one assignment <paramref name="outer"/>.
    /// </summary>
    public static IEnumerable<Assignment> Enumerate(Assignment outer, IReadOnlyList<string> variables, IReadOnlyList<int> sizes)
    {
        return Extend(outer, 0);

        IEnumerable<Assignment> Extend(Assignment assignment, int depth)
        {
            if (depth == variables.Count)
            {
                yield return assignment;
                yield break;
            }
            for (var position = 0; position < sizes[depth]; position++)
            {
                foreach (var inner in Extend(assignment.With(variables[depth], position), depth + 1)) yield return inner;
            }
        }
    }
}
