using System;
using System.Collections.Generic;
using System.Linq;

namespace MetricLoss.Tool.Commands;

/// <summary>
/// The arguments of one command, split by hand: positional arguments, and options that take a value
/// (<c>--name value</c> or <c>--name=value</c>). <c>--</c> ends the options, for files whose name starts with <c>-</c>.
/// </summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private CommandLine(string command) => Command = command;

    public string Command { get; }

    public List<string> Positional { get; } = new();

    /// <param name="options">The options this command accepts, each with its leading dashes.</param>
    /// <exception cref="UsageException">An unknown option, or an option without its value.</exception>
    public static CommandLine Parse(string command, IReadOnlyList<string> args, params string[] options)
    {
        var result = new CommandLine(command);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                result.Positional.AddRange(args.Skip(i + 1));
                break;
            }
            if (!arg.StartsWith('-') || arg == "-")
            {
                result.Positional.Add(arg);
                continue;
            }
            var equals = arg.IndexOf('=');
            var name = equals < 0 ? arg : arg[..equals];
            if (!options.Contains(name))
            {
                var known = options.Length == 0 ? "it takes no options" : $"its options are {string.Join(", ", options)}";
                throw new UsageException($"{command}: unknown option `{name}`; {known}");
            }
            string value;
            if (equals >= 0) value = arg[(equals + 1)..];
            else if (i + 1 < args.Count) value = args[++i];
            else throw new UsageException($"{command}: option `{name}` needs a value");
            if (!result._values.TryGetValue(name, out var list)) result._values[name] = list = new List<string>();
            list.Add(value);
        }
        return result;
    }

    /// <summary>Every value given to <paramref name="option"/>, in order.</summary>
    public IReadOnlyList<string> Values(string option) =>
        _values.TryGetValue(option, out var list) ? list : Array.Empty<string>();

    /// <summary>The value of an option given at most once, else <paramref name="fallback"/>.</summary>
    public string Single(string option, string fallback)
    {
        var values = Values(option);
        if (values.Count > 1) throw new UsageException($"{Command}: option `{option}` is given {values.Count} times");
        return values.Count == 1 ? values[0] : fallback;
    }
}
