using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace MetricLoss.Generator.Lowering;

/// <summary>
/// Identity, not value equality: a node of a rewritten expression is one place in the program (the same statement
/// read twice is one shared node), and record equality on a shared expression would walk every path through it.
/// </summary>
internal sealed class ReferenceComparer<T> : IEqualityComparer<T> where T : class
{
    public static readonly ReferenceComparer<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
