using MetricLoss.Dsl.Binding;
using MetricLoss.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// Every name of <see cref="NamePool"/> (C#'s keywords and every identifier the emitter writes, with the parts its
/// locals are made of) in every place a definition names something: the language either refuses it there, for a
/// reason it states, or the metric is generated and compiles. Accepted names are then put together, several per
/// metric and several metrics per namespace, in definitions that reach every lowering (rank counts, supports,
/// chunks, gathers, vector options, interpolation), until each accepted name has been in each place of a generated
/// metric.
/// </summary>
public partial class GeneratorFuzzTests
{
    public enum Place { Metric, Namespace, Input, Option, Statement, Axis, Binder }

    [Fact]
    public void Names_are_refused_only_for_the_reasons_the_language_states()
    {
        var wrong = new List<string>();
        foreach (var place in Enum.GetValues<Place>())
        {
            foreach (var name in NamePool.All)
            {
                var refused = !Accepts(place, name, out var messages);
                if (refused != RefusedByRule(place, name)) wrong.Add($"`{name}` as {place}: {(refused ? string.Join("; ", messages) : "accepted")}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        // The pool holds what it should: the keywords, and the emitter's locals as they are and as parts.
        Assert.Contains("class", NamePool.All);
        Assert.Contains("var", NamePool.All);
        Assert.Contains("x__score", NamePool.All);
        Assert.Contains("x_score", NamePool.All);
        Assert.Contains("dtype", NamePool.All);
        Assert.Contains("MetricOps", NamePool.All);
    }

    [Fact]
    public void Accepted_names_in_every_place_generate_code_that_compiles()
    {
        var accepted = Enum.GetValues<Place>().ToDictionary(place => place, place => ByStem(NamePool.All.Where(name => Accepts(place, name, out _)).ToList()));
        var filler = new NameFiller(accepted);
        var metric = 0;
        while (!filler.Exhausted)
        {
            // One compilation per batch: several namespaces, several metrics in each, each metric a template in turn.
            var files = new List<(string Path, string Text)>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (var file = 0; file < 12 && !filler.Exhausted; file++)
            {
                var metrics = Enumerable.Range(0, 1 + file % 3).Select(_ => Templates[metric++ % Templates.Length](filler.ForMetric(names)));
                // Three parts of the pool in each namespace line.
                var ns = string.Join(".", Enumerable.Range(0, 3).Select(_ => filler.Next(Place.Namespace, new HashSet<string>())));
                files.Add(($"names{file}.metric", $"namespace Fuzz.{ns};\n" + string.Join("\n", metrics)));
            }
            var run = GeneratorHarness.Run(files);
            Assert.Null(run.Exception);
            var compileErrors = run.CompilationErrors.Where(d => d.Location.SourceTree?.FilePath.EndsWith(".g.cs", StringComparison.Ordinal) == true).ToList();
            Assert.True(compileErrors.Count == 0, string.Join("\n", compileErrors.Take(10).Select(d => GeneratorRun.Format(d) + " in " + d.Location.SourceTree!.FilePath))
                + "\n" + string.Join("\n----\n", files.Select(f => f.Text)));
            // Accepted one by one, the names are accepted together: every metric is generated.
            Assert.True(run.GeneratorDiagnostics.All(d => d.Severity != DiagnosticSeverity.Error),
                string.Join("\n", run.DiagnosticLines) + "\n" + string.Join("\n----\n", files.Select(f => f.Text)));
        }
        Assert.True(metric > 100, $"only {metric} metrics");
    }

    /// <summary>
    /// The names with those made from another one next to it (<c>score</c>, <c>x_score</c>; <c>n</c>, <c>size_n</c>): they
    /// are handed out in turn, so they meet in one metric, where a scheme of locals that spells a value of <c>score</c>
    /// as <c>x_score</c> would give two things one name.
    /// </summary>
    private static List<string> ByStem(List<string> names)
    {
        var set = names.ToHashSet(StringComparer.Ordinal);
        string Stem(string name)
        {
            var underscore = name.IndexOf('_', 1);
            return underscore > 0 && set.Contains(name.Substring(underscore + 1)) ? name.Substring(underscore + 1) : name;
        }
        return names.OrderBy(Stem, StringComparer.Ordinal).ThenBy(name => name.Length).ThenBy(name => name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Whether the language accepts <paramref name="name"/> in <paramref name="place"/> (the other names fixed, out of the pool).</summary>
    private static bool Accepts(Place place, string name, out IReadOnlyList<string> messages)
    {
        var text = place switch
        {
            Place.Metric => $"metric {name}(q9: real[n9]) {{ maximize mean[n9]((q9[n9] > 0) @ 1); }}",
            Place.Namespace => $"namespace Fuzz.{name};\nmetric M9(q9: real[n9]) {{ maximize mean[n9]((q9[n9] > 0) @ 1); }}",
            Place.Input => $"metric M9({name}: real[n9]) {{ maximize mean[n9](({name}[n9] > 0) @ 1); }}",
            Place.Option => $"metric M9(q9: real[n9], {name}: real = 1) {{ maximize mean[n9]((q9[n9] > {name}) @ 1); }}",
            Place.Statement => $"metric M9(q9: real[n9]) {{ {name}[n9] = (q9[n9] > 0) @ 1; maximize mean[n9]({name}[n9]); }}",
            Place.Axis => $"metric M9(q9: real[{name}]) {{ maximize mean[{name}]((q9[{name}] > 0) @ 1); }}",
            _ => $"metric M9(q9: real[n9]) {{ maximize mean[{name}]((q9[{name}] > 0) @ 1); }}",
        };
        var errors = MetricLoss.Dsl.MetricCompiler.Compile(text, "Fuzz").Diagnostics.Where(d => d.IsError).ToList();
        messages = errors.Select(d => d.Id + ": " + d.Message).ToList();
        return errors.Count == 0;
    }

    /// <summary>
    /// The reasons docs/language.md gives for refusing a name, and only those: the language's own words name no metric,
    /// parameter or statement (axes may be called anything else); "__" is the generated code's; a metric's class and an
    /// option's property must be new where they go. A namespace part is never refused (the emitter escapes it).
    /// </summary>
    private static bool RefusedByRule(Place place, string name) => place switch
    {
        Place.Namespace => false,
        _ when Names.IsReservedForGeneratedCode(name) => true,
        Place.Axis or Place.Binder => false,
        _ when Names.IsBuiltIn(name) => true,
        Place.Metric => Names.GeneratedMembers.Contains(name) || Names.RefusedClassNames.Contains(name),
        Place.Option => Names.ReservedOptionProperties.Contains(Names.ToPascalCase(name)),
        _ => false,
    };

    /// <summary>Definitions with a name in every place, between them reaching every lowering of the emitter.</summary>
    private static readonly Func<Func<Place, int, string>, string>[] Templates =
    {
        // Ranking: tie groups (exact), a support and a chunked pairwise sum (smooth).
        n => $$"""
            metric {{n(Place.Metric, 0)}}({{n(Place.Input, 0)}}: real[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}], {{n(Place.Input, 1)}}: bool[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}], {{n(Place.Input, 2)}}: const real[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}], {{n(Place.Option, 0)}}: real = 0.5, {{n(Place.Option, 1)}}: int = 2) {
                {{n(Place.Statement, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}] = 1 + sum[{{n(Place.Binder, 0)}} != {{n(Place.Axis, 1)}}](({{n(Place.Input, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Binder, 0)}}] >= {{n(Place.Input, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}]) @ {{n(Place.Option, 0)}});
                {{n(Place.Statement, 1)}}[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}] = 1 + sum[{{n(Place.Binder, 0)}} != {{n(Place.Axis, 1)}}]({{n(Place.Input, 1)}}[{{n(Place.Axis, 0)}}, {{n(Place.Binder, 0)}}] & (({{n(Place.Input, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Binder, 0)}}] >= {{n(Place.Input, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}]) @ {{n(Place.Option, 0)}}));
                {{n(Place.Statement, 2)}}[{{n(Place.Axis, 0)}}] = sum[{{n(Place.Axis, 1)}}]({{n(Place.Input, 1)}}[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}] * {{n(Place.Input, 2)}}[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}] * {{n(Place.Statement, 1)}}[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}] / {{n(Place.Statement, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}]);
                maximize mean[{{n(Place.Axis, 0)}}]({{n(Place.Statement, 2)}}[{{n(Place.Axis, 0)}}]) + mean[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}](({{n(Place.Statement, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}] <= {{n(Place.Option, 1)}}) @ {{n(Place.Option, 0)}});
            }
            """,
        // Classification: a gather, a masked sum over the other classes, a vector, a bool and an int option.
        n => $$"""
            metric {{n(Place.Metric, 0)}}({{n(Place.Input, 0)}}: real[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}], {{n(Place.Input, 1)}}: index<{{n(Place.Axis, 1)}}>[{{n(Place.Axis, 0)}}], {{n(Place.Input, 2)}}: bool[{{n(Place.Axis, 0)}}], {{n(Place.Option, 0)}}: int[{{n(Place.Axis, 2)}}] = [1, 2], {{n(Place.Option, 1)}}: bool = 1, {{n(Place.Option, 2)}}: real = 1) {
                {{n(Place.Statement, 0)}}[{{n(Place.Axis, 0)}}] = sum[{{n(Place.Binder, 0)}} != {{n(Place.Input, 1)}}[{{n(Place.Axis, 0)}}]](({{n(Place.Input, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Binder, 0)}}] > {{n(Place.Input, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Input, 1)}}[{{n(Place.Axis, 0)}}]]) @ {{n(Place.Option, 2)}});
                maximize mean[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 2)}}]({{n(Place.Input, 2)}}[{{n(Place.Axis, 0)}}] * (({{n(Place.Statement, 0)}}[{{n(Place.Axis, 0)}}] < {{n(Place.Option, 0)}}[{{n(Place.Axis, 2)}}]) @ {{n(Place.Option, 2)}}) * {{n(Place.Option, 1)}});
            }
            """,
        // UniLoss: the interpolated smooth program and its anchors.
        n => $$"""
            metric {{n(Place.Metric, 0)}}({{n(Place.Input, 0)}}: real[{{n(Place.Axis, 0)}}, {{n(Place.Axis, 1)}}], {{n(Place.Input, 1)}}: index<{{n(Place.Axis, 1)}}>[{{n(Place.Axis, 0)}}], {{n(Place.Option, 0)}}: real = 1) interpolate(good: 2, nearby: 2, random: 2) {
                {{n(Place.Statement, 0)}}[{{n(Place.Axis, 0)}}] = all[{{n(Place.Binder, 0)}} != {{n(Place.Input, 1)}}[{{n(Place.Axis, 0)}}]](({{n(Place.Input, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Input, 1)}}[{{n(Place.Axis, 0)}}]] > {{n(Place.Input, 0)}}[{{n(Place.Axis, 0)}}, {{n(Place.Binder, 0)}}]) @ {{n(Place.Option, 0)}});
                maximize mean[{{n(Place.Axis, 0)}}]({{n(Place.Statement, 0)}}[{{n(Place.Axis, 0)}}]);
            }
            """,
        // Pairs of one axis: separable counts, a chunked pairwise sum, span overloads (vector inputs).
        n => $$"""
            metric {{n(Place.Metric, 0)}}({{n(Place.Input, 0)}}: real[{{n(Place.Axis, 0)}}], {{n(Place.Input, 1)}}: bool[{{n(Place.Axis, 0)}}], {{n(Place.Option, 0)}}: real = 0.05) {
                {{n(Place.Statement, 0)}} = sum[{{n(Place.Binder, 0)}}, {{n(Place.Binder, 1)}}]({{n(Place.Input, 1)}}[{{n(Place.Binder, 0)}}] & !{{n(Place.Input, 1)}}[{{n(Place.Binder, 1)}}]);
                {{n(Place.Statement, 1)}} = sum[{{n(Place.Binder, 0)}}, {{n(Place.Binder, 1)}}]({{n(Place.Input, 1)}}[{{n(Place.Binder, 0)}}] & !{{n(Place.Input, 1)}}[{{n(Place.Binder, 1)}}] & (step({{n(Place.Input, 0)}}[{{n(Place.Binder, 0)}}] - {{n(Place.Input, 0)}}[{{n(Place.Binder, 1)}}]) @ {{n(Place.Option, 0)}}));
                minimize 1 - {{n(Place.Statement, 1)}} / {{n(Place.Statement, 0)}};
            }
            """,
    };

    /// <summary>
    /// Hands out the accepted names of each place in turn, each name of a metric different from the others (and no two
    /// options with one property, no two metrics of a batch with one name), until every name has been handed out.
    /// </summary>
    private sealed class NameFiller(IReadOnlyDictionary<Place, List<string>> accepted)
    {
        private readonly Dictionary<Place, int> _handedOut = accepted.Keys.ToDictionary(place => place, _ => 0);

        public bool Exhausted => _handedOut.All(pair => pair.Value >= accepted[pair.Key].Count);

        /// <summary>The next name of a place that is not in <paramref name="taken"/>, which it joins.</summary>
        public string Next(Place place, ISet<string> taken, Func<string, bool>? allowed = null)
        {
            var names = accepted[place];
            for (var tries = 0; tries < names.Count; tries++)
            {
                var name = names[_handedOut[place]++ % names.Count];
                if ((allowed is null || allowed(name)) && taken.Add(name)) return name;
            }
            throw new InvalidOperationException($"no name left for {place}");
        }

        /// <summary>The names of one metric: the same (place, slot) gives the same name; <paramref name="metricNames"/> are the batch's.</summary>
        public Func<Place, int, string> ForMetric(ISet<string> metricNames)
        {
            var chosen = new Dictionary<(Place, int), string>();
            var taken = new HashSet<string>(StringComparer.Ordinal);
            var properties = new HashSet<string>(StringComparer.Ordinal);
            return (place, slot) =>
            {
                if (chosen.TryGetValue((place, slot), out var name)) return name;
                name = place switch
                {
                    Place.Metric => Next(place, taken, metricNames.Add),
                    Place.Option => Next(place, taken, n => properties.Add(Names.ToPascalCase(n))),
                    _ => Next(place, taken),
                };
                chosen[(place, slot)] = name;
                return name;
            };
        }
    }
}
