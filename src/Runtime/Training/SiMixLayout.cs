namespace MetricLoss.Training;

/// <summary>
/// The index tables of a SiMix batch (see <see cref="SiMix"/>, "Layout"): for every output row, the two
/// original samples it mixes (the same one twice for an original), and the rows that are virtual samples.
/// </summary>
internal sealed class SiMixLayout
{
    public SiMixLayout(int originals, int perClass)
    {
        int blocks = originals / perClass;
        int pairs = perClass * (perClass - 1) / 2;
        int block = perClass + pairs;
        Size = (long)blocks * block;
        First = new long[Size];
        Second = new long[Size];
        VirtualRows = new long[(long)blocks * pairs];
        int v = 0;
        for (int c = 0; c < blocks; c++)
        {
            long row = (long)c * block;
            long origin = (long)c * perClass;
            for (int j = 0; j < perClass; j++, row++)
            {
                First[row] = origin + j;
                Second[row] = origin + j;
            }
            for (int a = 0; a < perClass; a++)
            {
                for (int b = a + 1; b < perClass; b++, row++)
                {
                    First[row] = origin + a;
                    Second[row] = origin + b;
                    VirtualRows[v++] = row;
                }
            }
        }
    }

    /// <summary>M, the number of rows of the mixed batch.</summary>
    public long Size { get; }

    /// <summary>The original weighted by α (by 1 for an original row).</summary>
    public long[] First { get; }

    /// <summary>The original weighted by 1 − α (the row itself, with weight 0, for an original row).</summary>
    public long[] Second { get; }

    /// <summary>The rows of the virtual samples, in the order their α's are drawn.</summary>
    public long[] VirtualRows { get; }
}
