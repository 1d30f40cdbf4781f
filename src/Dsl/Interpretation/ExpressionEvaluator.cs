using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using MetricLoss.Dsl.Bound;

namespace MetricLoss.Dsl.Interpretation;

/// <summary>
/// Evaluates one bound expression at one assignment of its free axis variables, by direct recursion on
/// the tree: no rewriting, no vectorisation, so each node's value can be checked against the semantics
/// table by reading one case. Statements are looked up in <see cref="Statements"/>, which the program
/// evaluator fills in declaration order before any later statement or the goal can refer to them.
/// </summary>
internal sealed class ExpressionEvaluator
{
    private readonly ValidatedInputs _run;
    private readonly EvaluationMode _mode;
    private readonly InterpreterSettings _settings;

    public ExpressionEvaluator(ValidatedInputs run, EvaluationMode mode, InterpreterSettings settings)
    {
        _run = run;
        _mode = mode;
        _settings = settings;
    }

    /// <summary>The value of every statement evaluated so far, as a tensor over its declared axes (in order).</summary>
    public Dictionary<string, DenseArray> Statements { get; } = new();

    private string MetricName => _run.Metric.Name;

    /// <summary>The value at one assignment. Recursive: bound expressions are as deep as TextLimits allow.</summary>
    public double Evaluate(BoundExpression expression, Assignment at)
    {
        System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
        return EvaluateNode(expression, at);
    }

    private double EvaluateNode(BoundExpression expression, Assignment at) => expression switch
    {
        BoundNumber number => number.Value,
        BoundOptionRef option => Option(option, at),
        BoundInputRef input => _run.Inputs[input.Input][input.Indices.Select(i => Position(i, at)).ToArray()],
        BoundLocalRef local => Local(local, at),
        BoundUnary unary => Unary(unary, at),
        BoundBinary binary => Binary(binary, at),
        BoundComparison comparison => Comparison(comparison, at),
        BoundStep step => Step(step, at),
        BoundReduction reduction => Reduction(reduction, at),
        BoundCall call => Call(call, at),
        BoundIdealDcg idealDcg => IdealDcg(idealDcg, at),
        _ => throw new NotSupportedException($"metric `{MetricName}`: the reference interpreter does not know the node {expression.GetType().Name}"),
    };

    /// <summary>
    /// The position an index denotes: a variable's position, or, for a gather such as <c>target[n]</c>,
    /// the value of the index input at its own (recursively resolved) indices. The validator has already
    /// checked that every index value is a whole number inside its axis.
    /// </summary>
    private int Position(BoundIndex index, Assignment at)
    {
        if (!index.IsGather) return at[index.Variable!];
        var source = _run.Inputs[index.GatherInput!];
        return (int)source[index.GatherIndices.Select(i => Position(i, at)).ToArray()];
    }

    private double Option(BoundOptionRef option, Assignment at)
    {
        var values = _run.Options[option.Option];
        return option.IndexVariable is null ? values[0] : values[at[option.IndexVariable]];
    }

    /// <summary>
    /// A statement used as <c>rank[q, j]</c>: its declared axes, in order, are read at the positions of the
    /// use site's variables (<see cref="BoundLocalRef.Renaming"/>), not at the declared variables' own.
    /// </summary>
    private double Local(BoundLocalRef local, Assignment at)
    {
        if (!Statements.TryGetValue(local.Statement, out var value))
        {
            throw new InvalidOperationException($"metric `{MetricName}`: statement `{local.Statement}` is used before it is evaluated; the bound metric is inconsistent");
        }
        return value[local.Renaming.Select(v => at[v]).ToArray()];
    }

    private double Unary(BoundUnary unary, Assignment at)
    {
        var operand = Evaluate(unary.Operand, at);
        return unary.Operator == UnaryOperator.Not ? Semantics.Not(operand) : -operand;
    }

    private double Binary(BoundBinary binary, Assignment at)
    {
        var left = Evaluate(binary.Left, at);
        var right = Evaluate(binary.Right, at);
        return binary.Operator switch
        {
            BinaryOperator.Add => left + right,
            BinaryOperator.Subtract => left - right,
            BinaryOperator.Multiply => left * right,
            // The smooth program guards only a denominator that depends on a score; a constant one divides exactly.
            BinaryOperator.Divide => _mode == EvaluationMode.Exact || !binary.Right.DependsOnScore
                ? Semantics.ExactDivide(left, right)
                : Semantics.SmoothDivide(left, right, _settings.Epsilon),
            BinaryOperator.Power => Math.Pow(left, right),
            BinaryOperator.And => Semantics.And(left, right),
            BinaryOperator.Or => Semantics.Or(left, right),
            _ => throw new NotSupportedException($"metric `{MetricName}`: unknown operator {binary.Operator}"),
        };
    }

