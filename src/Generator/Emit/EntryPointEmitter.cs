using System.Collections.Generic;
using System.Linq;
using MetricLoss.Dsl.Bound;
using MetricLoss.Generator.Ir;
using MetricLoss.Generator.Lowering;

namespace MetricLoss.Generator.Emit;

/// <summary>Exact (tensor and span overloads), Smooth and Loss.</summary>
internal static class EntryPointEmitter
{
    private const string Ops = CSharp.Ops;
    private const string Tensor = CSharp.Tensor;

    /// <summary>The tensor inputs, then the options (a metric may have no input at all).</summary>
    private static string Parameters(BoundMetric metric) =>
        string.Join(", ", metric.Inputs.Select(i => $"{Tensor} {CSharp.Identifier(i.Name)}")
            .Append($"Options? {MetricShape.OptionsParameter(metric)} = null"));

    private static string Arguments(BoundMetric metric) =>
        string.Join(", ", metric.Inputs.Select(i => CSharp.Identifier(i.Name)).Append(MetricShape.OptionsParameter(metric)));

    public static void EmitExact(BoundMetric metric, SourceWriter w)
    {
        w.Line($"/// <summary>The exact value of {metric.Name} (hard comparisons, float64, any device). Not differentiable.</summary>");
        DocComments.TensorParameters(metric, w);
        w.Line("/// <returns>The metric's value; a division by 0 counts 0.</returns>");
        DocComments.Exceptions(w, checksValues: true);
        using (w.Block($"public static double Exact({Parameters(metric)})"))
        {
            var result = EmitExactProgram(metric, w);
            w.Line($"var {Local.Goal} = {result.Text};");
            w.Line(result.IsNumber ? $"return {Local.Goal};" : $"return {Local.Goal}.item<double>();");
        }
        if (MetricShape.HasSpanOverloads(metric))
        {
            var reals = metric.Inputs.Any(i => i.Kind is InputKind.Real or InputKind.ConstReal);
            EmitSpanOverload(metric, w, "float");
            if (reals) EmitSpanOverload(metric, w, "double");
        }
    }

    /// <summary>
    /// The body of an exact program up to its goal: the checks of Exact (options, shapes, values), a dispose scope, no
    /// graph, float64, the statements; returns the goal. The evaluator prints its derived programs with it
    /// (EvaluatorEmitter), so that they check their inputs exactly as Exact does.
    /// </summary>
    internal static ProgramValue EmitExactProgram(BoundMetric metric, SourceWriter w)
    {
        EmitExactChecks(metric, w);
        w.Line($"var {Local.Dtype} = {CSharp.Torch}.ScalarType.Float64;");
        var program = LoweringPipeline.Lower(metric, ProgramKind.Exact);
        EmitLocals(metric, w, program);
        ProgramPrinter.Print(program, w);
        return program.Goal;
    }

    /// <summary>The checks of Exact (options, shapes, values) in a dispose scope without a graph: what an evaluator that keeps batches runs on each.</summary>
    internal static void EmitExactChecks(BoundMetric metric, SourceWriter w)
    {
        EmitPrologue(metric, w);
        w.Line($"using var {Local.Scope} = {CSharp.Torch}.NewDisposeScope();");
        w.Line($"using var {Local.NoGrad} = {CSharp.Torch}.no_grad();");
        EmitValueChecks(metric, w, exact: true);
    }

    /// <summary>
    /// The value checks (InputValues), made when <c>options.ChecksValues</c> says so: by default in Exact only, in the
    /// surrogate too with <c>ValidateValues = true</c> (each check is a host sync), nowhere with false.
    /// </summary>
    private static void EmitValueChecks(BoundMetric metric, SourceWriter w, bool exact)
    {
        var checks = new List<string>();
        var metricName = CSharp.String(metric.Name);
        foreach (var input in metric.Inputs)
        {
            var name = CSharp.Identifier(input.Name);
            var label = CSharp.String(input.Name);
            if (input.Kind is InputKind.Real or InputKind.ConstReal)
            {
                checks.Add($"global::MetricLoss.Runtime.InputValues.RequireNoNaN({metricName}, {label}, {name});");
            }
            else if (input.Kind == InputKind.Bool)
            {
                checks.Add($"global::MetricLoss.Runtime.InputValues.RequireZeroOne({metricName}, {label}, {name});");
            }
            else if (input.Kind == InputKind.Index)
            {
                checks.Add($"global::MetricLoss.Runtime.InputValues.RequireIndexRange({metricName}, {label}, {name}, {Local.Shapes}.Size({CSharp.String(input.IndexAxis!)}), {CSharp.String(input.IndexAxis!)});");
            }
        }
        if (checks.Count == 0) return;
        using (w.Block($"if ({Local.Options}.ChecksValues(exact: {(exact ? "true" : "false")}))"))
        {
            foreach (var check in checks) w.Line(check);
        }
    }

