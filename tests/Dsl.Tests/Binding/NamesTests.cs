using MetricLoss.Dsl.Binding;

namespace MetricLoss.Dsl.Tests.Binding;

/// <summary>How a definition's names become C# names: option properties, and the names reserved for generated code.</summary>
public class NamesTests
{
    [Theory]
    [InlineData("tau", "Tau")]
    [InlineData("tau_rank", "TauRank")]
    [InlineData("tauK", "TauK")]
    [InlineData("_tau_", "Tau")]
    [InlineData("k_2", "K2")]
    // No identifier without the underscore: it stays.
    [InlineData("_1", "_1")]
    [InlineData("_1_b", "_1B")]
    [InlineData("_", "_")]
    public void Options_become_pascal_case_properties(string option, string property) =>
        Assert.Equal(property, Names.ToPascalCase(option));

    [Theory]
    [InlineData("x__score", true)]
    [InlineData("__p0", true)]
    [InlineData("tau__", true)]
    [InlineData("x_score", false)]
    [InlineData("_x_", false)]
    [InlineData("_", false)]
    public void Names_with_a_double_underscore_are_the_generated_codes(string name, bool reserved) =>
        Assert.Equal(reserved, Names.IsReservedForGeneratedCode(name));

    [Fact]
    public void C_sharp_keywords_that_are_not_words_of_the_language_name_anything()
    {
        var compilation = MetricCompiler.Compile("""
            namespace my.class;
            metric event(in: real[n], class: bool[n], object: real = 0, tau: real = 1) {
                string[n] = in[n] > object;
                maximize mean[n](string[n] & class[n]);
            }
            """, null);
        Assert.Empty(compilation.Diagnostics);
        Assert.Equal("my.class", Assert.Single(compilation.Metrics).Namespace);
    }
}
