using System;

namespace MetricLoss.Tool;

/// <summary>
/// A problem with what the user gave (arguments, files, CSV content): reported as one message on stderr
/// with exit code 2, never as a stack trace.
/// </summary>
internal sealed class UsageException(string message) : Exception(message);
