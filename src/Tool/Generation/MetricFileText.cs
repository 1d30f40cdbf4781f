using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace MetricLoss.Tool.Generation;

/// <summary>A .metric file as the generator receives it in a build: an AdditionalFile with its path.</summary>
internal sealed class MetricFileText(string path, string text) : AdditionalText
{
    private readonly SourceText _text = SourceText.From(text);

    public override string Path { get; } = path;

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}
