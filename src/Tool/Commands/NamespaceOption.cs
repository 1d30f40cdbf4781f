namespace MetricLoss.Tool.Commands;

/// <summary>
/// <c>--namespace NS</c>: the namespace of a .metric file without a <c>namespace</c> line. A build passes the
/// project's RootNamespace, which the tool cannot know; <see cref="Default"/> keeps the output a valid,
/// predictable namespace instead of the global one.
/// </summary>
internal static class NamespaceOption
{
    public const string Name = "--namespace";

    public const string Default = "Metrics";

    public static string Read(CommandLine line)
    {
        var value = line.Single(Name, Default);
        if (string.IsNullOrWhiteSpace(value)) throw new UsageException($"{line.Command}: `{Name}` needs a namespace such as My.Metrics");
        return value;
    }
}
