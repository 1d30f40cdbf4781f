namespace MetricLoss.Tool;

/// <summary>The exit codes of every command; CI scripts and editors branch on them, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>Done; no error diagnostics (warnings may have been printed).</summary>
    public const int Success = 0;

    /// <summary>A metric definition has errors: they were printed in the compiler's format.</summary>
    public const int Diagnostics = 1;

    /// <summary>The command line or an input is wrong (unknown command or metric, missing file, bad CSV cell, ...).</summary>
    public const int Usage = 2;

    /// <summary>The tool itself failed: a bug to report.</summary>
    public const int Internal = 3;
}
