using System.Text;

namespace MetricLoss.Package.Tests.Infrastructure;

/// <summary>
/// An SDK-style project written the way a user writes one: a target framework, package references and its source
/// files, nothing from this repository.
/// </summary>
public sealed class ConsumerProject
{
    private readonly List<string> _properties = new();
    private readonly List<string> _items = new();
    private readonly List<string> _extra = new();

    public ConsumerProject(string name, bool executable)
    {
        Name = name;
        if (executable) Property("OutputType", "Exe");
    }

    public string Name { get; }
    public Dictionary<string, string> Files { get; } = new();

    public ConsumerProject Property(string name, string value)
    {
        _properties.Add($"    <{name}>{value}</{name}>");
        return this;
    }

    public ConsumerProject Package(string id, string version)
    {
        _items.Add($"    <PackageReference Include=\"{id}\" Version=\"{version}\" />");
        return this;
    }

    public ConsumerProject Item(string xml)
    {
        _items.Add("    " + xml);
        return this;
    }

    /// <summary>Raw MSBuild after the item groups (a target, say).</summary>
    public ConsumerProject Raw(string xml)
    {
        _extra.Add(xml);
        return this;
    }

    public ConsumerProject File(string path, string text)
    {
        Files[path] = text;
        return this;
    }

    /// <summary>Writes the project into <paramref name="folder"/> and returns the project file's path.</summary>
    public string WriteTo(string folder)
    {
        var project = new StringBuilder()
            .AppendLine("<Project Sdk=\"Microsoft.NET.Sdk\">")
            .AppendLine("  <PropertyGroup>")
            .AppendLine("    <TargetFramework>net10.0</TargetFramework>")
            .AppendLine("    <Nullable>enable</Nullable>")
            .AppendLine("    <ImplicitUsings>enable</ImplicitUsings>");
        foreach (var property in _properties) project.AppendLine(property);
        project.AppendLine("  </PropertyGroup>").AppendLine("  <ItemGroup>");
        foreach (var item in _items) project.AppendLine(item);
        project.AppendLine("  </ItemGroup>");
        foreach (var extra in _extra) project.AppendLine(extra);
        project.AppendLine("</Project>");

        var path = Path.Combine(folder, Name + ".csproj");
        System.IO.File.WriteAllText(path, project.ToString());
        foreach (var (relative, text) in Files)
        {
            var file = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            System.IO.File.WriteAllText(file, text);
        }
        return path;
    }
}
