using System.Reflection;
using MetricLoss.Generator.Emit;
using MetricLoss.Generator.Tests.Infrastructure;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// The GeneratedCode attribute of generated classes names the generator that wrote them: the generator assembly's own
/// version (Directory.Build.props <c>Version</c>), not a number kept by hand in the emitter.
/// </summary>
public class GeneratorVersionTests
{
    [Fact]
    public void Generated_code_carries_the_generator_assemblys_version()
    {
        var run = GeneratorHarness.Run(TestFiles.NormativeMetric("F1"));
        Assert.Empty(run.CompilationErrors.Select(GeneratorRun.Format));

        // Read off the compiled type, as a tool inspecting the output would. The runtime assembly has its own
        // MetricLoss.Catalog.F1: look in the compiled assembly only.
        var type = run.Output.Assembly.GetTypeByMetadataName("MetricLoss.Catalog.F1");
        Assert.NotNull(type);
        var attribute = Assert.Single(type.GetAttributes(), a => a.AttributeClass?.ToDisplayString() == "System.CodeDom.Compiler.GeneratedCodeAttribute");
        var informational = typeof(MetricGenerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        Assert.NotNull(informational);

        Assert.Equal("MetricLoss.Generator", attribute.ConstructorArguments[0].Value);
        Assert.Equal(informational.Split('+')[0], attribute.ConstructorArguments[1].Value);
    }

    [Theory]
    [InlineData("0.1.0+4f2a9c1d", "0.1.0")]
    [InlineData("1.2.3-beta.4+build.5", "1.2.3-beta.4")]
    [InlineData("0.1.0", "0.1.0")]
    public void The_commit_the_SDK_appends_is_dropped(string informational, string expected) =>
        Assert.Equal(expected, MetricEmitter.WithoutBuildMetadata(informational));
}