    private static void EmitSpanOverload(BoundMetric metric, SourceWriter w, string real)
    {
        string Element(BoundInput input) => input.Kind switch
        {
            InputKind.Real or InputKind.ConstReal => real,
            InputKind.Bool => "bool",
            _ => "long",
        };
        var options = MetricShape.OptionsParameter(metric);
        var parameters = string.Join(", ", metric.Inputs.Select(i => $"global::System.ReadOnlySpan<{Element(i)}> {CSharp.Identifier(i.Name)}"));
        var tensors = string.Join(", ", metric.Inputs.Select(i => $"{CSharp.Torch}.tensor({CSharp.Identifier(i.Name)}.ToArray())"));
        w.Line();
        w.Line($"/// <summary>The exact value of {metric.Name} on plain arrays ({real} scores), computed on the CPU.</summary>");
        DocComments.SpanParameters(metric, w, real);
        w.Line("/// <returns>The metric's value; a division by 0 counts 0.</returns>");
        DocComments.SpanExceptions(w);
        using (w.Block($"public static double Exact({parameters}, Options? {options} = null)"))
        {
            w.Line("global::MetricLoss.Native.TorchNative.EnsureLoaded();");
            w.Line($"using var {Local.Scope} = {CSharp.Torch}.NewDisposeScope();");
            w.Line($"return {MetricShape.Class(metric)}.Exact({tensors}, {options});");
        }
    }

    public static void EmitSmooth(BoundMetric metric, SourceWriter w)
    {
        var leading = MetricShape.Leading(metric);
        w.Line($"/// <summary>The smooth surrogate of {metric.Name}: a differentiable 0-dim tensor on the inputs' device, in the scores' dtype.</summary>");
        DocComments.TensorParameters(metric, w);
        w.Line(leading is not null && leading.IsDifferentiable
            ? $"/// <returns>A 0-dim tensor in the dtype of <paramref name=\"{leading.Name}\"/> (float16 and bfloat16 are computed in float32), on its device, attached to the autograd graph.</returns>"
            : "/// <returns>A 0-dim float32 tensor on the inputs' device.</returns>");
        DocComments.Exceptions(w, checksValues: false, drawsAnchors: metric.IsInterpolated);
        using (w.Block($"public static {Tensor} Smooth({Parameters(metric)})"))
        {
            EmitPrologue(metric, w);
            w.Line($"using var {Local.Scope} = {CSharp.Torch}.NewDisposeScope();");
            EmitValueChecks(metric, w, exact: false);
            w.Line(leading is not null && leading.IsDifferentiable
                ? $"var {Local.OutputType} = {CSharp.Identifier(leading.Name)}.dtype;"
                : $"var {Local.OutputType} = {CSharp.Torch}.ScalarType.Float32;");
            w.Line($"var {Local.Dtype} = {Ops}.ComputeType({Local.OutputType});");
            w.Line($"var {Local.Eps} = {Ops}.EpsilonFor({Local.Dtype}, {Local.Options}.Epsilon);");
            w.Line($"var {Local.Relaxation} = {Local.Options}.Relaxation;");
            if (!metric.IsInterpolated && Plan.SortedRanksVariant.Exists(metric))
            {
                EmitSmoothVariants(metric, w);
                return;
            }
            var program = LoweringPipeline.Lower(metric, ProgramKind.Smooth);
            EmitLocals(metric, w, program);
            ProgramPrinter.Print(program, w);
            EmitSmoothReturn(w, program.Goal);
        }
    }

    /// <summary>
    /// The smooth program's two variants (Plan/SortedRanksVariant), chosen at run time because the relaxation is an
    /// option: smooth ranks by sorting where SmoothRankSums applies, else the pairwise program. Sibling blocks, so each
    /// program's locals are its own.
    /// </summary>
    private static void EmitSmoothVariants(BoundMetric metric, SourceWriter w)
    {
        var sorted = LoweringPipeline.Lower(metric, ProgramKind.Smooth, sortedRanks: true);
        var pairwise = LoweringPipeline.Lower(metric, ProgramKind.Smooth);
        EmitLocals(metric, w, sorted, pairwise);
        var rowSupports = Plan.SortedRanksVariant.PairwiseHasRowSupports(metric) ? "true" : "false";
        using (w.Block($"if (global::MetricLoss.Runtime.Ranking.SmoothRankSums.Applies({Local.Options}, rowSupports: {rowSupports}))"))
        {
            ProgramPrinter.Print(sorted, w);
            EmitSmoothReturn(w, sorted.Goal);
        }
        using (w.Block("else"))
        {
            ProgramPrinter.Print(pairwise, w);
            EmitSmoothReturn(w, pairwise.Goal);
        }
    }

    private static void EmitSmoothReturn(SourceWriter w, ProgramValue result)
    {
        w.Line(result.IsNumber
            ? $"var {Local.Goal} = {Ops}.Full(new long[0], {result.Text}, {Local.Dtype}, {Local.Device});"
            : $"var {Local.Goal} = {result.Text};");
        w.Line($"return {Ops}.Prepare({Local.Goal}, {Local.OutputType}).MoveToOuterDisposeScope();");
    }

