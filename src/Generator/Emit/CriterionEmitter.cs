using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Generator.Emit;

/// <summary>
/// <c>Criterion</c>: the TorchSharp loss module whose forward is <c>Loss</c>. It holds no tensors, so
/// moving it between devices is a no-op; build it once and reuse it (module construction is costly).
/// </summary>
internal static class CriterionEmitter
{
    public static void Emit(BoundMetric metric, SourceWriter w)
    {
        var count = metric.Inputs.Count;
        if (count is < 1 or > 6) return;
        var tensor = CSharp.Tensor;
        var typeArguments = string.Join(", ", Enumerable.Repeat(tensor, count + 1));
        var baseType = count is >= 2 and <= 4
            ? $"global::TorchSharp.Loss<{typeArguments}>"
            : $"global::TorchSharp.torch.nn.Module<{typeArguments}>";
        var baseCall = count is >= 2 and <= 4 ? "base(global::TorchSharp.torch.nn.Reduction.Mean)" : $"base({CSharp.String(metric.Name)})";
        var parameters = string.Join(", ", metric.Inputs.Select(i => $"{tensor} {CSharp.Identifier(i.Name)}"));
        var arguments = string.Join(", ", metric.Inputs.Select(i => CSharp.Identifier(i.Name)));

        w.Line();
        w.Line($"/// <summary>{metric.Name} as a TorchSharp loss module: forward is <see cref=\"Loss\"/>.</summary>");
        using (w.Block($"public sealed class Criterion : {baseType}"))
        {
            w.Line($"public Criterion(Options? options = null) : {baseCall}");
            w.Line("{");
            w.Line($"    Settings = options ?? {metric.Name}.Options.Default;");
            w.Line("}");
            w.Line();
            w.Line("/// <summary>The options every call of this module uses.</summary>");
            w.Line($"public {metric.Name}.Options Settings {{ get; }}");
            w.Line();
            w.Line($"public override {tensor} forward({parameters}) => {metric.Name}.Loss({arguments}, Settings);");
        }
    }
}
