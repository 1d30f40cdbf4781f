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

    /// <summary>Properties every generated Options record inherits or has; an option may not turn into one of these.</summary>
    public static readonly HashSet<string> ReservedOptionProperties = new(StringComparer.Ordinal)
    {
        "Relaxation", "Epsilon", "MaxPairwiseElements", "Seed", "Default", "EqualityContract", "Validate", "ValidateOwn",
        "AnchorsGood", "AnchorsNearby", "AnchorsRandom", "Generator", "ValidateValues", "ChecksValues",
    };

    public static bool IsBuiltIn(string name) =>
        Keywords.Contains(name) || Reducers.Contains(name) || Functions.Contains(name);

    /// <summary><c>tau_rank</c> → <c>TauRank</c>: how options become C# properties.</summary>
    public static string ToPascalCase(string name) =>
        string.Concat(name.Split(new[] { '_' }, StringSplitOptions.RemoveEmptyEntries)
            .Select(part => char.ToUpperInvariant(part[0]) + part.Substring(1)));

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
