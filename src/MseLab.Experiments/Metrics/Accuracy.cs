namespace MseLab.Experiments.Metrics;

/// <summary>Fraction of samples on which two label sequences agree (<c>accuracy_score</c>).</summary>
internal static class Accuracy
{
    /// <summary>Fraction of positions where the labels are equal as numbers (NaN never equals anything).</summary>
    public static double Compute(IReadOnlyList<double> truth, IReadOnlyList<double> prediction)
    {
        MetricInputs.RequireSameNonZeroLength(truth.Count, prediction.Count);
        var hits = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            if (truth[i] == prediction[i])
            {
                hits++;
            }
        }

        return (double)hits / truth.Count;
    }
}
