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
        // Inside the module, the metric's class and Settings are named so that neither an inherited member of the
        // TorchSharp base classes (forward, train, name, ...) nor a parameter of forward can stand for them.
        var self = MetricShape.Class(metric);

        w.Line();
        w.Line($"/// <summary>{metric.Name} as a TorchSharp loss module: forward is <see cref=\"{self}.Loss\"/>.</summary>");
        using (w.Block($"public sealed class Criterion : {baseType}"))
        {
            w.Line("/// <summary>Builds the module. It holds no tensors: build it once and reuse it (constructing a module is costly).</summary>");
            w.Line($"/// <param name=\"options\">The options of every call; null for <see cref=\"{self}.Options.Default\"/>.</param>");
            w.Line($"public Criterion({self}.Options? options = null) : {baseCall}");
            w.Line("{");
            w.Line($"    this.Settings = options ?? {self}.Options.Default;");
            w.Line("}");
            w.Line();
            w.Line("/// <summary>The options every call of this module uses.</summary>");
            w.Line($"public {self}.Options Settings {{ get; }}");
            w.Line();
            w.Line($"/// <summary>The loss of one batch: <see cref=\"{self}.Loss\"/> with <see cref=\"{self}.Criterion.Settings\"/>.</summary>");
            foreach (var input in metric.Inputs)
            {
                w.Line($"/// <param name=\"{input.Name}\">The input <c>{input.Name}</c> of <see cref=\"{self}.Loss\"/>.</param>");
            }
            w.Line($"/// <returns>The value of <see cref=\"{self}.Loss\"/>.</returns>");
            w.Line($"/// <exception cref=\"global::System.ArgumentException\">As <see cref=\"{self}.Loss\"/>: an input or option is invalid.</exception>");
            w.Line($"public override {tensor} forward({parameters}) => {self}.Loss({arguments}, this.Settings);");
        }
    }
}
