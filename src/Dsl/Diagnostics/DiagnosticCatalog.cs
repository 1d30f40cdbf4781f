using System.Collections.Generic;

namespace MetricLoss.Dsl.Diagnostics;

/// <summary>One entry of the diagnostic table: the single source of truth for ids, titles and severities.
/// The generator turns these into Roslyn descriptors; docs/diagnostics.md documents each one.</summary>
public sealed record DiagnosticKind(string Id, string Title, DslSeverity Severity, string Category);

/// <summary>
/// Every MTR diagnostic. Ranges: 0001-0099 syntax, 0100-0149 binding, 0150-0199 lowering,
/// 0200-0299 C# host, 0900+ internal. Retired ids are never reused.
/// </summary>
public static class DiagnosticCatalog
{
    private const string Syntax = "MetricLoss.Syntax";
    private const string Binding = "MetricLoss.Binding";
    private const string Lowering = "MetricLoss.Lowering";
    private const string Host = "MetricLoss.Host";

    public static readonly DiagnosticKind SyntaxError = new("MTR0001", "Syntax error", DslSeverity.Error, Syntax);
    public static readonly DiagnosticKind NamespaceInAttribute = new("MTR0002", "Namespace line not allowed here", DslSeverity.Error, Syntax);
    public static readonly DiagnosticKind EmptyFile = new("MTR0003", "No metric defined", DslSeverity.Warning, Syntax);
    public static readonly DiagnosticKind InvalidNumber = new("MTR0004", "Invalid number", DslSeverity.Error, Syntax);

    public static readonly DiagnosticKind UnknownName = new("MTR0100", "Unknown name", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind DuplicateName = new("MTR0101", "Duplicate name", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind UnknownFunction = new("MTR0102", "Unknown function or reducer", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind ArgumentCount = new("MTR0103", "Wrong number of arguments", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind IndexCount = new("MTR0104", "Wrong number of indices", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind AxisMismatch = new("MTR0105", "Axis mismatch", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind AxisSizeUnknown = new("MTR0106", "Axis size cannot be inferred", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind MissingTemperature = new("MTR0107", "Relaxed comparison without a temperature", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind TypeMismatch = new("MTR0108", "Type mismatch", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind FreeAxes = new("MTR0109", "Axes not declared", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind DifferentiableIdealDcg = new("MTR0110", "ideal_dcg on a differentiable input", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind MisplacedTemperature = new("MTR0111", "Temperature annotation not after a comparison", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind NonConstantTemperature = new("MTR0112", "Temperature is not a positive constant", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind InvalidDefault = new("MTR0113", "Invalid option default", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind GoalProblem = new("MTR0114", "Missing or misplaced goal", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind InvalidIndex = new("MTR0115", "Invalid index or binder", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind ReservedName = new("MTR0116", "Reserved name", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind UselessTemperature = new("MTR0117", "Temperature has no effect", DslSeverity.Warning, Binding);
    public static readonly DiagnosticKind InvalidInterpolateOption = new("MTR0118", "Invalid interpolate option", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind NoDifferentiableInput = new("MTR0119", "Metric has no differentiable input", DslSeverity.Warning, Binding);
    public static readonly DiagnosticKind InvalidType = new("MTR0120", "Invalid parameter type", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind CutOffOutOfRange = new("MTR0121", "Cut-off out of range", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind DivisorNotPositive = new("MTR0122", "Constant divisor is not positive", DslSeverity.Error, Binding);
    public static readonly DiagnosticKind NoEquality = new("MTR0123", "No equality operator", DslSeverity.Error, Binding);

    public static readonly DiagnosticKind NotSupportedYet = new("MTR0150", "Construct not supported yet", DslSeverity.Error, Lowering);
    public static readonly DiagnosticKind TooLargeToLower = new("MTR0151", "Metric too large to lower", DslSeverity.Error, Lowering);

    public static readonly DiagnosticKind HostNotStaticPartial = new("MTR0200", "[Metric] class must be static partial", DslSeverity.Error, Host);
    public static readonly DiagnosticKind HostNameMismatch = new("MTR0201", "Metric name differs from class name", DslSeverity.Error, Host);
    public static readonly DiagnosticKind HostNotConstant = new("MTR0202", "[Metric] argument is not a constant string", DslSeverity.Error, Host);
    public static readonly DiagnosticKind HostOneMetric = new("MTR0203", "[Metric] must hold exactly one metric", DslSeverity.Error, Host);
    public static readonly DiagnosticKind DuplicateMetric = new("MTR0204", "Metric defined twice", DslSeverity.Error, Host);
    public static readonly DiagnosticKind RuntimeNotReferenced = new("MTR0250", "MetricLoss runtime not referenced", DslSeverity.Error, Host);

    public static readonly DiagnosticKind InternalError = new("MTR0900", "Internal error in the MetricLoss generator", DslSeverity.Error, "MetricLoss.Internal");

    public static IReadOnlyList<DiagnosticKind> All { get; } = new[]
    {
        SyntaxError, NamespaceInAttribute, EmptyFile, InvalidNumber,
        UnknownName, DuplicateName, UnknownFunction, ArgumentCount, IndexCount, AxisMismatch, AxisSizeUnknown,
        MissingTemperature, TypeMismatch, FreeAxes, DifferentiableIdealDcg, MisplacedTemperature,
        NonConstantTemperature, InvalidDefault, GoalProblem, InvalidIndex, ReservedName, UselessTemperature,
        InvalidInterpolateOption, NoDifferentiableInput, InvalidType, CutOffOutOfRange, DivisorNotPositive, NoEquality,
        NotSupportedYet, TooLargeToLower,
        HostNotStaticPartial, HostNameMismatch, HostNotConstant, HostOneMetric, DuplicateMetric, RuntimeNotReferenced,
        InternalError,
    };

    public static DslDiagnostic Create(DiagnosticKind kind, Text.SourceSpan span, string message) =>
        new(kind.Id, kind.Severity, message, span);
}
