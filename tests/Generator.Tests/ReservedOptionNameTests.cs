using System.Reflection;
using MetricLoss.Dsl.Binding;

namespace MetricLoss.Generator.Tests;

/// <summary>
/// An option becomes a property of the generated Options record (<c>validate_values</c> → <c>ValidateValues</c>),
/// which derives from <see cref="MetricOptions"/>: an option named after one of the base record's members would
/// hide it or not compile, so the binder refuses those names (MTR0116).
/// </summary>
public class ReservedOptionNameTests
{
    [Fact]
    public void Every_member_an_Options_record_inherits_is_a_reserved_option_name()
    {
        var members = typeof(MetricOptions)
            .GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m switch
            {
                PropertyInfo p => p.GetMethod is { } get && (get.IsPublic || get.IsFamily),
                MethodInfo method => !method.IsSpecialName && (method.IsPublic || method.IsFamily),
                _ => false,
            })
            // What every record has, and names no option can turn into (PascalCase of snake_case has no '<').
            .Select(m => m.Name)
            .Where(name => !name.Contains('<') && name is not ("Equals" or "GetHashCode" or "ToString" or "PrintMembers"))
            .Distinct()
            .ToList();

        Assert.Contains("ValidateValues", members);
        Assert.All(members, name => Assert.Contains(name, Names.ReservedOptionProperties));
    }
}
