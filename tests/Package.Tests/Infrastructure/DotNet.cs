using System.Diagnostics;
using System.Text;

namespace MetricLoss.Package.Tests.Infrastructure;

/// <summary>What one command printed and how it ended.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output)
{
    public override string ToString() => $"`{Command}` exited {ExitCode}:{Environment.NewLine}{Output}";
}

/// <summary>
/// Runs the dotnet CLI as a user would, in a clean environment: no MSBuild or test-host variables inherited from
/// the `dotnet test` that runs these tests (they would point the child at this repository's build), no build
/// servers left behind (a lingering compiler server would hold the output pipes open), and a packages folder of
/// the test's own so that nothing is written into the machine's NuGet cache.
/// </summary>
public static class DotNet
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    public static CommandResult Run(string workingDirectory, string packagesFolder, params string[] arguments) =>
        RunProgram("dotnet", workingDirectory, packagesFolder, arguments);

    public static CommandResult RunProgram(string program, string workingDirectory, string? packagesFolder, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var name in start.Environment.Keys.Where(Inherited).ToList()) start.Environment.Remove(name);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        if (packagesFolder is not null) start.Environment["NUGET_PACKAGES"] = packagesFolder;

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"`{program} {string.Join(' ', arguments)}` ran over {Limit}:{Environment.NewLine}{output}");
        }
        process.WaitForExit(); // flushes the asynchronous readers
        return new CommandResult($"{program} {string.Join(' ', arguments)}", process.ExitCode, output.ToString());
    }

    // Variables through which the outer `dotnet test` would steer the child builds.
    private static bool Inherited(string name) =>
        name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase);
}
