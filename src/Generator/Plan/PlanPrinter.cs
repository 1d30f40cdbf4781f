using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MetricLoss.Generator.Plan;

/// <summary>
/// The text of a <see cref="MetricPlan"/>, as <c>metricloss explain</c> prints it and <c>Info.Plan</c> holds it: per
/// statement of each program, the lowering of each reduction, its cost class as the axes grow, its peak intermediate
/// (in elements, for the sizes given; symbolic otherwise) and its host syncs.
/// </summary>
internal static class PlanPrinter
{
    /// <summary>Options.MaxPairwiseElements by default (MetricOptions).</summary>
    private const long DefaultBudget = 1L << 24;

    public static string Print(MetricPlan plan, IReadOnlyDictionary<string, long>? sizes = null)
    {
        var text = new StringBuilder();
        text.Append("Plan of ").Append(plan.Metric).Append(": how the generated code computes each statement.\n");
        if (sizes is { Count: > 0 })
        {
            text.Append("Sizes: ").Append(string.Join(", ", sizes.Select(s => $"{s.Key} = {Number(s.Value)}"))).Append('\n');
        }
        foreach (var program in new[] { plan.Exact, plan.Smooth, plan.SortedSmooth }.OfType<ProgramPlan>())
        {
            text.Append('\n').Append(program.Name).Append(" program\n");
            foreach (var statement in program.Statements) Statement(text, statement, sizes);
            foreach (var note in program.Notes) text.Append("  note: ").Append(note).Append('\n');
        }
        return text.ToString();
    }

    private static void Statement(StringBuilder text, StatementPlan statement, IReadOnlyDictionary<string, long>? sizes)
    {
        text.Append("  ").Append(statement.Name);
        if (statement.Axes.Count > 0) text.Append('[').Append(string.Join(", ", statement.Axes)).Append(']');
        if (statement.Steps.Count == 0)
        {
            text.Append(": elementwise, O(").Append(statement.Axes.Count == 0 ? "1" : Monomial(statement.Axes)).Append(")\n");
            return;
        }
        text.Append('\n');
        foreach (var step in statement.Steps)
        {
            text.Append(new string(' ', 4 + 2 * step.Depth)).Append(step.Reducer).Append(": ").Append(step.Lowering);
            if (step.Work.Count > 0)
            {
                text.Append(", cost O(").Append(Cost(step)).Append("), peak ").Append(Peak(step, sizes));
            }
            else if (step.Lowering.StartsWith("separable", System.StringComparison.Ordinal) || step.Lowering.StartsWith("distributed", System.StringComparison.Ordinal))
            {
                text.Append(" (the terms below)");
            }
            if (step.HostSyncs.Length > 0) text.Append(", host sync ").Append(step.HostSyncs);
            text.Append('\n');
        }
    }

    /// <summary>The work's growth: a monomial of the axes (n², q·n·|P|), the sorted axis as N log N.</summary>
    public static string Cost(PlanStep step)
    {
        if (!step.SortBased) return Monomial(step.Work);
        var sorted = step.Work[step.Work.Count - 1];
        var rows = step.Work.Take(step.Work.Count - 1).ToList();
        var perRow = $"{sorted} log {sorted}";
        return rows.Count == 0 ? perRow : $"{Monomial(rows)}·{perRow}";
    }

    /// <summary>
    /// The peak intermediate: elements for known sizes, else the product of the axes; a chunked one is the largest of its
    /// own and those inside its body, bounded by the budget.
    /// </summary>
    public static string Peak(PlanStep step, IReadOnlyDictionary<string, long>? sizes)
    {
        var candidates = new[] { step.Peak }.Concat(step.InnerPeaks).ToList();
        var symbolic = (candidates.Count == 1 ? Monomial(step.Peak) : $"max({string.Join(", ", candidates.Select(Monomial))})") + " elements";
        const string refused = ", whole: an ArgumentException beyond MaxPairwiseElements";
        if (sizes is null || !candidates.All(c => c.All(sizes.ContainsKey)))
        {
            return step.Chunked ? $"{symbolic}, in chunks of at most MaxPairwiseElements ({Number(DefaultBudget)} by default)"
                : step.BudgetChecked ? symbolic + refused : symbolic;
        }
        var elements = candidates.Max(c => c.Aggregate(1L, (product, axis) => product * sizes[axis]));
        var whole = $"{Number(elements)} elements ({symbolic})";
        if (!step.Chunked && step.BudgetChecked && elements > DefaultBudget)
        {
            return $"{whole}, beyond the default MaxPairwiseElements ({Number(DefaultBudget)}): an ArgumentException unless the option is raised";
        }
        if (!step.Chunked) return step.BudgetChecked ? whole + refused : whole;
        return elements <= DefaultBudget
            ? whole + ", one chunk within the default budget"
            : $"{whole}, in chunks of at most MaxPairwiseElements ({Number(DefaultBudget)} by default)";
    }

    private static string Monomial(IReadOnlyList<string> axes) =>
        string.Join("·", axes.GroupBy(a => a).Select(g => g.Count() == 1 ? g.Key : g.Key + Superscript(g.Count())));

    private static string Superscript(int power) =>
        string.Concat(power.ToString(CultureInfo.InvariantCulture).Select(d => "⁰¹²³⁴⁵⁶⁷⁸⁹"[d - '0']));

    private static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
