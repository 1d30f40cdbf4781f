namespace MetricLoss.Runtime.Tests.Ranking;

/// <summary>
/// The O(N²) definitions the ranking kernels must agree with, as double loops over CPU arrays. Rows are laid out
/// one after the other: item i of row r is at <c>r * n + i</c>. Each method is the formula in its comment, literally.
/// </summary>
internal static class BruteForce
{
    /// <summary>Σ_j mask_j·[x_j &gt; x_i] (or ≥), j ≠ i when excludeSelf.</summary>
    public static double[] CountAbove(double[] x, double[] mask, int rows, int n, bool strict, bool excludeSelf)
    {
        var result = new double[rows * n];
        for (var r = 0; r < rows; r++)
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                if (excludeSelf && j == i) continue;
                var (xj, xi) = (x[r * n + j], x[r * n + i]);
                if (strict ? xj > xi : xj >= xi) sum += mask[r * n + j];
            }
            result[r * n + i] = sum;
        }
        return result;
    }

    /// <summary>Σ_j mask_j·step(x_j − x_i), step = 1, ½, 0; j ≠ i when excludeSelf.</summary>
    public static double[] StepCountAbove(double[] x, double[] mask, int rows, int n, bool excludeSelf)
    {
        var result = new double[rows * n];
        for (var r = 0; r < rows; r++)
        for (var i = 0; i < n; i++)
        {
            var sum = 0.0;
            for (var j = 0; j < n; j++)
            {
                if (excludeSelf && j == i) continue;
                sum += mask[r * n + j] * Step(x[r * n + j], x[r * n + i]);
            }
            result[r * n + i] = sum;
        }
        return result;
    }

    /// <summary>Σ_{i,j} pos_i·neg_j·step(s_i − s_j) per row.</summary>
    public static double[] MannWhitney(double[] s, double[] pos, double[] neg, int rows, int n)
    {
        var result = new double[rows];
        for (var r = 0; r < rows; r++)
        for (var i = 0; i < n; i++)
        for (var j = 0; j < n; j++)
        {
            result[r] += pos[r * n + i] * neg[r * n + j] * Step(s[r * n + i], s[r * n + j]);
        }
        return result;
    }

    /// <summary>Σ_j p_j·[s_j ≥ s_i] / Σ_j v_j·[s_j ≥ s_i] with p = pos·v; 0 when the denominator is 0.</summary>
    public static double[] Precision(double[] s, double[] pos, double[] valid, int rows, int n)
    {
        var result = new double[rows * n];
        for (var r = 0; r < rows; r++)
        for (var i = 0; i < n; i++)
        {
            double hits = 0, all = 0;
            for (var j = 0; j < n; j++)
            {
                if (s[r * n + j] < s[r * n + i]) continue;
                hits += pos[r * n + j] * valid[r * n + j];
                all += valid[r * n + j];
            }
            result[r * n + i] = all == 0 ? 0 : hits / all;
        }
        return result;
    }

    /// <summary>
    /// The AveragePrecision example of docs/language.md, literally: above_i = 1 + Σ_{j≠i}[s_j ≥ s_i],
    /// pos_above_i = 1 + Σ_{j≠i} label_j·[s_j ≥ s_i], AP = Σ_i label_i·pos_above_i/above_i / Σ_i label_i (0/0 = 0).
    /// </summary>
    public static double[] AveragePrecisionExample(double[] s, double[] label, int rows, int n)
    {
        var result = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            double numerator = 0, positives = 0;
            for (var i = 0; i < n; i++)
            {
                double above = 1, posAbove = 1;
                for (var j = 0; j < n; j++)
                {
                    if (j == i || s[r * n + j] < s[r * n + i]) continue;
                    above += 1;
                    posAbove += label[r * n + j];
                }
                numerator += label[r * n + i] * posAbove / above;
                positives += label[r * n + i];
            }
            result[r] = positives == 0 ? 0 : numerator / positives;
        }
        return result;
    }

    /// <summary>Σ_i p_i·precision_i / Σ_i p_i with p = pos·valid (0 when there is no positive).</summary>
    public static double[] AveragePrecision(double[] s, double[] pos, double[] valid, int rows, int n)
    {
        var precision = Precision(s, pos, valid, rows, n);
        var result = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            double numerator = 0, positives = 0;
            for (var i = 0; i < n; i++)
            {
                var p = pos[r * n + i] * valid[r * n + i];
                numerator += p * precision[r * n + i];
                positives += p;
            }
            result[r] = positives == 0 ? 0 : numerator / positives;
        }
        return result;
    }

    /// <summary>Σ_c mask_c·[x_c &gt; t] (or ≥) per row.</summary>
    public static double[] CountAboveValue(double[] x, double[] threshold, double[] mask, int rows, int c, bool strict)
    {
        var result = new double[rows];
        for (var r = 0; r < rows; r++)
        for (var j = 0; j < c; j++)
        {
            var xj = x[r * c + j];
            if (strict ? xj > threshold[r] : xj >= threshold[r]) result[r] += mask[r * c + j];
        }
        return result;
    }

    /// <summary>Σ_{c ≠ index} mask_c·[x_c &gt; x_index] (or ≥) per row.</summary>
    public static double[] CountAboveIndex(double[] x, long[] index, double[] mask, int rows, int c, bool strict)
    {
        var result = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var t = x[r * c + index[r]];
            for (var j = 0; j < c; j++)
            {
                if (j == index[r]) continue;
                var xj = x[r * c + j];
                if (strict ? xj > t : xj >= t) result[r] += mask[r * c + j];
            }
        }
        return result;
    }

    /// <summary>Σ_{rank ≤ min(k, n)} g_(rank) / log2(1 + rank), gains sorted in decreasing order.</summary>
    public static double[] IdealDcg(double[] gain, int rows, int n, long k)
    {
        var result = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            var sorted = gain.Skip(r * n).Take(n).OrderByDescending(g => g).ToArray();
            for (var rank = 1; rank <= Math.Min(k, n); rank++)
            {
                result[r] += sorted[rank - 1] / Math.Log2(1 + rank);
            }
        }
        return result;
    }

    private static double Step(double a, double b) => a > b ? 1 : a < b ? 0 : 0.5;
}
