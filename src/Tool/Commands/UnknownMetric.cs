using System.Collections.Generic;
using System.Linq;

namespace MetricLoss.Tool.Commands;

/// <summary>The usage error of a command given a metric name that its file does not define (show, explain).</summary>
internal static class UnknownMetric
{
    public static UsageException Error(string command, string path, string name, IReadOnlyList<string> defined)
    {
        var list = defined.Count == 0 ? "it defines no metric" : $"it defines {string.Join(", ", defined.Select(n => $"`{n}`"))}";
        return new UsageException($"{command}: `{path}` has no metric `{name}`; {list}");
    }
}
