using System.Collections.Generic;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Binding;

/// <summary>
/// The axis variables of one metric. Each variable ranges over a global axis (its size axis), learned
/// from the first place it indexes an input, an option vector or a statement; later uses must agree.
/// </summary>
internal sealed class AxisScope
{
    private readonly List<Variable> _variables = new();
    private readonly HashSet<string> _usedIds = new();
    private readonly Dictionary<string, int> _nextSuffix = new();
    private readonly Dictionary<string, Variable> _byId = new();
    private readonly List<Dictionary<string, Variable>> _frames = new();

    internal sealed class Variable
    {
        public Variable(string id, string name) { Id = id; Name = name; }
        public string Id { get; }
        public string Name { get; }
        public string? SizeAxis { get; set; }
    }

    public IReadOnlyList<Variable> All => _variables;

    public void Push() => _frames.Add(new Dictionary<string, Variable>());

    public void Pop() => _frames.RemoveAt(_frames.Count - 1);

    public bool IsDeclaredInInnermostFrame(string name) => _frames[_frames.Count - 1].ContainsKey(name);

    /// <summary>Declares a fresh variable in the innermost frame (a statement axis or a reduction binder).</summary>
    public Variable Declare(string name) => Declare(name, _frames.Count - 1);

    /// <summary>Declares a variable in the statement's own frame: an axis used but not declared (reported later).</summary>
    public Variable DeclareInStatementFrame(string name) => Declare(name, 0);

    private Variable Declare(string name, int frame)
    {
        // The first free id of name, name_2, name_3, ...: ids are only ever added, so the search resumes where the
        // last one for this name stopped (thousands of statements over `q, i` would otherwise probe quadratically).
        var suffix = _nextSuffix.TryGetValue(name, out var next) ? next : 2;
        var id = suffix == 2 && !_usedIds.Contains(name) ? name : name + "_" + suffix;
        while (_usedIds.Contains(id)) id = name + "_" + ++suffix;
        if (id != name) _nextSuffix[name] = suffix + 1;
        _usedIds.Add(id);
        var variable = new Variable(id, name);
        _variables.Add(variable);
        _byId[id] = variable;
        _frames[frame][name] = variable;
        return variable;
    }

    /// <summary>The variable with id <paramref name="id"/> (a dictionary: a metric may declare thousands).</summary>
    public Variable? ById(string id) => _byId.TryGetValue(id, out var variable) ? variable : null;

    public Variable? Lookup(string name)
    {
        for (var i = _frames.Count - 1; i >= 0; i--)
        {
            if (_frames[i].TryGetValue(name, out var variable)) return variable;
        }
        return null;
    }

    public IEnumerable<AxisVariable> ToBound()
    {
        foreach (var v in _variables)
        {
            if (v.SizeAxis is not null) yield return new AxisVariable(v.Id, v.Name, v.SizeAxis);
        }
    }
}
