namespace MetricLoss.Generator.Tests.Ir;

/// <summary>What an evaluation ran: chunked reductions, and those of them split into more than one chunk.</summary>
internal sealed class IrTrace
{
    public int Chunked { get; set; }

    public int Split { get; set; }
}
