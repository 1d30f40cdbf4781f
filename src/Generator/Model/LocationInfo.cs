using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace MetricLoss.Generator.Model;

/// <summary>A place in a file as plain data (Roslyn's Location is not equatable and pins syntax trees).</summary>
public sealed record LocationInfo(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public Location ToLocation() =>
        Location.Create(Path, new TextSpan(Start, Length),
            new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}