    public static void EmitLoss(BoundMetric metric, SourceWriter w)
    {
        var maximize = metric.Direction == GoalDirection.Maximize;
        w.Line(maximize
            ? $"/// <summary>The loss to minimise: 1 − Smooth (the metric is maximised).</summary>"
            : $"/// <summary>The loss to minimise: Smooth itself (the metric is minimised).</summary>");
        DocComments.TensorParameters(metric, w);
        w.Line(maximize
            ? $"/// <returns>1 − <see cref=\"{MetricShape.Class(metric)}.Smooth\"/>, a 0-dim tensor in Smooth's dtype and on its device, attached to the autograd graph.</returns>"
            : $"/// <returns>The value of <see cref=\"{MetricShape.Class(metric)}.Smooth\"/>.</returns>");
        DocComments.Exceptions(w, checksValues: false, drawsAnchors: metric.IsInterpolated);
        using (w.Block($"public static {Tensor} Loss({Parameters(metric)})"))
        {
            var smooth = $"{MetricShape.Class(metric)}.Smooth({Arguments(metric)})";
            if (!maximize)
            {
                w.Line($"return {smooth};");
                return;
            }
            w.Line($"using var {Local.Scope} = {CSharp.Torch}.NewDisposeScope();");
            w.Line($"var {Local.Smooth} = {smooth};");
            w.Line($"return {Ops}.Not({Local.Smooth}).MoveToOuterDisposeScope();");
        }
    }

    /// <summary>Options, native library, shapes (values are checked after it, by EmitValueChecks, where the options ask).</summary>
    private static void EmitPrologue(BoundMetric metric, SourceWriter w)
    {
        // The options parameter is named after the inputs (MetricShape.OptionsParameter); the program reads this local.
        w.Line($"var {Local.Options} = {MetricShape.OptionsParameter(metric)} ?? {MetricShape.Class(metric)}.Options.Default;");
        w.Line($"{Local.Options}.Validate({CSharp.String(metric.Name)});");
        w.Line("global::MetricLoss.Native.TorchNative.EnsureLoaded();");
        w.Line($"var {Local.Shapes} = new global::MetricLoss.Runtime.InputShapes({CSharp.String(metric.Name)});");
        foreach (var input in metric.Inputs)
        {
            var axes = string.Concat(input.Axes.Select(a => ", " + CSharp.String(a)));
            w.Line($"{Local.Shapes}.Require({CSharp.String(input.Name)}, {CSharp.Identifier(input.Name)}, global::MetricLoss.Runtime.InputRole.{MetricShape.Role(input)}{axes});");
        }
        foreach (var option in metric.Options.Where(o => o.IsVector))
        {
            w.Line($"{Local.Shapes}.RequireOptionLength({CSharp.String(option.Name)}, {CSharp.String(option.VectorAxis!)}, {Local.Options}.{MetricShape.Property(option)}.Length);");
        }
    }

    /// <summary>
    /// Axis sizes, option values as numbers, and the inputs in the program's dtype, those the program reads: a
    /// chunked reduction reads constant inputs as given, and their converted copies would only add to the peak.
    /// </summary>
    private static void EmitLocals(BoundMetric metric, SourceWriter w, params LoweredProgram[] programs)
    {
        var leading = MetricShape.Leading(metric);
        w.Line(leading is null ? $"var {Local.Device} = {CSharp.Torch}.CPU;" : $"var {Local.Device} = {CSharp.Identifier(leading.Name)}.device;");
        foreach (var size in metric.AxisSizes)
        {
            w.Line($"long {ProgramLowering.SizeLocal(size.Axis)} = {Local.Shapes}.Size({CSharp.String(size.Axis)});");
        }
        foreach (var option in metric.Options.Where(o => o.IsVector))
        {
            w.Line($"var {ProgramLowering.OptionLocal(option.Name)} = global::MetricLoss.Runtime.DenseOps.Vector({Local.Options}.{MetricShape.Property(option)}, {Local.Dtype}, {Local.Device});");
        }
        foreach (var option in metric.Options.Where(o => !o.IsVector))
        {
            var property = Local.Options + "." + MetricShape.Property(option);
            var value = option.Kind switch
            {
                OptionKind.Bool => $"({property} ? 1d : 0d)",
                OptionKind.Int => $"(double){property}",
                _ => property,
            };
            w.Line($"double {ProgramLowering.OptionLocal(option.Name)} = {value};");
        }
        foreach (var input in metric.Inputs)
        {
            if (programs.Any(p => ProgramReads.Reads(p, ProgramLowering.InputLocal(input.Name))))
            {
                w.Line($"var {ProgramLowering.InputLocal(input.Name)} = {Ops}.Prepare({CSharp.Identifier(input.Name)}, {Local.Dtype});");
            }
            if (input.Kind == InputKind.Index && programs.Any(p => ProgramReads.Reads(p, ProgramLowering.IndexLocal(input.Name))))
            {
                w.Line($"var {ProgramLowering.IndexLocal(input.Name)} = {Ops}.Prepare({CSharp.Identifier(input.Name)}, {CSharp.Torch}.ScalarType.Int64);");
            }
        }
    }
}
