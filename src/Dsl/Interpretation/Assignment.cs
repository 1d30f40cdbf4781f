using System;
using System.Collections.Generic;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// The positions given to axis variables (by variable id) at one point of the evaluation. Immutable:
/// a reduction extends it with its binders, and nothing it extends can see those bindings, which is
/// exactly the scoping of the language.
/// </summary>
internal sealed class Assignment
{
    private readonly Dictionary<string, int> _positions;

    private Assignment(Dictionary<string, int> positions) => _positions = positions;

    /// <summary>No variable bound: where the goal is evaluated.</summary>
    public static Assignment Empty { get; } = new(new Dictionary<string, int>());

    /// <summary>The position of <paramref name="variable"/>.</summary>
    /// <exception cref="InvalidOperationException">The variable is not bound here (a bound-model inconsistency).</exception>
    public int this[string variable] =>
        _positions.TryGetValue(variable, out var position)
            ? position
            : throw new InvalidOperationException($"axis variable `{variable}` is used where it is not bound; the bound metric is inconsistent");

    /// <summary>This assignment with <paramref name="variable"/> at <paramref name="position"/> as well.</summary>
    public Assignment With(string variable, int position)
    {
        var positions = new Dictionary<string, int>(_positions) { [variable] = position };
        return new Assignment(positions);
    }
}
