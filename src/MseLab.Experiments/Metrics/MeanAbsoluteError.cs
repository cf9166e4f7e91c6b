namespace MseLab.Experiments.Metrics;

/// <summary>Mean absolute error, <c>np.mean(np.absolute(prediction - truth))</c> on float32 arrays.</summary>
internal static class MeanAbsoluteError
{
    /// <summary>
    /// Each difference is taken in float32 as numpy does; the mean is accumulated in double (numpy's float32
    /// pairwise sum differs by far less than 1e-6 on realistic sizes). An infinite prediction gives infinity,
    /// a NaN one NaN.
    /// </summary>
    public static double Compute(IReadOnlyList<float> truth, IReadOnlyList<float> prediction)
    {
        MetricInputs.RequireSameNonZeroLength(truth.Count, prediction.Count);
        double sum = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            sum += MathF.Abs(prediction[i] - truth[i]);
        }

        return sum / truth.Count;
    }
}
