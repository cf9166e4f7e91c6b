namespace MseLab.Experiments.Metrics;

/// <summary>Pearson correlation as <c>np.corrcoef(prediction, truth)[0][1]</c>.</summary>
internal static class Pearson
{
    /// <summary>
    /// Computed in double (np.cov upcasts float32 to float64) and clipped to [-1, 1] as numpy does. Undefined
    /// cases give NaN as in numpy: a constant side (zero variance), one sample, or a non-finite value.
    /// </summary>
    public static double Compute(IReadOnlyList<float> x, IReadOnlyList<float> y)
    {
        MetricInputs.RequireSameNonZeroLength(x.Count, y.Count);
        double meanX = 0;
        double meanY = 0;
        for (var i = 0; i < x.Count; i++)
        {
            meanX += x[i];
            meanY += y[i];
        }

        meanX /= x.Count;
        meanY /= y.Count;

        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (var i = 0; i < x.Count; i++)
        {
            var dx = x[i] - meanX;
            var dy = y[i] - meanY;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }

        // 0/0 for a constant side gives NaN, as numpy's division does; Math.Clamp keeps NaN.
        return Math.Clamp(sxy / Math.Sqrt(sxx) / Math.Sqrt(syy), -1.0, 1.0);
    }
}
