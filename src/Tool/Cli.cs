using System;
using System.IO;
using MetricLoss.Tool.Commands;

namespace MetricLoss.Tool;

/// <summary>
/// Dispatches the command line to one command. Output goes to the writers given, not to
/// <see cref="Console"/>, so that tests call the commands in-process and read what they printed.
/// </summary>
internal static class Cli
{
    public const string Name = "metricloss";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Length == 0)
            {
                stderr.Write(HelpText.Usage);
                return ExitCodes.Usage;
            }
            var rest = args[1..];
            switch (args[0])
            {
                case "--help" or "-h" or "help":
                    stdout.Write(HelpText.Usage);
                    return ExitCodes.Success;
                case "--version":
                    stdout.WriteLine(Version);
                    return ExitCodes.Success;
                case "check":
                    return CheckCommand.Run(rest, stdout, stderr);
                case "show":
                    return ShowCommand.Run(rest, stdout, stderr);
                case "eval":
                    return EvalCommand.Run(rest, stdout, stderr);
                case "explain":
                    return ExplainCommand.Run(rest, stdout, stderr);
                default:
                    throw new UsageException($"unknown command `{args[0]}`; expected check, show, eval, explain, --help or --version");
            }
        }
        catch (UsageException exception)
        {
            stderr.WriteLine($"{Name}: {exception.Message}");
            return ExitCodes.Usage;
        }
        catch (Exception exception)
        {
            stderr.WriteLine($"{Name}: internal error ({exception.GetType().Name}: {exception.Message}); please report this with the command line");
            return ExitCodes.Internal;
        }
    }

    /// <summary>The tool's assembly version (the package version with a fourth part).</summary>
    public static string Version => typeof(Cli).Assembly.GetName().Version?.ToString() ?? "unknown";
}