    /// <summary>
    /// Relaxed exactly when the smooth program runs and the binder gave the comparison a temperature (it
    /// does so for every score-dependent comparison and only for those); comparisons of constants stay exact.
    /// </summary>
    private double Comparison(BoundComparison comparison, Assignment at)
    {
        var left = Evaluate(comparison.Left, at);
        var right = Evaluate(comparison.Right, at);
        if (_mode == EvaluationMode.Smooth && comparison.Temperature is not null)
        {
            return Semantics.RelaxedCompare(comparison.Operator, left, right, Temperature(comparison.Temperature, at), _settings.Relaxation);
        }
        return Semantics.Compare(comparison.Operator, left, right);
    }

    private double Step(BoundStep step, Assignment at)
    {
        // step(a − b) compares a with b: its difference is a comparison's (two equal infinities are a tie).
        var argument = step.Argument is BoundBinary { Operator: BinaryOperator.Subtract } subtraction
            ? Semantics.Difference(Evaluate(subtraction.Left, at), Evaluate(subtraction.Right, at))
            : Evaluate(step.Argument, at);
        if (_mode == EvaluationMode.Smooth && step.Temperature is not null)
        {
            return Semantics.RelaxedStep(argument, Temperature(step.Temperature, at), _settings.Relaxation);
        }
        return Semantics.Step(argument);
    }

    /// <summary>τ must be positive and finite: τ = 0 divides the margin by zero (NaN at a tie), τ &lt; 0 flips the comparison.</summary>
    private double Temperature(BoundExpression temperature, Assignment at)
    {
        var tau = Evaluate(temperature, at);
        if (tau > 0 && !double.IsInfinity(tau)) return tau;
        var what = temperature is BoundOptionRef option ? $"option `{option.Option}`" : "a comparison's `@` temperature";
        throw new ArgumentException(
            $"metric `{MetricName}`: the temperature {what} is {tau.ToString("R", CultureInfo.InvariantCulture)}; a temperature must be positive and finite",
            "options");
    }

    /// <summary>
    /// Every assignment of the binders (each over its whole axis, used in the body or not), minus those
    /// where a binder equals its excluded position (<c>j != i</c>, <c>c != target[n]</c>), reduced.
    /// </summary>
    private double Reduction(BoundReduction reduction, Assignment at)
    {
        var variables = reduction.Binders.Select(b => b.Variable).ToList();
        var sizes = variables.Select(_run.SizeOf).ToList();
        var values = new List<double>();
        foreach (var inner in IndexSpace.Enumerate(at, variables, sizes))
        {
            // The excluded position is resolved in the extended assignment: a gather such as
            // `c != target[n]` may read another binder of the same reduction.
            var excluded = reduction.Binders.Any(b => b.Excluded is not null && inner[b.Variable] == Position(b.Excluded, inner));
            if (!excluded) values.Add(Evaluate(reduction.Body, inner));
        }
        if (values.Count == 0 && reduction.Reducer is Reducer.Mean or Reducer.Max or Reducer.Min)
        {
            // Only an exclusion can empty a range here (empty axes are refused up front): `mean[j != i]` over one item.
            throw new ArgumentException(
                $"metric `{MetricName}`: a `{reduction.Reducer.ToString().ToLowerInvariant()}` reduction has nothing to reduce once its excluded position is dropped (an axis of size 1?); it has no value there",
                "inputs");
        }
        return Semantics.Reduce(reduction.Reducer, values);
    }

    private double Call(BoundCall call, Assignment at)
    {
        var args = call.Arguments.Select(a => Evaluate(a, at)).ToArray();
        var smooth = _mode == EvaluationMode.Smooth;
        double Guarded(double x) => smooth ? Semantics.Guard(x, _settings.Epsilon) : x;
        return call.Function switch
        {
            Function.Sqrt => Math.Sqrt(Guarded(args[0])),
            Function.Log => Math.Log(Guarded(args[0])),
            Function.Log2 => Semantics.Log2(Guarded(args[0])),
            Function.Exp => Math.Exp(args[0]),
            Function.Abs => Math.Abs(args[0]),
            Function.Min => Math.Min(args[0], args[1]),
            Function.Max => Math.Max(args[0], args[1]),
            Function.Clamp => Semantics.Clamp(args[0], args[1], args[2]),
            Function.Where => Semantics.Where(args[0], args[1], args[2]),
            _ => throw new NotSupportedException($"metric `{MetricName}`: unknown function {call.Function}"),
        };
    }

    /// <summary><c>ideal_dcg[i](gain, k)</c> at the other axes' positions: the gains over all of i, sorted, cut at k.</summary>
    private double IdealDcg(BoundIdealDcg idealDcg, Assignment at)
    {
        var size = _run.SizeOf(idealDcg.Variable);
        var gains = Enumerable.Range(0, size).Select(p => Evaluate(idealDcg.Gain, at.With(idealDcg.Variable, p))).ToList();
        return Semantics.IdealDcg(gains, Evaluate(idealDcg.K, at));
    }
}
