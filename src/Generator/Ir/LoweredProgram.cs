using System.Collections.Generic;
using MetricLoss.Generator.Lowering;

namespace MetricLoss.Generator.Ir;

/// <summary>A program lowered from a bound metric: its statements in order and the goal's value.</summary>
internal sealed record LoweredProgram(IReadOnlyList<Statement> Statements, ProgramValue Goal);
