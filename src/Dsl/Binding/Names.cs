using System;
using System.Collections.Generic;
using System.Linq;

namespace MetricLoss.Dsl.Binding;

/// <summary>Reserved words, built-in names and "did you mean" suggestions.</summary>
public static class Names
{
    public static readonly string[] Reducers = { "sum", "mean", "max", "min", "any", "all" };

    public static readonly string[] Functions = { "step", "sqrt", "log", "log2", "exp", "abs", "min", "max", "clamp", "where" };

    public static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "metric", "namespace", "maximize", "minimize", "interpolate", "const", "real", "bool", "int", "index", "ideal_dcg",
    };

    /// <summary>
    /// Members every generated Options record inherits or has (MetricOptions' and object's, the record's own, the
    /// anchors of interpolated metrics) and the record's own name; an option may not turn into one of these.
    /// </summary>
    public static readonly HashSet<string> ReservedOptionProperties = new(StringComparer.Ordinal)
    {
        "Relaxation", "Epsilon", "MaxPairwiseElements", "Seed", "Generator", "Validate", "ValidateOwn", "ValidateValues", "ChecksValues", "SortBasedRanks",
        "Default", "EqualityContract", "PrintMembers", "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone",
        "Finalize", "ReferenceEquals", "AnchorsGood", "AnchorsNearby", "AnchorsRandom", "Options",
    };

    /// <summary>The members of a metric's generated class: a class cannot have a member of its own name.</summary>
    public static readonly HashSet<string> GeneratedMembers = new(StringComparer.Ordinal)
    {
        "Options", "Info", "Exact", "Smooth", "Loss", "Criterion", "Evaluator",
    };

    /// <summary>
    /// Names C# cannot give the generated class even with an <c>@</c>: a class <c>var</c> would turn the keyword into that
    /// class wherever it is in scope, in the locals of every metric of its namespace.
    /// </summary>
    public static readonly HashSet<string> RefusedClassNames = new(StringComparer.Ordinal) { "var" };

    /// <summary>
    /// Names containing "__" are the generated code's own (Generator/Emit/Local spells every local it declares so), as C#
    /// reserves them for the implementation: no name of a definition may contain it.
    /// </summary>
    public static bool IsReservedForGeneratedCode(string name) => name.IndexOf("__", StringComparison.Ordinal) >= 0;

    public static bool IsBuiltIn(string name) =>
        Keywords.Contains(name) || Reducers.Contains(name) || Functions.Contains(name);

    /// <summary>
    /// <c>tau_rank</c> → <c>TauRank</c>: how options become C# properties. Where that would be no identifier (<c>_1</c>
    /// → <c>1</c>, <c>_</c> → nothing) the property keeps a leading underscore (<c>_1</c>, <c>_</c>).
    /// </summary>
    public static string ToPascalCase(string name)
    {
        var pascal = string.Concat(name.Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));
        return pascal.Length == 0 || char.IsDigit(pascal[0]) ? "_" + pascal : pascal;
    }

    public static string? Suggest(string name, IEnumerable<string> candidates)
    {
        // Edit distances cost the product of the lengths: a long name gets no suggestion, and a candidate whose length
        // alone puts it beyond the threshold is not compared (an error per statement among thousands stays cheap).
        if (name.Length > 64) return null;
        var threshold = Math.Max(1, name.Length / 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (Math.Abs(candidate.Length - name.Length) > threshold) continue;
            var distance = EditDistance(name, candidate);
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }
        return bestDistance <= threshold ? best : null;
    }

    /// <summary>Edits (insert, delete, replace, or swap two neighbours: <c>lable</c> is one edit from <c>label</c>).</summary>
    private static int EditDistance(string a, string b)
    {
        var beforePrevious = new int[b.Length + 1];
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
                }
            }
            beforePrevious = previous;
            previous = current;
        }
        return previous[b.Length];
    }
}
