namespace MseLab.Experiments.Metrics;

/// <summary>
/// The SIMS class bins (spec §4): half-open intervals (low, high] over values already clipped to [-1, 1].
/// </summary>
/// <remarks>
/// The reference compares float32 arrays with Python floats, which numpy does in float32. So the edges are
/// float32 and every comparison is float32: -0.1f lies in (-0.7, -0.1], not in (-0.1, 0.1].
/// </remarks>
public static class SimsBins
{
    /// <summary>Edges of Mult_acc_2: (-1.01, 0], (0, 1.01].</summary>
    public static IReadOnlyList<float> TwoClass { get; } = [-1.01f, 0f, 1.01f];

    /// <summary>Edges of Mult_acc_3: (-1.01, -0.1], (-0.1, 0.1], (0.1, 1.01].</summary>
    public static IReadOnlyList<float> ThreeClass { get; } = [-1.01f, -0.1f, 0.1f, 1.01f];

    /// <summary>Edges of Mult_acc_5: (-1.01, -0.7], (-0.7, -0.1], (-0.1, 0.1], (0.1, 0.7], (0.7, 1.01].</summary>
    public static IReadOnlyList<float> FiveClass { get; } = [-1.01f, -0.7f, -0.1f, 0.1f, 0.7f, 1.01f];

    /// <summary>Lower bound of the truths kept for Mult_acc_2_weak (inclusive; the code uses 0.4, not its comment's 0.6).</summary>
    public const float WeakLow = -0.4f;

    /// <summary>Upper bound of the truths kept for Mult_acc_2_weak (inclusive).</summary>
    public const float WeakHigh = 0.4f;

    /// <summary>
    /// The index i with edges[i] &lt; value &lt;= edges[i+1], or -1 when there is none (only NaN after clipping;
    /// the reference leaves such a value unbinned, so it matches no class).
    /// </summary>
    public static int Of(float value, IReadOnlyList<float> edges)
    {
        ArgumentNullException.ThrowIfNull(edges);
        for (var i = 0; i + 1 < edges.Count; i++)
        {
            if (value > edges[i] && value <= edges[i + 1])
            {
                return i;
            }
        }

        return -1;
    }
}
