using MetricLoss.Dsl.Interpretation;

namespace MetricLoss.Runtime.Tests.RankingCatalog;

/// <summary>
/// Seeded random inputs and options for the metrics of Ranking.metric and MultiClass.metric: scores on a grid of
/// multiples of 1/4 (exact in float32, so ties occur), labels and masks with empty rows now and then, sizes small
/// enough for the dense lowering.
/// </summary>
public static class RandomRankingInputs
{
    public static (Dictionary<string, DenseArray> Inputs, Dictionary<string, double[]> Options) Draw(string metric, Random random, int index)
    {
        var inputs = new Dictionary<string, DenseArray>(StringComparer.Ordinal);
        var options = new Dictionary<string, double[]>(StringComparer.Ordinal);
        // Case 0 is the smallest batch, case 1 all scores tied; the rest are random.
        var tiny = index == 0;
        var allTied = index == 1;
        double Score() => allTied ? 0.5 : Math.Round(random.NextDouble() * 12 - 6) / 4;
        int Size(int max) => tiny ? 1 : 1 + random.Next(max);
        void Tau(string name, double low, double high)
        {
            if (random.NextDouble() < 0.7) options[name] = new[] { low + (high - low) * random.NextDouble() };
        }

        switch (metric)
        {
            case "RocAuc":
            case "AveragePrecision":
            {
                var n = Size(30);
                var rate = random.NextDouble();
                inputs["score"] = Vector(n, _ => Score());
                inputs["label"] = Vector(n, _ => random.NextDouble() < rate ? 1 : 0);
                Tau("tau", 0.01, 0.5);
                break;
            }
            case "RecallAtK":
            case "RetrievalRecallAtK":
            {
                var q = Size(6);
                var n = Size(20);
                var valid = Matrix(q, n, (_, _) => random.NextDouble() < 0.85 ? 1 : 0);
                if (q == n && random.Next(2) == 0)
                {
                    for (var d = 0; d < q; d++) valid.Data[d * n + d] = 0; // the query in its own list, masked
                }
                var rate = 0.5 * random.NextDouble();
                var pos = Matrix(q, n, (a, b) => valid[a, b] != 0 && random.NextDouble() < rate ? 1 : 0);
                if (random.Next(3) == 0) pos.Data[random.Next(pos.Data.Length)] = 1; // maybe a positive outside valid
                inputs["sim"] = Matrix(q, n, (_, _) => Score());
                inputs["pos"] = pos;
                inputs["valid"] = valid;
                if (metric == "RecallAtK")
                {
                    if (random.NextDouble() < 0.6)
                    {
                        options["k"] = Enumerable.Range(0, 1 + random.Next(4)).Select(_ => (double)random.Next(1, 25)).ToArray();
                    }
                }
                else if (random.NextDouble() < 0.8)
                {
                    options["k"] = new[] { (double)random.Next(1, 25) }; // k < 1 is refused (MTR0121, Options)
                }
                Tau("tau_rank", 0.01, 0.5);
                Tau("tau_k", 0.1, 2);
                break;
            }
            case "TopKAccuracy":
            {
                var n = Size(15);
                var c = Size(6);
                inputs["logit"] = Matrix(n, c, (_, _) => Score());
                inputs["target"] = Vector(n, _ => random.Next(c));
                if (random.NextDouble() < 0.8) options["k"] = new[] { (double)random.Next(1, c + 2) };
                Tau("tau", 0.05, 2);
                break;
            }
            case "NdcgAtK":
            {
                var q = Size(5);
                var n = Size(15);
                inputs["score"] = Matrix(q, n, (_, _) => Score());
                inputs["gain"] = Matrix(q, n, (_, _) => random.Next(3) == 0 ? 0 : Math.Round(random.NextDouble() * 3, 1));
                if (random.NextDouble() < 0.8) options["k"] = new[] { (double)random.Next(1, 20) };
                Tau("tau", 0.05, 1);
                break;
            }
            case "MeanAveragePrecision":
            case "PrecisionAtK":
            case "MeanReciprocalRank":
            {
                var q = Size(6);
                var n = Size(20);
                var rate = 0.5 * random.NextDouble();
                inputs["score"] = Matrix(q, n, (_, _) => Score());
                inputs["label"] = Matrix(q, n, (_, _) => random.NextDouble() < rate ? 1 : 0);
                if (metric == "PrecisionAtK" && random.NextDouble() < 0.8) options["k"] = new[] { (double)random.Next(1, 25) }; // k < 1 is refused (MTR0121, Options)
                Tau("tau", 0.01, 1);
                break;
            }
            case "MacroF1MultiLabel":
            case "MicroF1MultiLabel":
            {
                var n = Size(15);
                var c = Size(6);
                var rate = random.NextDouble();
                inputs["score"] = Matrix(n, c, (_, _) => Score());
                inputs["label"] = Matrix(n, c, (_, _) => random.NextDouble() < rate ? 1 : 0);
                if (random.NextDouble() < 0.6) options["threshold"] = new[] { Math.Round(random.NextDouble() * 8 - 4) / 4 };
                Tau("tau", 0.05, 2);
                break;
            }
            case "MacroF1MultiClass":
            case "MicroF1MultiClass":
            {
                var n = Size(15);
                var c = Size(6);
                var oneHot = random.Next(4) != 0;
                var target = Enumerable.Range(0, n).Select(_ => random.Next(c)).ToArray();
                inputs["logit"] = Matrix(n, c, (_, _) => Score());
                inputs["label"] = Matrix(n, c, (a, b) => oneHot ? (target[a] == b ? 1 : 0) : random.Next(2));
                Tau("tau", 0.05, 2);
                break;
            }
            default:
                throw new ArgumentException($"no random inputs for {metric}", nameof(metric));
        }
        return (inputs, options);
    }

    public static DenseArray Vector(int n, Func<int, double> value) =>
        new(Enumerable.Range(0, n).Select(value).ToArray(), n);

    public static DenseArray Matrix(int rows, int columns, Func<int, int, double> value)
    {
        var data = new double[rows * columns];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
        {
            data[r * columns + c] = value(r, c);
        }
        return new DenseArray(data, rows, columns);
    }

    public static string Describe(IReadOnlyDictionary<string, DenseArray> inputs, IReadOnlyDictionary<string, double[]> options) =>
        string.Join(", ", inputs.Select(p => $"{p.Key}[{string.Join("x", p.Value.Shape)}]"))
        + (options.Count == 0 ? "" : "; " + string.Join(", ", options.Select(p => $"{p.Key} = [{string.Join(", ", p.Value)}]")));
}
