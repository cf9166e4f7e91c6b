namespace MseLab.Experiments.Metrics;

/// <summary><c>sklearn.metrics.r2_score(truth, prediction)</c> (scikit-learn 1.2, <c>force_finite=True</c>).</summary>
internal static class RSquared
{
    /// <summary>
    /// 1 - SS_res / SS_tot. As in sklearn: fewer than two samples give NaN; SS_res = 0 gives 1; SS_res != 0 with a
    /// constant truth (SS_tot = 0) gives 0. Differences and squares are float32 (numpy on float32 arrays), the
    /// sums double. A NaN prediction gives NaN (sklearn would refuse it).
    /// </summary>
    public static double Compute(IReadOnlyList<float> truth, IReadOnlyList<float> prediction)
    {
        MetricInputs.RequireSameNonZeroLength(truth.Count, prediction.Count);
        if (truth.Count < 2)
        {
            return double.NaN;
        }

        double mean = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            mean += truth[i];
        }

        // np.average keeps float32 for a float32 array.
        var meanF = (float)(mean / truth.Count);
        double residual = 0;
        double total = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            var r = truth[i] - prediction[i];
            var d = truth[i] - meanF;
            residual += r * r;
            total += d * d;
        }

        if (double.IsNaN(residual))
        {
            return double.NaN;
        }

        if (residual == 0)
        {
            return 1.0;
        }

        return total == 0 ? 0.0 : 1.0 - (residual / total);
    }
}
