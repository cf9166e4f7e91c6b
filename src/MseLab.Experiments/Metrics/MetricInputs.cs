namespace MseLab.Experiments.Metrics;

/// <summary>Argument checks shared by the metric functions.</summary>
internal static class MetricInputs
{
    public static void RequireSameNonZeroLength(int truthCount, int predictionCount)
    {
        if (truthCount != predictionCount)
        {
            throw new ArgumentException(
                $"truth has {truthCount} values but prediction has {predictionCount}; pass one prediction per sample.");
        }

        if (truthCount == 0)
        {
            throw new ArgumentException("No samples: metrics need at least one (truth, prediction) pair.");
        }
    }

    // Truths come from the dataset: a non-finite one is a data bug, not a model output, so it is refused.
    public static void RequireFiniteTruth(IReadOnlyList<float> truth)
    {
        for (var i = 0; i < truth.Count; i++)
        {
            if (!float.IsFinite(truth[i]))
            {
                throw new ArgumentException($"truth[{i}] is {truth[i]}; dataset labels must be finite numbers.", nameof(truth));
            }
        }
    }

    public static void RequireIntegerTruth(IReadOnlyList<float> truth)
    {
        for (var i = 0; i < truth.Count; i++)
        {
            if (truth[i] != MathF.Truncate(truth[i]))
            {
                throw new ArgumentException(
                    $"truth[{i}] is {truth[i]}; classification labels must be integer class indices.", nameof(truth));
            }
        }
    }
}
